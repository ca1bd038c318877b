"""Concurrency drill: 200 people submit the public registration form at once for the
last 50 seats, against gunicorn with 4 workers on a file SQLite database (or the
PostgreSQL of TEST_DATABASE_URL). CSRF is on: each client fetches the form first.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from bench.gunicorn import served
from config import TestingConfig
from eventmgr.extensions import db
from eventmgr.mail.models import Message
from eventmgr.registry.enums import RegistrationStatus
from eventmgr.registry.models import Person, Registration
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, record_participant
from tests.drills.http import FormClient

pytestmark = pytest.mark.slow

CLIENTS = 200
SEATS_LEFT = 50
ALREADY_SEATED = 10


@pytest.fixture
def database_url(tmp_path) -> str:
    url = TestingConfig.SQLALCHEMY_DATABASE_URI
    return f"sqlite:///{tmp_path / 'race.sqlite'}" if url == "sqlite://" else url


def test_two_hundred_people_race_for_the_last_fifty_seats(make_app, database_url, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        event = make_event(status=EventStatus.REGISTRATION_OPEN, capacity=ALREADY_SEATED + SEATS_LEFT)
        organization = make_organization()
        for _ in range(ALREADY_SEATED):
            record_participant(event, organization)
        slug, event_id = event.slug, event.id
        db.session.remove()
        db.engine.dispose()
    env = {"EVENTMGR_CONFIG": "config.DevelopmentConfig", "DATABASE_URL": database_url,
           "SECRET_KEY": "drill secret", "RATELIMIT_ENABLED": "0", "MAIL_BACKEND": "memory"}
    clients = [FormClient("") for _ in range(CLIENTS)]
    start = threading.Barrier(CLIENTS)

    def register(index: int):
        client = clients[index]
        token = client.csrf_token(f"/events/{slug}/register")
        start.wait()
        return client.post(f"/events/{slug}/register", {
            "csrf_token": token, "given_name": "Racer", "family_name": f"Number {index}",
            "email": f"racer-{index}@example.org", "organization_name": f"Racing team {index % 7}",
            "organization_kind": "company", "organization_country": "DE", "consent_to_list": "y"})

    with served("eventmgr:create_app()", env=env, workers=4, threads=4,
                ready_path=f"/events/{slug}/register", log=tmp_path / "gunicorn.log") as base_url:
        for client in clients:
            client.base_url = base_url
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            answers = list(pool.map(register, range(CLIENTS)))

    # Everyone gets the same "check your inbox" answer; the outcome is in the mail and the database.
    assert Counter((answer.status, answer.location.rsplit("/", 1)[-1]) for answer in answers) == {
        (302, "done"): CLIENTS}
    with app.app_context():
        statuses = Counter(db.session.scalars(
            sa.select(Registration.status).where(Registration.event_id == event_id)))
        people = db.session.scalar(sa.select(sa.func.count(sa.distinct(Registration.person_id)))
                                   .where(Registration.event_id == event_id))
        racers = db.session.execute(
            sa.select(Registration.status, Registration.registered_at, Person.email)
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.event_id == event_id, Person.email.like("racer-%"))).all()
        mails = Counter(db.session.execute(
            sa.select(Message.recipient, Message.kind).where(Message.recipient.like("racer-%"))).all())
    assert statuses == {RegistrationStatus.CONFIRMED: ALREADY_SEATED + SEATS_LEFT,
                        RegistrationStatus.WAITLISTED: CLIENTS - SEATS_LEFT}
    assert people == ALREADY_SEATED + CLIENTS
    # Seats went in the order the registrations took the lock: every confirmed racer registered
    # before every waitlisted one, and the waiting list is in that order.
    seated = [row.registered_at for row in racers if row.status is RegistrationStatus.CONFIRMED]
    waiting = [row.registered_at for row in racers if row.status is RegistrationStatus.WAITLISTED]
    assert max(seated) <= min(waiting)
    # Each racer's message was written in the registration's transaction: one each, of its status.
    kinds = {RegistrationStatus.CONFIRMED: "registration_confirmed",
             RegistrationStatus.WAITLISTED: "registration_waitlisted"}
    assert mails == Counter((row.email, kinds[row.status]) for row in racers)
