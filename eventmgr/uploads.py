"""Uploaded files kept between an import's preview and its confirmation.

Each is kept under a random name in the instance folder for a day, so the confirmation
names it without trusting a path from the browser; older ones are swept on each upload.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import current_app

UPLOAD_NAME = re.compile(r"^[A-Za-z0-9_-]{22}\.(csv|txt|xlsx|xml|json)$")
UPLOAD_LIFETIME = 24 * 3600


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_upload(data: bytes, filename: str) -> str:
    """Keep an uploaded file until it is confirmed; returns the name to confirm it by."""
    folder = _folder()
    for old in folder.iterdir():
        if old.stat().st_mtime < time.time() - UPLOAD_LIFETIME:
            old.unlink(missing_ok=True)
    extension = filename.rsplit(".", 1)[-1].lower()
    name = f"{secrets.token_urlsafe(16)}.{extension}"
    (folder / name).write_bytes(data)
    return name


def kept_upload(name: str) -> Path | None:
    """The kept file of that name, or None if the name is not one we gave or it has gone."""
    if not UPLOAD_NAME.match(name or ""):
        return None
    path = _folder() / name
    return path if path.exists() else None
