"""Fault drill: `flask participants import` killed (SIGKILL) while it writes → nothing kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench.registry import import_file
from config import TestingConfig
from eventmgr.extensions import db
from eventmgr.registry.models import Organization, Person, Registration
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, record_participant

pytestmark = pytest.mark.slow

ROWS = 20_000
ROOT = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).with_name("flask")
KILL_AFTER_SECONDS = 1.0


def counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Organization, Person, Registration)}


def test_an_import_killed_midway_leaves_the_database_as_it_was(make_app, tmp_path):
    url = TestingConfig.SQLALCHEMY_DATABASE_URI
    url = f"sqlite:///{tmp_path / 'import.sqlite'}" if url == "sqlite://" else url
    app = make_app(SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        event = make_event(status=EventStatus.REGISTRATION_OPEN)
        record_participant(event, make_organization())
        slug, before = event.slug, counts()
        db.session.remove()
        db.engine.dispose()
    people = tmp_path / "people.csv"
    people.write_bytes(import_file(ROWS))
    command = [str(FLASK), "participants", "import", slug, str(people)]
    env = {**os.environ, "FLASK_APP": "eventmgr", "EVENTMGR_CONFIG": "config.DevelopmentConfig",
           "DATABASE_URL": url, "SECRET_KEY": "drill secret"}

    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    # The progress label appears once the file is read and checked, when writing begins.
    started = process.stdout.readline()
    time.sleep(KILL_AFTER_SECONDS)
    process.send_signal(signal.SIGKILL)
    rest = process.communicate(timeout=30)[0]

    assert started.startswith("Importing"), started + rest
    assert process.returncode == -signal.SIGKILL, f"the import ended before the kill: {rest}"
    with app.app_context():
        assert counts() == before
    # The database is sound afterwards: the same import then goes through.
    finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    with app.app_context():
        assert counts()["Registration"] == before["Registration"] + ROWS
