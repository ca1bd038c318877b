"""The "Undo" notice shown after a mass action or a cancellation, and the moments it names.

The notice is a flashed message carrying a one-button form (base.html shows it): the
button posts `fields` to `action`, e.g. the moment a batch of invitations was sent, so
the undo acts on that batch and nothing else.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash


def flash_undo(text: str, action: str, fields: dict[str, str], button: str = "Undo") -> None:
    flash({"text": text, "action": action, "fields": fields, "button": button}, "undo")


def undo_window() -> dt.timedelta:
    """How long mass mailings and cancellation notices wait in the outbox, so they can be undone."""
    return dt.timedelta(seconds=current_app.config["MAIL_UNDO_SECONDS"])


def window_text() -> str:
    """The undo window in words: "2 minutes"."""
    minutes = max(round(undo_window().total_seconds() / 60), 1)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def moment_field(moment: dt.datetime) -> str:
    return moment.isoformat()


def moment_from(value: str | None) -> dt.datetime:
    """The moment an undo form names; 400 if it is not one."""
    try:
        moment = dt.datetime.fromisoformat(value or "")
    except ValueError:
        abort(400, description="This undo button names no moment: reload the page and try again.")
    if moment.tzinfo is None:
        abort(400, description="This undo button names no moment: reload the page and try again.")
    return moment
