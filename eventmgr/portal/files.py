"""Checking uploaded documents by their content, and storing them under random names."""

from __future__ import annotations

import io
import secrets
import unicodedata
import zipfile
from pathlib import Path

from eventmgr.errors import DomainError

# Extension → (content type, what the content must be).
ALLOWED = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OFFICE_FOLDERS = {".docx": "word/", ".pptx": "ppt/", ".xlsx": "xl/"}


def sniff_extension(data: bytes) -> str | None:
    """The extension the content really has (PDF magic, or an Office Open XML package), else None."""
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for extension, folder in OFFICE_FOLDERS.items():
        if any(name.startswith(folder) for name in names):
            return extension
    return None


def check_upload(filename: str, data: bytes, *, max_bytes: int) -> tuple[str, str]:
    """The cleaned original name and the content type, or a DomainError saying what is wrong."""
    name = unicodedata.normalize("NFC", filename or "").strip()
    if not name:
        raise DomainError("Choose a file to upload.", field="file")
    if "/" in name or "\\" in name or "\x00" in name or name.startswith(".") or ".." in name:
        raise DomainError("The file name must be a plain name, without folders or '..'.", field="file")
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")[:200]
    if len(data) > max_bytes:
        raise DomainError(f"The file is larger than the limit of {_size_label(max_bytes)}.", field="file")
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED:
        raise DomainError("Upload a PDF, DOCX, PPTX or XLSX file.", field="file")
    if sniff_extension(data) != extension:
        raise DomainError(f"The file's content is not a {extension[1:].upper()} document.", field="file")
    return name, ALLOWED[extension]


def _size_label(size: int) -> str:
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} bytes"


def store(directory: Path, data: bytes) -> str:
    """Write the data under a new random name in `directory`; returns that name."""
    directory.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16)
    (directory / stored_name).write_bytes(data)
    return stored_name
