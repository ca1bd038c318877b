"""Participant registry timings: `.venv/bin/python -m bench.registry [SIZES...]`.

For 300, 3,000 and 30,000 registrations of one event (on a SQLite file, as served
through the app's test client, logged in as an organizer): the registrations list
page, its CSV and XLSX, the enclosure page, the composition page; then an import
of 10,000 rows. Prints the median of several runs and the SQL query count.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from config import TestingConfig
from eventmgr import create_app
from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.registry import imports
from eventmgr.registry.enums import OrganizationKind, ParticipantRole, RegistrationStatus, Sector
from eventmgr.registry.models import Organization, OrganizationSector, Person, Registration
from eventmgr.series import service as series_service
from eventmgr.series.enums import EventStatus, RegistrationMode

SIZES = (300, 3_000, 30_000)
IMPORT_ROWS = 10_000
PASSWORD = "bench password 1540"
ORGANIZER = "organizer@bench.example"
KINDS = list(OrganizationKind)
SECTORS = list(Sector)
COUNTRIES = ("DE", "FR", "IT", "US", "GB", "JP", "KR", "IN", "ZA", "BR", "MY", "SE", "NL", "CH")


def build_app(folder: Path):
    config = type("BenchConfig", (TestingConfig,), {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}"})
    app = create_app(config)
    app.instance_path = str(folder)
    with app.app_context():
        db.create_all()
        auth_service.create_user(ORGANIZER, role=Role.ORGANIZER, password=PASSWORD)
        db.session.commit()
    return app


def make_event(slug: str):
    series = series_service.create_series(slug=f"series-{slug}", name=f"Series {slug}")
    # Organizers manage the series they are granted (issue 13).
    auth_service.grant_series_role(auth_service.get_user_by_email(ORGANIZER), series.id, Role.ORGANIZER)
    event = series_service.create_event(
        series, slug=slug, title=f"Bench conference {slug}", start_date=dt.date(2014, 11, 20),
        end_date=dt.date(2014, 11, 21), timezone="Europe/Berlin",
        registration_mode=RegistrationMode.OPEN, capacity=None)
    for status in list(EventStatus)[1:3]:
        series_service.change_event_status(event, status)
    db.session.flush()
    return event


def populate(size: int) -> str:
    """One event with `size` confirmed registrations from size/25 organizations."""
    event = make_event(f"bench-{size}")
    now = dt.datetime.now(dt.UTC)
    organizations = max(size // 25, 12)
    first_org = (db.session.scalar(sa.select(sa.func.max(Organization.id))) or 0) + 1
    db.session.execute(sa.insert(Organization), [
        {"name": f"Organization {size}-{n}, Ltd. (Division {n % 7})",
         "name_key": f"organization {size}-{n}, ltd. (division {n % 7})", "acronym": "",
         "kind": KINDS[n % len(KINDS)], "country": COUNTRIES[n % len(COUNTRIES)],
         "state": COUNTRIES[n % len(COUNTRIES)] if KINDS[n % len(KINDS)] is OrganizationKind.GOVERNMENT
         else None, "created_at": now}
        for n in range(organizations)])
    db.session.execute(sa.insert(OrganizationSector), [
        {"organization_id": first_org + n, "sector": SECTORS[n % len(SECTORS)]}
        for n in range(organizations)])
    first_person = (db.session.scalar(sa.select(sa.func.max(Person.id))) or 0) + 1
    db.session.execute(sa.insert(Person), [
        {"given_name": f"Given{n}", "family_name": f"Family {n}", "honorific": "",
         "email": f"p{n}@size{size}.example", "email_key": f"p{n}@size{size}.example", "position": "",
         "organization_id": first_org + n % organizations, "country": None,
         "consent_to_list": n % 2 == 0, "created_at": now}
        for n in range(size)])
    db.session.execute(sa.insert(Registration), [
        {"event_id": event.id, "person_id": first_person + n,
         "organization_id": first_org + n % organizations, "state": None,
         "role": list(ParticipantRole)[n % 4], "status": RegistrationStatus.CONFIRMED,
         "dietary_needs": "", "access_needs": "", "visa_letter": False, "consent_to_list": n % 2 == 0,
         "comment": "", "registered_at": now, "status_changed_at": now}
        for n in range(size)])
    db.session.commit()
    return event.slug


def timed(app, client, url: str, runs: int) -> tuple[float, int]:
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(*args):
        statements.append(args[2])

    durations = []
    for run in range(runs + 1):
        statements.clear()
        sa.event.listen(engine, "after_cursor_execute", record)
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
        sa.event.remove(engine, "after_cursor_execute", record)
        assert response.status_code == 200, (url, response.status_code)
        if run:  # the first run warms caches (templates, statements)
            durations.append(elapsed)
    return statistics.median(durations), len(statements)


def import_file(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["given_name", "family_name", "email", "organization", "organization_kind",
                     "country", "role", "status", "sectors"])
    for n in range(rows):
        writer.writerow([f"Given{n}", f"Family, {n}", f"import{n}@example.org",
                         f"Imported organization {n % 400}", KINDS[n % 400 % len(KINDS)].value,
                         COUNTRIES[n % len(COUNTRIES)], "participant", "confirmed",
                         SECTORS[n % len(SECTORS)].value])
    return out.getvalue().encode("utf-8")


def main(sizes: tuple[int, ...]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(Path(folder))
        client = app.test_client()
        client.post("/auth/login", data={"email": ORGANIZER, "password": PASSWORD})
        print(f"{'registrations':>13}  {'work':<22} {'median ms':>10} {'queries':>8}")
        for size in sizes:
            with app.app_context():
                slug = populate(size)
            runs = 3 if size >= 30_000 else 7
            for label, url in (
                    ("list page", f"/events/{slug}/registrations"),
                    ("CSV", f"/events/{slug}/registrations.csv"),
                    ("XLSX", f"/events/{slug}/registrations.xlsx"),
                    ("enclosure page", f"/events/{slug}/participants/enclosure"),
                    ("composition page", f"/events/{slug}/composition")):
                median, queries = timed(app, client, url, runs)
                print(f"{size:>13,}  {label:<22} {median * 1000:>10.1f} {queries:>8}")
        with app.app_context():
            event = make_event("bench-import")
            data = import_file(IMPORT_ROWS)
            start = time.perf_counter()
            result = imports.import_participants(event, data, "bench.csv")
            db.session.commit()
            elapsed = time.perf_counter() - start
            assert result.applied and result.people_created == IMPORT_ROWS, result.errors[:3]
        print(f"{IMPORT_ROWS:>13,}  {'import (rows)':<22} {elapsed * 1000:>10.1f}")


if __name__ == "__main__":
    main(tuple(int(arg) for arg in sys.argv[1:]) or SIZES)
