"""Fault drill: the database locked by another process, or gone for a moment.

The user gets the plain 503 page (no stack trace, nothing partly written) and
the next request, once the database is back, works.
"""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from config import TestingConfig
from eventmgr.extensions import db
from eventmgr.registry.models import Person, Registration
from eventmgr.series.enums import EventStatus
from tests.builders import make_event

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(TestingConfig.SQLALCHEMY_DATABASE_URI.startswith("postgresql"),
                       reason="file locks and a vanishing file are SQLite's faults"),
]

FORM = {"given_name": "Lina", "family_name": "Haddad", "email": "lina@example.org",
        "organization_name": "Arab Bank", "organization_kind": "company",
        "organization_country": "JO", "consent_to_list": "y"}
BUSY_MILLISECONDS = 200


@pytest.fixture
def file_app(make_app, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'live.sqlite'}")
    with app.app_context():
        # A short busy timeout, so the drill waits a fraction of a second, not ten.
        sa.event.listen(db.engine, "connect", lambda connection, record: connection.execute(
            f"PRAGMA busy_timeout={BUSY_MILLISECONDS}"))
        db.engine.dispose()
    return app


def rows() -> tuple[int, int]:
    return (db.session.scalar(sa.select(sa.func.count()).select_from(Person)),
            db.session.scalar(sa.select(sa.func.count()).select_from(Registration)))


def assert_unavailable_page(response) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "The database is busy or unreachable. Please try again in a moment." in body
    assert "Traceback" not in body
    assert "OperationalError" not in body


def test_a_locked_database_answers_503_then_the_same_form_goes_through(file_app, tmp_path):
    client = file_app.test_client()
    with file_app.app_context():
        slug = make_event(status=EventStatus.REGISTRATION_OPEN).slug
        before = rows()
    holder = sqlite3.connect(tmp_path / "data" / "live.sqlite", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        locked = client.post(f"/events/{slug}/register", data=FORM)
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert_unavailable_page(locked)
    with file_app.app_context():
        assert rows() == before
    again = client.post(f"/events/{slug}/register", data=FORM)
    assert again.status_code == 302
    with file_app.app_context():
        assert rows() == (before[0] + 1, before[1] + 1)


def test_a_vanished_database_answers_503_and_the_next_request_after_its_return_works(
        file_app, tmp_path):
    client = file_app.test_client()
    with file_app.app_context():
        slug = make_event(status=EventStatus.REGISTRATION_OPEN).slug
        db.engine.dispose()  # no open file handle keeps the old file reachable
    (tmp_path / "data").rename(tmp_path / "moved")
    try:
        gone = client.get(f"/events/{slug}")
    finally:
        (tmp_path / "moved").rename(tmp_path / "data")

    assert_unavailable_page(gone)
    back = client.get(f"/events/{slug}")
    assert back.status_code == 200
    assert "Conference" in back.get_data(as_text=True)
