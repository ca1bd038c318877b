"""`flask backup create` / `flask backup restore`: every table round-trips."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from config import TestingConfig
from eventmgr.backup import BackupRefused, sqlite_path
from eventmgr.extensions import db

pytestmark = pytest.mark.skipif(TestingConfig.SQLALCHEMY_DATABASE_URI.startswith("postgresql"),
                                reason="SQLite online backup; PostgreSQL uses pg_dump")


@pytest.fixture
def file_app(make_app, tmp_path):
    return make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.sqlite'}")


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    rows = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        rows[table.name] = [tuple(row) for row in db.session.execute(sa.select(table).order_by(*order))]
    return rows


def test_backup_then_restore_brings_back_every_row_of_every_table(file_app, tmp_path):
    runner = file_app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with file_app.app_context():
        before = snapshot()
    backup_file = tmp_path / "saved.sqlite"

    created = runner.invoke(args=["backup", "create", "-o", str(backup_file)])
    assert created.exit_code == 0, created.output
    with file_app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        assert sum(len(rows) for rows in snapshot().values()) == 0

    restored = runner.invoke(args=["backup", "restore", "--yes", str(backup_file)])
    assert restored.exit_code == 0, restored.output
    with file_app.app_context():
        after = snapshot()
    assert after == before
    assert sum(len(rows) for rows in before.values()) > 100


def test_create_without_output_writes_into_the_instance_backups_folder(file_app, tmp_path):
    result = file_app.test_cli_runner().invoke(args=["backup", "create"])
    assert result.exit_code == 0, result.output
    files = list((tmp_path / "backups").glob("eventmgr-*.sqlite"))
    assert len(files) == 1
    assert result.output == f"Backed up {result.output.split()[2]} pages to {files[0]}.\n"


def test_restore_refuses_a_file_that_is_not_a_database_and_changes_nothing(file_app, tmp_path):
    runner = file_app.test_cli_runner()
    runner.invoke(args=["demo", "load"])
    with file_app.app_context():
        before = snapshot()
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)

    result = runner.invoke(args=["backup", "restore", "--yes", str(junk)])

    assert result.exit_code == 1
    assert "is not a SQLite database" in result.output
    with file_app.app_context():
        assert snapshot() == before


def test_restore_of_a_missing_file_says_so(file_app, tmp_path):
    result = file_app.test_cli_runner().invoke(
        args=["backup", "restore", "--yes", str(tmp_path / "nowhere.sqlite")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'nowhere.sqlite'} does not exist." in result.output


def test_in_memory_database_has_nothing_to_back_up(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="sqlite://")
    result = app.test_cli_runner().invoke(args=["backup", "create", "-o", "x.sqlite"])
    assert result.exit_code == 1
    assert "lives in memory only" in result.output


def test_postgresql_is_refused_with_pg_dump_advice():
    engine = sa.create_engine("postgresql+psycopg://u@127.0.0.1/eventmgr")
    with pytest.raises(BackupRefused) as refused:
        sqlite_path(engine)
    assert "pg_dump --format=custom" in refused.value.message
    assert "pg_restore --clean" in refused.value.message
