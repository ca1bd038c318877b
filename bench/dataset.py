"""The benchmark dataset at a size factor, written with bulk inserts.

×1 is one event of 3 days, 8 rooms, 300 sessions, 600 speakers, 120
organizations and 3,000 registrations (DESIGN §6); ×10 multiplies every count
(rooms too, so a room's day stays the same length). The rows are the same on
every run: names and times come from the row number alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from config import TestingConfig, _database_url
from eventmgr import create_app
from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.agenda.models import AgendaSession, AgendaState, Room, SessionRole
from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.registry.enums import OrganizationKind, ParticipantRole, RegistrationStatus, Sector
from eventmgr.registry.models import (
    Organization,
    OrganizationSector,
    Person,
    Registration,
    organization_search_key,
    person_search_key,
)
from eventmgr.series.enums import EventStatus, RegistrationMode
from eventmgr.series.models import Event, Series

ORGANIZER = "organizer@bench.example"
PASSWORD = "bench password 1540"
DAYS = 3
FIRST_SLOT_UTC = dt.time(7, 0)  # 08:00 in Frankfurt in November
SLOT = dt.timedelta(minutes=40)
SESSION_LENGTH = dt.timedelta(minutes=35)
START_DATE = dt.date(2014, 11, 18)
COUNTRIES = ("DE", "FR", "IT", "US", "GB", "JP", "KR", "IN", "ZA", "BR", "MY", "SE", "NL", "CH")
# A State taking part as such is named after its State, never "Organization n": not generated.
KINDS = [kind for kind in OrganizationKind if kind is not OrganizationKind.STATE]
SECTORS = list(Sector)
SESSION_KINDS = [SessionKind.PLENARY, SessionKind.PANEL, SessionKind.BREAKOUT, SessionKind.KEYNOTE]
PARTICIPANT_ROLES = list(ParticipantRole)


@dataclass(frozen=True)
class Counts:
    rooms: int
    sessions: int
    speakers: int
    organizations: int
    registrations: int

    @classmethod
    def at(cls, factor: float) -> Counts:
        def scaled(base: int) -> int:
            return max(1, round(base * factor))

        return cls(rooms=scaled(8), sessions=scaled(300), speakers=scaled(600),
                   organizations=scaled(120), registrations=scaled(3_000))


@dataclass(frozen=True)
class Dataset:
    factor: float
    counts: Counts
    event_id: int
    slug: str


def bench_database_url(folder: Path, factor: float) -> str:
    """BENCH_DATABASE_URL (e.g. a PostgreSQL) when set, else a fresh SQLite file per size."""
    return _database_url("BENCH_DATABASE_URL", f"sqlite:///{folder / f'bench-x{factor:g}.sqlite'}")


def build_app(database_url: str, instance: Path) -> Flask:
    """The app on an emptied database, with one organizer account; CSRF and rate limits off."""
    config = type("BenchConfig", (TestingConfig,), {
        "SQLALCHEMY_DATABASE_URI": database_url, "MAIL_BACKEND": "memory"})
    app = create_app(config)
    app.instance_path = str(instance)
    with app.app_context():
        db.drop_all()
        db.create_all()
        auth_service.create_user(ORGANIZER, role=Role.ORGANIZER, password=PASSWORD)
        db.session.commit()
    return app


def generate(factor: float) -> Dataset:
    """Write the dataset into the app's database (inside an app context); commits."""
    counts = Counts.at(factor)
    now = dt.datetime(2014, 9, 1, tzinfo=dt.UTC)
    series_id = _insert_returning_id(Series, {"slug": "bench-series", "name": "Bench series",
                                              "created_at": now})
    # The bench organizer runs this series (rights are per series since #13).
    auth_service.grant_series_role(auth_service.get_user_by_email(ORGANIZER), series_id, Role.ORGANIZER)
    slug = f"bench-x{factor:g}".replace(".", "-")
    event_id = _insert_returning_id(Event, {
        "series_id": series_id, "slug": slug, "title": f"Bench conference ×{factor:g}",
        "theme": "Benchmarks", "start_date": START_DATE,
        "end_date": START_DATE + dt.timedelta(days=DAYS - 1), "timezone": "Europe/Berlin",
        "venue_city": "Frankfurt am Main", "venue_country": "DE",
        "status": EventStatus.REGISTRATION_OPEN, "registration_mode": RegistrationMode.OPEN,
        "capacity": None, "created_at": now, "updated_at": now})
    first_organization = _next_id(Organization)
    _bulk(Organization, [
        {"id": first_organization + n, "name": f"Organization {n} (Division {n % 7})",
         "name_key": f"organization {n} (division {n % 7})", "acronym": f"ORG{n}",
         "search_key": organization_search_key(f"Organization {n} (Division {n % 7})", f"ORG{n}"),
         "kind": KINDS[n % len(KINDS)], "country": COUNTRIES[n % len(COUNTRIES)],
         "state": COUNTRIES[n % len(COUNTRIES)] if KINDS[n % len(KINDS)] is OrganizationKind.GOVERNMENT
         else None, "created_at": now}
        for n in range(counts.organizations)])
    _bulk(OrganizationSector, [
        {"organization_id": first_organization + n, "sector": SECTORS[n % len(SECTORS)]}
        for n in range(counts.organizations)])
    # The first `speakers` people speak; every person registers.
    people = max(counts.registrations, counts.speakers)
    first_person = _next_id(Person)
    _bulk(Person, [
        {"id": first_person + n, "given_name": f"Given{n}", "family_name": f"Family {n}",
         "search_key": person_search_key(f"Given{n}", f"Family {n}"),
         "honorific": "", "email": f"person{n}@bench.example", "email_key": f"person{n}@bench.example",
         "position": "Delegate", "organization_id": first_organization + n % counts.organizations,
         "country": COUNTRIES[n % len(COUNTRIES)], "consent_to_list": n % 5 != 0, "created_at": now}
        for n in range(people)])
    _bulk(Registration, [
        {"event_id": event_id, "person_id": first_person + n,
         "organization_id": first_organization + n % counts.organizations, "state": None,
         "role": PARTICIPANT_ROLES[n % len(PARTICIPANT_ROLES)],
         "status": RegistrationStatus.CONFIRMED if n % 10 else RegistrationStatus.WAITLISTED,
         "dietary_needs": "", "access_needs": "", "visa_letter": False,
         "consent_to_list": n % 5 != 0, "comment": "", "registered_at": now, "status_changed_at": now}
        for n in range(counts.registrations)])
    first_room = _next_id(Room)
    _bulk(Room, [{"id": first_room + n, "event_id": event_id, "name": f"Room {n + 1}",
                  "capacity": 80, "position": n} for n in range(counts.rooms)])
    first_session = _next_id(AgendaSession)
    _bulk(AgendaSession, [_session_row(n, first_session, first_room, event_id, counts, now)
                          for n in range(counts.sessions)])
    _bulk(SessionRole, [
        {"session_id": first_session + n // 2, "person_id": first_person + n % counts.speakers,
         "role": SessionRoleKind.CHAIR if n % 2 == 0 else SessionRoleKind.SPEAKER, "position": n % 2}
        for n in range(2 * counts.sessions)])
    _bulk(AgendaState, [{"event_id": event_id, "published_at": now, "version": 1, "updated_at": now}])
    # Organizers manage the series they are granted (issue 13).
    auth_service.grant_series_role(auth_service.get_user_by_email(ORGANIZER), series_id, Role.ORGANIZER)
    db.session.commit()
    return Dataset(factor=factor, counts=counts, event_id=event_id, slug=slug)


def _session_row(n: int, first_session: int, first_room: int, event_id: int, counts: Counts,
                 now: dt.datetime) -> dict:
    # Round-robin over rooms, then days, then the slots of a day.
    room, rest = n % counts.rooms, n // counts.rooms
    day, slot = rest % DAYS, rest // DAYS
    starts_at = dt.datetime.combine(START_DATE + dt.timedelta(days=day), FIRST_SLOT_UTC,
                                    tzinfo=dt.UTC) + slot * SLOT
    return {"id": first_session + n, "event_id": event_id, "parent_id": None,
            "day": (starts_at + dt.timedelta(hours=1)).date(),  # the local (Frankfurt) day
            "kind": SESSION_KINDS[n % len(SESSION_KINDS)], "title": f"Session {n}: industry and policy",
            "description": f"What session {n} is about, in a sentence or two.",
            "starts_at": starts_at, "ends_at": starts_at + SESSION_LENGTH,
            "room_id": first_room + room, "position": slot, "is_published": True,
            "is_cancelled": n % 50 == 49, "sequence": 0, "created_at": now, "updated_at": now}


def _next_id(model) -> int:
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


def _insert_returning_id(model, values: dict) -> int:
    identifier = _next_id(model)
    _bulk(model, [{"id": identifier, **values}])
    return identifier


def _bulk(model, rows: list[dict]) -> None:
    if rows:
        db.session.execute(sa.insert(model), rows)
