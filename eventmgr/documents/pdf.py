"""PDF from the DOCX, by LibreOffice headless, so the PDF shows what Word users see.

Each conversion runs `soffice --convert-to pdf` on its own copy of the DOCX. LibreOffice
refuses two processes on one user profile, so conversions take one of a few profile
directories, each held with a file lock for the time of the run; several files given at
once share one run (one start-up for a batch of letters). Results are kept in a small
in-process cache keyed by the DOCX's digest: the same document is converted once.

With EVENTMGR_PDF_RESIDENT on, each profile keeps a LibreOffice running (started with the
first conversion, ended when the process exits): a `soffice --convert-to` on a profile in
use hands its files to that instance and returns, so conversions skip LibreOffice's start.
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app

from eventmgr.errors import DomainError

PDF_TYPE = "application/pdf"
CACHE_SIZE = 32
_cache: OrderedDict[str, bytes] = OrderedDict()
_cache_lock = threading.Lock()
# The resident LibreOffice of each profile this process started.
_residents: dict[Path, subprocess.Popen] = {}


class PdfUnavailable(DomainError):
    """The converter is missing or failed; the DOCX is still there to download."""


def converter() -> str | None:
    configured = current_app.config.get("EVENTMGR_SOFFICE")
    return configured or shutil.which("soffice") or shutil.which("libreoffice")


def is_available() -> bool:
    return converter() is not None


def _profiles_dir() -> Path:
    configured = current_app.config.get("EVENTMGR_PDF_PROFILES")
    return Path(configured) if configured else Path(tempfile.gettempdir()) / f"eventmgr-soffice-{os.getuid()}"


@contextmanager
def _profile() -> Iterator[Path]:
    """A LibreOffice user profile no other conversion is using, locked until the run ends."""
    base = _profiles_dir()
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    slots = max(int(current_app.config.get("EVENTMGR_PDF_WORKERS", 2)), 1)
    handles = [open(base / f"slot-{n}.lock", "w") for n in range(slots)]  # noqa: SIM115
    try:
        chosen = None
        for n, handle in enumerate(handles):
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            chosen = n
            break
        if chosen is None:  # every slot busy: wait for one
            chosen = threading.get_ident() % slots
            fcntl.flock(handles[chosen], fcntl.LOCK_EX)
        yield base / f"profile-{chosen}"
    finally:
        for handle in handles:
            handle.close()


def _options(profile: Path) -> list[str]:
    return [f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
            "--nologo", "--nodefault"]


def _keep_resident(program: str, profile: Path) -> None:
    """Start the profile's resident LibreOffice unless it runs (held under the profile's lock)."""
    process = _residents.get(profile)
    if process is not None and process.poll() is None:
        return
    _residents[profile] = subprocess.Popen(
        [program, *_options(profile)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, env={**os.environ, "HOME": str(profile)}, start_new_session=True)


@atexit.register
def _end_residents() -> None:
    for process in _residents.values():
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _run(program: str, sources: list[Path], out: Path) -> None:
    timeout = float(current_app.config.get("EVENTMGR_PDF_TIMEOUT", 120))
    with _profile() as profile:
        if current_app.config.get("EVENTMGR_PDF_RESIDENT"):
            _keep_resident(program, profile)
        command = [program, *_options(profile), "--convert-to", "pdf:writer_pdf_Export",
                   "--outdir", str(out), *map(str, sources)]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=True,
                           env={**os.environ, "HOME": str(profile)})
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"The PDF converter took longer than {timeout:.0f} s.") from None
        except (subprocess.CalledProcessError, OSError) as error:
            raise PdfUnavailable(f"The PDF converter failed ({error}).") from None


def docx_to_pdf_many(documents: list[bytes]) -> list[bytes]:
    """The PDF of each DOCX, in order; one converter run for all that are not cached."""
    program = converter()
    if program is None:
        raise PdfUnavailable("No PDF converter is installed (LibreOffice: `make system-packages`).")
    # Keyed by the converter too: another program (a test's stand-in) makes other files.
    keys = [hashlib.sha256(program.encode() + b"\0" + data).hexdigest() for data in documents]
    with _cache_lock:
        found = {key: _cache[key] for key in keys if key in _cache}
    missing = {key: data for key, data in zip(keys, documents, strict=True) if key not in found}
    if missing:
        with tempfile.TemporaryDirectory(prefix="eventmgr-pdf-") as folder:
            work = Path(folder)
            sources = []
            for key, data in missing.items():
                source = work / f"{key}.docx"
                source.write_bytes(data)
                sources.append(source)
            _run(program, sources, work / "out")
            for key in missing:
                target = work / "out" / f"{key}.pdf"
                if not target.exists():
                    raise PdfUnavailable("The PDF converter wrote no file.")
                found[key] = target.read_bytes()
        with _cache_lock:
            for key in missing:
                _cache[key] = found[key]
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return [found[key] for key in keys]


def clear_cache() -> None:
    """Forget every converted file (benchmarks measure the conversion itself)."""
    with _cache_lock:
        _cache.clear()


def docx_to_pdf(document: bytes) -> bytes:
    return docx_to_pdf_many([document])[0]
