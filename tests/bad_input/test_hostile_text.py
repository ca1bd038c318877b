"""Hostile text through every way in (forms, imports, the CLI): control characters refused
with a field error, invisible-only values empty, huge values refused before any costly check,
direction overrides isolated on every page; exports survive junk already in the database."""

from __future__ import annotations

import html
import io

import docx
import openpyxl
import pytest
import sqlalchemy as sa
from icalendar import Calendar
from lxml import etree
from lxml import html as lxml_html

from eventmgr.agenda import service as agenda
from eventmgr.agenda.enums import SessionRoleKind
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.registry import registration
from eventmgr.registry.models import Organization, Person
from eventmgr.reports.models import ReportSection
from eventmgr.series.enums import EventStatus
from eventmgr.series.models import Event
from tests.bad_input.conftest import BadInput, post_refused, row_counts
from tests.builders import make_event, make_organization, make_person

REGISTRATION = {"given_name": "Amani", "family_name": "Okafor", "email": "amani@example.org",
                "organization_name": "Lagos Chamber", "organization_kind": "company",
                "organization_country": "NG", "consent_to_list": "y"}
SESSION = {"kind": "panel", "title": "Opening panel", "description": "", "day": "2014-11-20",
           "starts_at": "10:00", "ends_at": "11:00", "room_id": "", "parent_id": ""}


def register(message: str, **fields) -> BadInput:
    return BadInput("/events/{slug}/register", REGISTRATION | fields, message, role=None)


CASES = {
    "\\x01 in an organization name": register("Remove the control character U+0001 (at character 5)",
                                              organization_name="Acme\x01 Ltd"),
    "a C1 control in a name": register("Remove the control character U+009B", family_name="Oka\x9bfor"),
    "a line break in a one-line field": register("Use a single line", position="Head\r\nBcc: x@example.org"),
    # The given name may stay empty (one name only): the family name is the one required.
    "a name of zero-width spaces": register("Enter your family name.", family_name="\u200b\u200b\u200b"),
    "a name of Hangul fillers and a BOM": register("Enter your family name.", family_name="\u3164\ufeff"),
    "a 10 MB email": register("Field cannot be longer than 254 characters.",
                              email="a" * 10_000_000 + "@example.org"),
    "a 1 MB dietary note": register("Field cannot be longer than 500 characters.",
                                    dietary_needs="x" * 1_000_000),
    "\\x01 in a session title": BadInput("/events/{slug}/agenda/sessions/new",
                                         SESSION | {"title": "Opening\x01"}, "U+0001"),
    "\\x0b in a session description": BadInput("/events/{slug}/agenda/sessions/new",
                                               SESSION | {"description": "a\x0bb"}, "U+000B"),
    "a subject with a header in it": BadInput("/events/{slug}/invitations/template",
                                              {"subject": "Hi\r\nBcc: all@example.org", "body": "{link}"},
                                              "Use a single line"),
    "a placeholder with a format spec": BadInput("/events/{slug}/invitations/template",
                                                 {"subject": "Hi", "body": "{name:>5000000} {link}"},
                                                 "{name:>5000000}: a placeholder is its name alone"),
    "a placeholder with attribute access": BadInput("/events/{slug}/invitations/template",
                                                    {"subject": "{event.__class__}", "body": "{link}"},
                                                    "Unknown placeholder {event.__class__}"),
    "a placeholder with a conversion": BadInput("/events/{slug}/invitations/template",
                                                {"subject": "{name!r}", "body": "{link}"},
                                                "{name!r}: a placeholder is its name alone"),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_hostile_text_is_refused_with_a_field_error_and_writes_nothing(client, auth, world, case):
    post_refused(client, auth, world, case)


def test_a_huge_email_is_refused_before_email_validation_runs(client, world, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("email validation ran on a 10 MB value")

    monkeypatch.setattr("email_validator.validate_email", never)
    response = client.post(f"/events/{world.slug}/register",
                           data=REGISTRATION | {"email": "a" * 10_000_000 + "@example.org"})
    assert response.status_code == 400


def _outside_bdi(page: str, text: str) -> list[str]:
    """The elements showing `text` without a <bdi> around it (the page title and options aside)."""
    document = lxml_html.fromstring(page)
    found = []
    for element in document.iter():
        for node, owner in ((element.text, element), (element.tail, element.getparent())):
            shown = node and text in node and owner is not None and owner.tag not in ("title", "option")
            if shown and not any(ancestor.tag == "bdi" for ancestor in (owner, *owner.iterancestors())):
                found.append(owner.tag)
    return found


def test_a_direction_override_is_closed_and_isolated_on_every_page(client, auth, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    client.post(f"/events/{event.slug}/register", data=REGISTRATION | {
        "family_name": "\u202eOkafor", "organization_name": "\u202eLagos Chamber"})
    person = db.session.scalar(sa.select(Person))
    organization = db.session.scalar(sa.select(Organization))
    # Closed at the end (U+202C), so it cannot turn around what follows it anywhere.
    assert (person.family_name, organization.name) == ("\u202eOkafor\u202c", "\u202eLagos Chamber\u202c")
    auth.login(Role.ORGANIZER)

    for url in (f"/events/{event.slug}/registrations", f"/events/{event.slug}/badges",
                f"/events/{event.slug}/checkin", f"/people/{person.id}", "/people",
                f"/organizations/{organization.id}", "/organizations"):
        page = client.get(url).get_data(as_text=True)
        assert "Okafor" in page or "Lagos" in page, url
        assert _outside_bdi(page, "Okafor") == [] and _outside_bdi(page, "Lagos Chamber") == [], url


def test_the_cli_refuses_control_characters_in_its_arguments(runner, app_ctx):
    runner.invoke(args=["series", "create", "--slug", "wiesbaden", "--name", "Wiesbaden process"])
    before = row_counts()
    result = runner.invoke(args=["events", "create", "--series", "wiesbaden", "--slug", "berlin-2015",
                                 "--title", "Berlin\x01 2015", "--start", "2015-11-20", "--end", "2015-11-21",
                                 "--timezone", "Europe/Berlin"])
    assert result.exit_code == 2
    assert "Invalid value for '--title': Remove the control character U+0001" in result.output
    empty = runner.invoke(args=["series", "create", "--slug", "empty", "--name", "\u200b\u200b"])
    assert (empty.exit_code, "Give the series a name." in empty.output) == (1, True)
    db.session.rollback()
    assert row_counts() == before


JUNK = "\x01\x0b\x1f"  # what lxml and python-docx refuse; PostgreSQL stores them (not NUL)


@pytest.fixture
def junk_in_the_database(app_ctx, users):
    """Control characters written straight into the database, as data from before the normaliser."""
    event = make_event(status=EventStatus.REGISTRATION_OPEN, title="Frankfurt conference")
    organization = make_organization("Acme GmbH")
    person = make_person(organization=organization)
    registration.register_participant(event, person=person, organization=organization, visa_letter=True)
    session = agenda.create_session(event, None, kind="panel", title="Opening", description="About it.",
                                    starts_at=agenda.local_to_utc(event, _local(event, 10)),
                                    ends_at=agenda.local_to_utc(event, _local(event, 11)))
    agenda.add_person(session, person, SessionRoleKind.SPEAKER, None)
    agenda.publish_agenda(event, None)
    from eventmgr.reports import service as reports

    reports.draft_report(event, None)
    db.session.commit()
    nul = "\x00" if db.engine.dialect.name == "sqlite" else ""
    for table, column in ((Organization, Organization.name), (Person, Person.family_name),
                          (Event, Event.title), (ReportSection, ReportSection.body)):
        db.session.execute(sa.update(table).values({column: column + JUNK + nul}))
    from eventmgr.agenda.models import AgendaSession

    db.session.execute(sa.update(AgendaSession).values(title="Open" + JUNK + nul + "ing"))
    db.session.commit()
    return event


def _local(event, hour: int):
    import datetime as dt

    return dt.datetime.combine(event.start_date, dt.time(hour))


def test_exports_still_work_with_control_characters_already_stored(client, auth, junk_in_the_database):
    event = junk_in_the_database
    auth.login(Role.ORGANIZER)
    exports = {name: client.get(f"/events/{event.slug}/{name}") for name in (
        "participants/enclosure.docx", "agenda.docx", "schedule.xml", "agenda.ics", "report.docx",
        "registrations.xlsx", "registrations.csv", "badges.docx", "letters/visa.docx",
        "letters/certificate.docx")}
    assert {name: response.status_code for name, response in exports.items()} == dict.fromkeys(exports, 200)

    enclosure_doc = docx.Document(io.BytesIO(exports["participants/enclosure.docx"].data))
    enclosure = "\n".join(paragraph.text for paragraph in enclosure_doc.paragraphs)
    assert "Acme GmbH" in enclosure and "\x01" not in enclosure
    agenda_doc = docx.Document(io.BytesIO(exports["agenda.docx"].data))
    assert any("Panel: Open" in cell.text for table in agenda_doc.tables for row in table.rows
               for cell in row.cells)
    schedule = etree.fromstring(exports["schedule.xml"].data)
    assert schedule.findtext(".//event/title") == "Opening"
    [vevent] = Calendar.from_ical(exports["agenda.ics"].data).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Opening"
    for name in ("report.docx", "badges.docx", "letters/visa.docx", "letters/certificate.docx"):
        docx.Document(io.BytesIO(exports[name].data))  # each opens
    visa = "\n".join(p.text for p in docx.Document(io.BytesIO(exports["letters/visa.docx"].data)).paragraphs)
    assert "Frankfurt conference" in visa and "\x01" not in visa
    sheet = openpyxl.load_workbook(io.BytesIO(exports["registrations.xlsx"].data)).active
    assert any(cell.value == "Acme GmbH" for row in sheet.iter_rows() for cell in row)


def test_public_exports_survive_a_control_character_in_a_session_title(client, junk_in_the_database):
    event = junk_in_the_database
    for name in ("agenda.docx", "schedule.xml", "agenda.ics", "schedule.json"):
        assert client.get(f"/events/{event.slug}/{name}").status_code == 200, name
    page = html.unescape(client.get(f"/events/{event.slug}/agenda").get_data(as_text=True))
    assert "Open" in page
