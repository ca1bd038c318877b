"""Backups of the embedded SQLite database through SQLite's online backup API.

The online backup copies a consistent snapshot page by page while the app keeps
serving (readers and writers are not stopped). PostgreSQL has its own tools,
pg_dump and pg_restore; this module refuses it rather than pretend.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import Engine

from eventmgr.errors import DomainError

PAGES_PER_STEP = 1024
POSTGRES_ADVICE = (
    "Backups of PostgreSQL are made with its own tools: "
    "pg_dump --format=custom --file=eventmgr.dump \"$DATABASE_URL\", restored with "
    "pg_restore --clean --if-exists --dbname=\"$DATABASE_URL\" eventmgr.dump (see README)."
)


class BackupRefused(DomainError):
    pass


def sqlite_path(engine: Engine) -> Path:
    """The file of the engine's SQLite database; refuses PostgreSQL and in-memory databases."""
    if engine.dialect.name != "sqlite":
        raise BackupRefused(POSTGRES_ADVICE)
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupRefused("The database lives in memory only; there is no file to back up.")
    return Path(database)


def create_backup(engine: Engine, target: Path) -> int:
    """Copy the live database into `target` (replaced if present); returns the page count."""
    source_path = sqlite_path(engine)
    target = Path(target)
    if target.resolve() == source_path.resolve():
        raise BackupRefused("The backup file cannot be the database itself.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with _connect(source_path) as source, _connect(partial) as copy:
        source.backup(copy, pages=PAGES_PER_STEP)
        pages = copy.execute("PRAGMA page_count").fetchone()[0]
        # One self-contained file: no -wal beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
    # The target appears only once complete, so an interrupted backup leaves no half file.
    partial.replace(target)
    return pages


def restore_backup(engine: Engine, backup: Path) -> int:
    """Replace the live database's contents by the backup's; returns the page count."""
    target_path = sqlite_path(engine)
    backup = Path(backup)
    if not backup.is_file():
        raise BackupRefused(f"{backup} does not exist.")
    with _connect(backup) as source:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupRefused(f"{backup} is not a sound SQLite database.")
        # The app's pooled connections would keep reading their cached pages.
        engine.dispose()
        with _connect(target_path) as live:
            source.backup(live, pages=PAGES_PER_STEP)
            return live.execute("PRAGMA page_count").fetchone()[0]


def _connect(path: Path) -> closing[sqlite3.Connection]:
    connection = sqlite3.connect(path, timeout=10)
    try:
        connection.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as error:
        connection.close()
        raise BackupRefused(f"{path} is not a SQLite database ({error}).") from None
    # sqlite3's own context manager commits but never closes; closing() closes.
    return closing(connection)
