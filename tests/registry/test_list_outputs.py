"""The participant lists come out byte for byte as before the plain-row rewrite (issue 19).

The fixtures in tests/registry/fixtures/lists-output/ were written by the ORM-based
exports and public list on a registry holding every tricky value: names in other
scripts, commas, quotes, semicolons, formula-like cells, line breaks, non-BMP
characters, people without an organization, waiting and unlisted people, a check-in.
`EVENTMGR_WRITE_FIXTURES=1` rewrites them (only after checking a change is meant).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.registry import exports
from eventmgr.registry import service as registry_service
from eventmgr.registry.enums import (
    Attendance,
    ListVisibility,
    NameOrder,
    OrganizationKind,
    RegistrationStatus,
)
from eventmgr.registry.models import Organization, ParticipantListSetting, Person, Registration
from eventmgr.registry.organizations import update_organization
from eventmgr.registry.registration_queries import RegistrationFilter, registrations_for_export
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, make_person, record_participant

FIXTURES = Path(__file__).parent / "fixtures" / "lists-output"
REGISTERED = dt.datetime(2014, 10, 1, 7, 30, 15, 123456, tzinfo=dt.UTC)

# (honorific, given, family, email, position, organization, kind, country, status, consent)
PEOPLE = [
    ("H.E.", "Jean-Luc", "Abbott, Jr. (Paris)", "jl@example.fr", "Ambassador; Head",
     "Ministère de l’Europe et des Affaires étrangères", OrganizationKind.GOVERNMENT, "FR"),
    ("", '"Quoted"', "Brennan O'Neill", "q@example.ie", "=1+1", "=1+1 Holdings", OrganizationKind.COMPANY,
     "IE"),
    ("Dr.", "Zoë", "Carré-Ölund", "zoe@example.se", "+49 30 1234", "@Company, \"The\"",
     OrganizationKind.INDUSTRY_ASSOCIATION, "SE"),
    ("", "Dana", "Dunn 😀 𝔊𝔢𝔬𝔯𝔤", "dana@example.org", "-minus", "Tab\tand line\nbreak Ltd",
     OrganizationKind.OTHER, None),
    ("", "Evan", "Egger", "evan@example.org", "", None, None, None),
    ("Prof.", "Алексей", "Иванов", "a@example.ru", "Заведующий, лаборатория", "Росатом, Госкорпорация",
     OrganizationKind.COMPANY, "RU"),
    ("", "سارة", "العلي", "s@example.sa", "", "جامعة الملك سعود", OrganizationKind.ACADEMIA, "SA"),
    ("", "明", "王", "m@example.cn", "", "中国科学院", OrganizationKind.THINK_TANK, "CN"),
    ("", "Organisation", "Internationale", "oi@example.int", "", "Organisation pour l'interdiction",
     OrganizationKind.INTERNATIONAL, None),
]


def _registry():
    """The event with every tricky value, its list published with persons' names; its slug."""
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    organizations = {}
    for n, (honorific, given, family, email, position, org_name, kind, country) in enumerate(PEOPLE):
        organization = None
        if org_name:
            organization = organizations.get(org_name) or make_organization(org_name, kind=kind,
                                                                            country=country)
            organizations[org_name] = organization
        person = make_person(email, organization=organization, honorific=honorific, given_name=given,
                             family_name=family, position=position, consent_to_list=n != 4,
                             country="NZ" if n == 3 else None,
                             name_order=NameOrder.FAMILY_GIVEN if given == "明" else NameOrder.GIVEN_FAMILY)
        status = RegistrationStatus.WAITLISTED if n == 2 else RegistrationStatus.CONFIRMED
        registration = record_participant(event, organization, person=person, status=status)
        registration.consent_to_list = n not in (4, 8)
        registration.dietary_needs = ["", "Vegan, no nuts", "@halal", "=cmd|' /C calc'!A0"][n % 4]
        registration.access_needs = "Wheelchair\r\nramp" if n == 3 else ""
        registration.visa_letter = n % 3 == 0
        registration.registered_at = registration.status_changed_at = REGISTERED + dt.timedelta(hours=n)
        if n == 1:
            registration.attendance = Attendance.ATTENDED
            registration.checked_in_at = REGISTERED + dt.timedelta(days=50, minutes=7)
    db.session.add(ParticipantListSetting(event_id=event.id, visibility=ListVisibility.PERSONS))
    db.session.commit()
    return event


def _compare(name: str, produced: bytes) -> None:
    path = FIXTURES / name
    if os.environ.get("EVENTMGR_WRITE_FIXTURES") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(produced)
    assert produced == path.read_bytes(), name


def _xlsx_parts(data: bytes) -> bytes:
    """Every part of the workbook but its creation time (docProps/core.xml), in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(f"--- {name}\n".encode() + archive.read(name)
                        for name in archive.namelist() if name != "docProps/core.xml")


@pytest.mark.parametrize("keys", [[], [column.key for column in exports.COLUMNS]],
                         ids=["default columns", "every column"])
def test_csv_and_xlsx_are_unchanged(app_ctx, keys):
    event = _registry()
    rows = registrations_for_export(event, RegistrationFilter(sort="registered"))
    columns = exports.choose_columns(keys)
    suffix = "all" if keys else "default"
    _compare(f"registrations-{suffix}.csv", exports.registrations_csv(rows, columns, event.zone))
    _compare(f"registrations-{suffix}.xlsx-parts",
             _xlsx_parts(exports.registrations_xlsx(rows, columns, event.zone)))


def test_export_routes_are_unchanged(app_ctx, client, auth):
    event = _registry()
    auth.login(Role.ORGANIZER)
    columns = "&".join(f"column={column.key}" for column in exports.COLUMNS)
    csv = client.get(f"/events/{event.slug}/registrations.csv?sort=registered&{columns}")
    xlsx = client.get(f"/events/{event.slug}/registrations.xlsx?sort=registered&{columns}")
    assert csv.status_code == xlsx.status_code == 200
    _compare("registrations-all.csv", csv.data)
    _compare("registrations-all.xlsx-parts", _xlsx_parts(xlsx.data))


def test_public_list_is_unchanged(app_ctx, client):
    event = _registry()
    answer = client.get(f"/events/{event.slug}/participant-list")
    assert answer.status_code == 200
    main = re.search(r"<main.*?</main>", answer.get_data(as_text=True), re.S).group(0)
    _compare("public-list.html", main.replace(event.slug, "SLUG").replace(event.title, "TITLE").encode())


def test_the_public_list_runs_a_fixed_number_of_queries(app_ctx, client, count_queries):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    db.session.add(ParticipantListSetting(event_id=event.id, visibility=ListVisibility.PERSONS))
    db.session.commit()
    counts = []
    for size in (3, 30):
        for n in range(size):
            organization = make_organization(kind=list(OrganizationKind)[n % len(OrganizationKind)])
            person = make_person(organization=organization, consent_to_list=True)
            record_participant(event, organization, person=person).consent_to_list = True
        db.session.commit()
        with count_queries() as statements:
            assert client.get(f"/events/{event.slug}/participant-list").status_code == 200
        counts.append(len(statements))

    assert counts[0] == counts[1]


def test_the_kept_list_follows_every_change_of_what_it_shows(app_ctx, client):
    event = _registry()
    url = f"/events/{event.slug}/participant-list"
    first = client.get(url).get_data(as_text=True)
    assert client.get(url).get_data(as_text=True) == first  # served from the kept body
    person = db.session.scalar(sa.select(Person).where(Person.email_key == "m@example.cn"))
    organization = db.session.scalar(sa.select(Organization).where(Organization.name == "=1+1 Holdings"))

    registry_service.update_person(person, family_name="王小")
    db.session.commit()
    renamed = client.get(url).get_data(as_text=True)
    update_organization(organization, name="Holdings Ltd")
    db.session.commit()
    moved = client.get(url).get_data(as_text=True)
    registration = db.session.scalar(sa.select(Registration).where(Registration.person_id == person.id))
    registration.consent_to_list = False
    db.session.commit()
    withdrawn = client.get(url).get_data(as_text=True)

    assert "王 明</bdi>" in first and "王小 明</bdi>" in renamed
    assert "=1+1 Holdings" in renamed and "=1+1 Holdings" not in moved and "Holdings Ltd (Ireland)" in moved
    assert "王小 明</bdi>" not in withdrawn and "中国科学院 (China)" in withdrawn
