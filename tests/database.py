"""Test databases: one per pytest-xdist worker, the empty schema built once, and a cheap reset.

Rebuilding the schema for every test (SQLite) or truncating every table (PostgreSQL: ~0.2 s a
test, as TRUNCATE gives each table new files) cost more than most tests. Instead:

- SQLite: the empty schema lives in an in-memory template, copied into a test's database
  (in memory or a file) with SQLite's backup API.
- PostgreSQL: each xdist worker has its own database, `<TEST_DATABASE_URL's name>_<worker>`,
  created at the start of the session. Between tests only the tables holding rows are emptied
  (DELETE, children first) and every sequence restarts, as TRUNCATE … RESTART IDENTITY would.

`snapshot()` and `restore()` do the same with content: a test module can build rich data once
per worker and give every test its own identical copy (see `prebuilt` in tests/conftest.py).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from eventmgr.extensions import db


def worker_database_url(url: str) -> str:
    """The database of this xdist worker: the same server, the database name suffixed by the
    worker id (eventmgr_test_gw0). SQLite URLs and runs without xdist keep the URL as it is."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        return url
    return suffixed_url(url, worker)


def suffixed_url(url: str, suffix: str) -> str:
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{suffix}").render_as_string(hide_password=False)


def create_database(server_url: str, url: str) -> None:
    """(Re)create the PostgreSQL database of `url`, connecting through `server_url`'s database."""
    name = make_url(url).database
    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def drop_database(server_url: str, url: str) -> None:
    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


@dataclass
class SqliteSnapshot:
    connection: sqlite3.Connection


@dataclass
class PostgresSnapshot:
    rows: dict[str, bytes] = field(default_factory=dict)  # table → COPY BINARY data
    sequences: dict[str, tuple[int, bool]] = field(default_factory=dict)  # name → (value, is_called)


Snapshot = SqliteSnapshot | PostgresSnapshot

_EMPTY_SQLITE: list[SqliteSnapshot] = []
_postgres_sequences: dict[str, list[str]] = {}  # per database URL whose schema this process built


def reset(engine: Engine) -> None:
    """Make the engine's database hold the empty schema, as a new database would."""
    if engine.dialect.name == "postgresql":
        try:
            _restore_postgres(engine, _empty_postgres(engine))
        except psycopg.errors.UndefinedTable:  # a test dropped a table: build the schema again
            del _postgres_sequences[_key(engine)]
            _restore_postgres(engine, _empty_postgres(engine))
    else:
        _restore_sqlite(engine, _empty_sqlite())


def snapshot(engine: Engine) -> Snapshot:
    """Every row (and sequence) of the engine's database, to give back later with `restore`."""
    if engine.dialect.name == "postgresql":
        return _snapshot_postgres(engine)
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    _backup(engine, copy, into_engine=False)
    return SqliteSnapshot(copy)


def restore(engine: Engine, saved: Snapshot) -> None:
    if isinstance(saved, PostgresSnapshot):
        _restore_postgres(engine, saved)
    else:
        _restore_sqlite(engine, saved)


# SQLite


def _empty_sqlite() -> SqliteSnapshot:
    if not _EMPTY_SQLITE:
        engine = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
        db.metadata.create_all(engine)
        _EMPTY_SQLITE.append(snapshot(engine))
        engine.dispose()
    return _EMPTY_SQLITE[0]


def _restore_sqlite(engine: Engine, saved: SqliteSnapshot) -> None:
    _backup(engine, saved.connection, into_engine=True)


def _backup(engine: Engine, other: sqlite3.Connection, *, into_engine: bool) -> None:
    pooled = engine.raw_connection()
    try:
        connection = pooled.driver_connection
        connection.rollback()  # the backup waits for no transaction of its own target
        if into_engine:
            other.backup(connection)
        else:
            connection.backup(other)
    finally:
        pooled.close()


# PostgreSQL


def _key(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _sequences(engine: Engine) -> list[str]:
    """The database's sequences. The first time this process uses the database, its schema is
    built anew here (the worker's database is new; a run without xdist reuses TEST_DATABASE_URL's)."""
    key = _key(engine)
    if key not in _postgres_sequences:
        with engine.begin() as connection:
            db.metadata.drop_all(connection)
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            db.metadata.create_all(connection)
            _postgres_sequences[key] = list(connection.scalars(sa.text(
                "SELECT sequence_name FROM information_schema.sequences "
                "WHERE sequence_schema = current_schema() ORDER BY sequence_name")))
    return _postgres_sequences[key]


def _empty_postgres(engine: Engine) -> PostgresSnapshot:
    return PostgresSnapshot(sequences=dict.fromkeys(_sequences(engine), (1, False)))


def _nonempty_tables(cursor) -> set[str]:
    probes = " UNION ALL ".join(f"(SELECT '{table.name}' FROM \"{table.name}\" LIMIT 1)"
                                for table in db.metadata.sorted_tables)
    cursor.execute(probes)
    return {name for (name,) in cursor.fetchall()}


def _snapshot_postgres(engine: Engine) -> PostgresSnapshot:
    saved = PostgresSnapshot()
    sequences = _sequences(engine)
    pooled = engine.raw_connection()
    try:
        cursor = pooled.cursor()
        for name in _nonempty_tables(cursor):
            with cursor.copy(f'COPY "{name}" TO STDOUT (FORMAT BINARY)') as copy:
                saved.rows[name] = b"".join(bytes(block) for block in copy)
        for name in sequences:
            cursor.execute(f'SELECT last_value, is_called FROM "{name}"')
            saved.sequences[name] = cursor.fetchone()
        pooled.commit()
    finally:
        pooled.close()
    return saved


def _restore_postgres(engine: Engine, saved: PostgresSnapshot) -> None:
    tables = db.metadata.sorted_tables
    pooled = engine.raw_connection()
    try:
        cursor = pooled.cursor()
        filled = _nonempty_tables(cursor)
        for table in reversed(tables):  # children before the rows they point at
            if table.name in filled:
                cursor.execute(f'DELETE FROM "{table.name}"')
        for table in tables:
            if table.name in saved.rows:
                with cursor.copy(f'COPY "{table.name}" FROM STDIN (FORMAT BINARY)') as copy:
                    copy.write(saved.rows[table.name])
        if saved.sequences:
            cursor.execute("SELECT " + ", ".join(
                f"setval('\"{name}\"', {value}, {'true' if called else 'false'})"
                for name, (value, called) in saved.sequences.items()))
        pooled.commit()
    finally:
        pooled.close()
