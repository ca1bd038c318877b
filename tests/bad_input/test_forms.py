"""Bad input on the forms: each case gets a clear message, a 400 page, and no row written."""

from __future__ import annotations

import pytest

from eventmgr.auth.enums import Role
from tests.bad_input.conftest import BadInput, post_refused

SERIES = {"name": "Wiesbaden process II", "slug": "wiesbaden-2", "description": "",
          "mandate_references": ""}
EVENT = {"title": "Industry outreach conference", "slug": "berlin-2015", "theme": "",
         "background": "", "start_date": "2015-11-20", "end_date": "2015-11-21",
         "timezone": "Europe/Berlin", "venue_name": "", "venue_city": "Berlin", "venue_country": "DE",
         "registration_mode": "open", "capacity": "80", "goals": ""}
USER = {"email": "new@example.org", "role": "organizer", "password": "long enough password"}
REGISTRATION = {"given_name": "Amani", "family_name": "Okafor", "email": "amani@example.org",
                "organization_name": "Lagos Chamber", "organization_kind": "company",
                "organization_country": "NG", "consent_to_list": "y"}
ORGANIZATION = {"name": "Siemens AG", "acronym": "", "kind": "company", "country": "DE",
                "sectors": "energy"}
PERSON = {"honorific": "", "given_name": "Ana", "family_name": "Silva", "email": "ana@example.org",
          "position": "", "country": "BR"}

SQL = "x'); DROP TABLE person; --"
TOO_LONG = "é" * 301


def series(message: str, **fields) -> BadInput:
    return BadInput("/series/new", SERIES | fields, message)


def event(message: str, **fields) -> BadInput:
    return BadInput("/series/{series_slug}/events/new", EVENT | fields, message)


def register(message: str, **fields) -> BadInput:
    return BadInput("/events/{slug}/register", REGISTRATION | fields, message, role=None)


def user(message: str, **fields) -> BadInput:
    return BadInput("/auth/users", USER | fields, message, role=Role.ADMIN)


def report(path: str, data: dict[str, str], message: str, status: int = 400) -> BadInput:
    return BadInput(f"/events/{{slug}}/report/{path}", data, message, status=status)


CASES = {
    # series
    "series name too long": series("Field cannot be longer than 200 characters.", name=TOO_LONG),
    "series name empty": series("This field is required.", name="   "),
    "series address with spaces": series("lower-case letters", slug="Not A Slug"),
    "series address as SQL": series("lower-case letters", slug=SQL),
    "series address taken": series("already", slug="wiesbaden-process"),
    # events
    "event ends before it starts": event("The event cannot end before it starts.", end_date="2015-11-19"),
    "event date that does not exist": event("Enter a date.", start_date="2015-02-30"),
    "event date in words": event("Enter a date.", start_date="next Tuesday"),
    "event time zone unknown": event("Not a valid choice.", timezone="Mars/Olympus_Mons"),
    "event time zone as SQL": event("Not a valid choice.", timezone=SQL),
    "event capacity zero": event("At least 1 seat.", capacity="0"),
    "event capacity in words": event("Not a valid integer value.", capacity="eighty"),
    "event capacity beyond any room": event("At most 1,000,000 seats.", capacity=str(10**20)),
    "event country unknown": event("Not a valid choice.", venue_country="XX"),
    "event title too long": event("Field cannot be longer than 300 characters.", title=TOO_LONG),
    # login
    "login wrong password": BadInput("/auth/login", {"email": "admin@test.example", "password": "nope"},
                                     "The email or password is not correct.", role=None),
    "login SQL as email": BadInput("/auth/login", {"email": "' OR 1=1 --", "password": "x"},
                                   "The email or password is not correct.", role=None),
    "login email too long": BadInput("/auth/login", {"email": "a" * 250 + "@example.org", "password": "x"},
                                     "Field cannot be longer than 254 characters.", role=None),
    # accounts
    "account email invalid": user("Invalid email address.", email="not-an-email"),
    "account password short": user("Field must be between 10 and 200 characters long.", password="short"),
    "account email taken": user("already", email="organizer@test.example"),
    "account role forged": user("Not a valid choice.", role="superuser"),
    # public registration
    "registration without email": register("Enter your email address.", email=""),
    "registration email invalid": register("email", email="amani@"),
    "registration email with a header": register("email", email="amani@example.org\r\nBcc: x@example.org"),
    "registration name too long": register("Field cannot be longer than 120 characters.",
                                           given_name=TOO_LONG),
    "registration organization kind forged": register("Not a valid choice.", organization_kind="cartel"),
    "registration country unknown": register("Not a valid choice.", organization_country="ZZ"),
    "registration organization id forged": register("Not a valid choice.", organization_id="999999",
                                                    organization_name=""),
    "registration dietary needs too long": register("Field cannot be longer than 500 characters.",
                                                    dietary_needs="x" * 501),
    "registration NUL character": register("holds a NUL character", family_name="Oka\x00for"),
    # directory
    "organization name too long": BadInput("/organizations/new", ORGANIZATION | {"name": TOO_LONG},
                                           "Field cannot be longer than 300 characters."),
    "organization sector forged": BadInput("/organizations/new", ORGANIZATION | {"sectors": "piracy"},
                                           "'piracy' is not a valid choice for this field."),
    "person email invalid": BadInput("/people/new", PERSON | {"email": "ana at example"}, "email"),
    # outcome report
    "rapporteur notes empty": report("sessions/{session_id}/notes", {"note-body": "  "},
                                     "This field is required."),
    "finding too long": report("sessions/{session_id}/findings", {"finding-text": "x" * 2001},
                               "Field cannot be longer than 2000 characters."),
    "recommendation without addressee": report(
        "sessions/{session_id}/recommendations",
        {"recommendation-text": "Do more.", "recommendation-addressee": ""}, "This field is required."),
    "notes for a session of another event": report("sessions/999999/notes", {"note-body": "Notes"},
                                                   "There is nothing at this address.", status=404),
    "report section without title": report("sections/new", {"title": "", "body": "Text"},
                                           "This field is required."),
    "report title too long": report("settings", {"title": TOO_LONG, "subtitle": ""},
                                    "Field cannot be longer than 300 characters."),
    "letter dated 45 December": report("letter", {"sender": "Mission", "addressee": "President",
                                                  "date": "2014-12-45", "body": "Text", "signature": ""},
                                       "Not a valid date value."),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_form_input_is_refused_and_writes_nothing(client, auth, world, case):
    post_refused(client, auth, world, case)


@pytest.mark.parametrize("url", ["/organizations/{huge}", "/people/{huge}", "/people/{huge}/edit"])
def test_an_id_beyond_the_database_range_is_a_bad_request_not_a_crash(client, auth, world, url):
    auth.login(Role.ORGANIZER)
    response = client.get(url.format(huge=10**20))
    assert response.status_code == 400
    assert "A number in the request is too large." in response.get_data(as_text=True)
