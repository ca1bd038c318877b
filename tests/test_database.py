"""The test fixtures' promises: a reused app comes back as new, and prebuilt data is an exact copy."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from eventmgr.extensions import db
from eventmgr.mail.sender import memory_outbox
from eventmgr.series.models import Event
from tests.builders import make_event
from tests.conftest import _fresh_app


def test_a_reused_app_comes_back_with_an_empty_database_and_its_own_config(tmp_path):
    overrides = {"MAIL_DEFAULT_SENDER": "Fixture test <fixtures@example.org>"}  # a key of its own
    first = _fresh_app(overrides, tmp_path, slot=0)
    with first.app_context():
        make_event()
        db.session.commit()
        memory_outbox().append("a message")
    first.config["MAIL_BACKEND"] = "smtp"

    again = _fresh_app(overrides, tmp_path, slot=0)

    assert again is first
    assert again.config["MAIL_BACKEND"] == "memory"
    with again.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0
        assert memory_outbox() == []
        assert make_event().id == 1  # ids start again, as in a new database


def test_prebuilt_data_comes_back_as_it_was_built(app, prebuilt):
    def build() -> str:
        event = make_event(slug="built-once")
        (Path(app.instance_path) / "uploads").mkdir()
        (Path(app.instance_path) / "uploads" / "kept.txt").write_text("kept")
        return event.slug

    assert prebuilt("fixture test", build) == "built-once"
    with app.app_context():
        db.session.execute(sa.delete(Event))
        db.session.commit()
    (Path(app.instance_path) / "uploads" / "kept.txt").unlink()

    assert prebuilt("fixture test", build) == "built-once"
    with app.app_context():
        assert db.session.scalars(sa.select(Event.slug)).all() == ["built-once"]
        assert make_event().id == 2  # the sequences come back too
    assert (Path(app.instance_path) / "uploads" / "kept.txt").read_text() == "kept"



def test_two_apps_asked_for_in_one_test_are_two_apps(make_app):
    assert make_app() is not make_app()
