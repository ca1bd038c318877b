"""Capacity is exact under concurrency: many threads race for the last seats.

Each thread has its own app context, hence its own session and database connection
(the threaded_app fixture).
"""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from eventmgr.extensions import db
from eventmgr.registry import registration as service
from eventmgr.registry.enums import OrganizationKind, RegistrationStatus
from eventmgr.registry.models import Organization, Person, Registration
from eventmgr.series.enums import EventStatus
from eventmgr.series.models import Event
from tests.builders import make_event, make_organization, make_person, record_participant
from tests.conftest import shared_database_url

THREADS = 24
PEOPLE = 16  # fewer people than threads: some people submit twice at the same moment
CAPACITY = 6
ALREADY_SEATED = 3


@pytest.fixture
def race_app(threaded_app):
    return threaded_app(THREADS)


def _race(app, event_id: int, organization_id: int) -> list[str]:
    start = threading.Barrier(THREADS)

    def register(index: int) -> str:
        number = index % PEOPLE
        with app.app_context():
            start.wait()
            event = db.session.get(Event, event_id)
            registration = service.register_applicant(
                event, person_fields={"email": f"racer-{number}@example.org", "given_name": "Racer",
                                      "family_name": str(number)},
                organization=db.session.get(Organization, organization_id))
            # A racer whose address another thread registered first is asked to confirm by mail.
            status = registration.status.value if registration is not None else "asked to confirm"
            db.session.commit()
            return status

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(register, range(THREADS)))


@pytest.mark.parametrize("round_", range(2))
def test_racing_registrations_never_overbook_or_register_anyone_twice(race_app, round_):
    with race_app.app_context():
        organization = make_organization("Racing Club", kind=OrganizationKind.OTHER)
        event = make_event(status=EventStatus.REGISTRATION_OPEN, capacity=CAPACITY)
        for _ in range(ALREADY_SEATED):
            record_participant(event, organization)
        event_id, organization_id = event.id, organization.id

    outcomes = _race(race_app, event_id, organization_id)

    with race_app.app_context():
        by_status = dict(db.session.execute(
            select(Registration.status, func.count()).where(Registration.event_id == event_id)
            .group_by(Registration.status)).all())
        per_person = db.session.execute(
            select(Registration.person_id, func.count()).where(Registration.event_id == event_id)
            .group_by(Registration.person_id).having(func.count() > 1)).all()
        racers = db.session.scalar(select(func.count()).select_from(Person)
                                   .where(Person.email_key.like("racer-%")))
    assert len(outcomes) == THREADS
    assert by_status == {RegistrationStatus.CONFIRMED: CAPACITY,
                         RegistrationStatus.WAITLISTED: PEOPLE - (CAPACITY - ALREADY_SEATED)}
    assert per_person == []
    assert racers == PEOPLE


def test_cancellations_racing_registrations_keep_capacity_and_queue_order(race_app):
    with race_app.app_context():
        organization = make_organization("Racing Club", kind=OrganizationKind.OTHER)
        event = make_event(status=EventStatus.REGISTRATION_OPEN, capacity=CAPACITY)
        seated = [record_participant(event, organization).id for _ in range(CAPACITY)]
        event_id, organization_id = event.id, organization.id
    leaving = seated[:4]
    start = threading.Barrier(THREADS)

    def act(index: int) -> None:
        with race_app.app_context():
            start.wait()
            if index < len(leaving):
                service.cancel_registration(db.session.get(Registration, leaving[index]))
            else:
                service.register_applicant(
                    db.session.get(Event, event_id),
                    person_fields={"email": f"late-{index}@example.org", "given_name": "Late",
                                   "family_name": str(index)},
                    organization=db.session.get(Organization, organization_id))
            db.session.commit()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(act, range(THREADS)))

    with race_app.app_context():
        newcomers = db.session.execute(
            select(Registration.status, Registration.registered_at).where(
                Registration.event_id == event_id, Registration.id.not_in(seated))).all()
    confirmed = [at for status, at in newcomers if status is RegistrationStatus.CONFIRMED]
    waiting = [at for status, at in newcomers if status is RegistrationStatus.WAITLISTED]
    assert (len(confirmed), len(waiting)) == (len(leaving), THREADS - 2 * len(leaving))
    # Seats went to the earliest: nobody still waiting registered before someone seated.
    assert max(confirmed) < min(waiting)


# ---- SQLite's write lock, taken for a seat change while another connection writes

@pytest.fixture
def sqlite_file_app(make_app, tmp_path):
    if not shared_database_url(tmp_path, "x").startswith("sqlite"):
        pytest.skip("SQLite's write lock; PostgreSQL waits for the event row's lock in its own queue")
    path = tmp_path / "seats.sqlite"
    return make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}"), path


def _hold_write_lock(path) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def _busy_timeout() -> int:
    return db.session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar()


def test_a_seat_change_waits_for_another_writer_and_goes_through_when_it_commits(sqlite_file_app):
    app, path = sqlite_file_app
    with app.app_context():
        event = make_event(status=EventStatus.REGISTRATION_OPEN, capacity=1)
        person = make_person()
        db.session.commit()
        holder = _hold_write_lock(path)
        releasing = threading.Timer(0.3, holder.execute, args=("COMMIT",))
        releasing.start()
        try:
            registration = service.register_participant(event, person=person)
            db.session.commit()
        finally:
            releasing.join()
            holder.close()

        assert registration.status is RegistrationStatus.CONFIRMED
        assert _busy_timeout() == 10_000  # the connection's own timeout, back after the retries


def test_a_seat_change_gives_up_after_the_busy_timeout_and_writes_nothing(sqlite_file_app):
    app, path = sqlite_file_app
    with app.app_context():
        sa.event.listen(db.engine, "connect", lambda connection, record: connection.execute(
            "PRAGMA busy_timeout=100"))
        db.engine.dispose()
        event = make_event(status=EventStatus.REGISTRATION_OPEN, capacity=1)
        person = make_person()
        db.session.commit()
        holder = _hold_write_lock(path)
        try:
            with pytest.raises(OperationalError, match="database is locked"):
                service.register_participant(event, person=person)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        db.session.rollback()

        assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
        assert _busy_timeout() == 100
        # The lock free again, the same change goes through.
        assert service.register_participant(event, person=person).status is RegistrationStatus.CONFIRMED
