"""The check-in page (find, mark attended, undo) and the printable name badges."""

from __future__ import annotations

import re

from eventmgr.auth.enums import Role
from eventmgr.auth.models import User
from eventmgr.extensions import db
from eventmgr.registry import registration as service
from eventmgr.registry.enums import Attendance, OrganizationKind, RegistrationStatus
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, make_person


def _seat(event, given: str, family: str, organization=None):
    registration = service.register_participant(event, person=make_person(
        given_name=given, family_name=family, organization=organization))
    db.session.commit()
    return registration


def test_search_finds_confirmed_registrants_by_name_email_or_organization(client, auth, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN, capacity=2)
    bayer = make_organization("Bayer AG", country="DE")
    _seat(event, "Lena", "Schmidt", bayer)
    _seat(event, "Tomás", "Ortega")
    _seat(event, "Waiting", "Person")  # on the waiting list: not at the door
    auth.login(Role.ORGANIZER)

    by_name = client.get(f"/events/{event.slug}/checkin?q=schm").get_data(as_text=True)
    by_organization = client.get(f"/events/{event.slug}/checkin?q=bayer").get_data(as_text=True)
    everyone = client.get(f"/events/{event.slug}/checkin").get_data(as_text=True)

    assert "Lena Schmidt" in by_name and "Tomás Ortega" not in by_name
    assert "Lena Schmidt" in by_organization and "Germany" in by_organization
    assert "Tomás Ortega" in everyone and "Waiting Person" not in everyone
    assert "0</strong> of 2 checked in" in everyone


def test_check_in_and_undo_return_to_the_same_search(client, auth, users, app_ctx):
    event = make_event(status=EventStatus.HELD)
    registration = service.register_participant(event, person=make_person(given_name="Lena"),
                                                actor=db.session.get(User, users[Role.ORGANIZER]))
    db.session.commit()
    auth.login(Role.ORGANIZER)
    url = f"/events/{event.slug}/checkin/{registration.id}"

    marked = client.post(url, data={"q": "lena"})
    db.session.refresh(registration)
    attended = (registration.attendance, registration.checked_in_at is not None)
    page = client.get(marked.headers["Location"]).get_data(as_text=True)
    client.post(url, data={"q": "lena", "undo": "1"})
    db.session.refresh(registration)

    assert marked.headers["Location"] == f"/events/{event.slug}/checkin?q=lena"
    assert attended == (Attendance.ATTENDED, True)
    assert "Undo check-in of Lena" in page
    assert (registration.attendance, registration.checked_in_at) == (None, None)


def test_checking_in_someone_not_confirmed_is_refused_with_a_message(client, auth, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN, capacity=1)
    _seat(event, "Seated", "First")
    waiting = _seat(event, "Wait", "Ing")
    auth.login(Role.ORGANIZER)

    page = client.post(f"/events/{event.slug}/checkin/{waiting.id}", follow_redirects=True
                       ).get_data(as_text=True)

    assert "confirm the registration before checking in" in page
    db.session.refresh(waiting)
    assert (waiting.status, waiting.attendance) == (RegistrationStatus.WAITLISTED, None)


def test_badges_come_eight_to_a_sheet_with_name_organization_and_country(client, auth, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    ministry = make_organization("Ministry of Foreign Affairs, Trade and Development",
                                 kind=OrganizationKind.GOVERNMENT, country="KR")
    for index in range(9):
        _seat(event, "Min-jun", f"Kim {index:02}", ministry)
    auth.login(Role.ORGANIZER)

    page = client.get(f"/events/{event.slug}/badges").get_data(as_text=True)

    sheets = page.split('class="badge-sheet"')[1:]
    assert [sheet.count('class="name-badge"') for sheet in sheets] == [8, 1]
    first = re.search(r'<article class="name-badge">(.*?)</article>', page, re.S).group(1)
    texts = [" ".join(re.sub("<[^>]+>", "", text).split())
             for text in re.findall(r"<p [^>]*>(.*?)</p>", first, re.S)]
    assert texts == [event.title, "Min-jun Kim 00", "Ministry of Foreign Affairs, Trade and Development",
                     "Republic of Korea"]
