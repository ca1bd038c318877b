"""Browser: a participant registers on the public form (error, then success, then the waiting
list); an organizer reviews registrations, checks people in at the door and prints badges."""

import pytest
import sqlalchemy as sa

from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.mail.models import Message
from eventmgr.registry import registration as service
from eventmgr.registry import views as registry_views
from eventmgr.registry.enums import OrganizationKind
from eventmgr.series.enums import EventStatus
from tests.builders import grant_all_series, make_event, make_organization, make_person
from tests.conftest import log_in, shoot

pytestmark = pytest.mark.browser


def test_public_registration_with_an_error_then_the_waiting_list(page, live_server):
    with live_server.app_context():
        make_organization("Federal Office for Economic Affairs and Export Control",
                          kind=OrganizationKind.GOVERNMENT, country="DE")
        event = make_event(status=EventStatus.REGISTRATION_OPEN, slug="frankfurt-2014",
                           title="Industry outreach conference 2014", capacity=1)
        slug = event.slug

    page.goto(f"/events/{slug}/register")
    page.get_by_label("Given name").fill("Amani")
    page.get_by_label("Family name").fill("Okafor")
    page.get_by_label("Email").fill("amani@example")
    page.get_by_role("button", name="Register").click()
    assert page.get_by_role("heading", name="Please correct these errors").is_visible()
    assert page.get_by_label("Family name").input_value() == "Okafor"
    shoot(page, "registration-form-errors")

    page.get_by_label("Email").fill("amani@example.org")
    page.get_by_label("Organization not in the list").fill("Dangote Group")
    page.get_by_label("Kind of organization").select_option("company")
    page.get_by_label("Country of the organization").select_option("NG")
    page.get_by_label("Dietary needs").fill("Vegetarian")
    page.get_by_label("My name may appear on the participant list").check()
    page.get_by_role("button", name="Register").click()
    # The same answer for every address; what happened is in the mail.
    assert page.get_by_role("heading", level=1).inner_text() == "Check your inbox"
    shoot(page, "registration-check-inbox")
    with live_server.app_context():
        body = db.session.scalar(sa.select(Message.body_text).where(Message.recipient == "amani@example.org"))
    assert "is confirmed" in body
    listing = next(word for word in body.split() if "/register/confirm/" in word)
    page.goto(listing[listing.index("/events/"):])
    shoot(page, "registration-listing-confirm")
    page.get_by_role("button", name="Yes, list me").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you"

    page.goto(f"/events/{slug}/register")
    assert page.get_by_text("All seats are taken").is_visible()
    page.get_by_label("Given name").fill("Lena")
    page.get_by_label("Family name").fill("Schmidt")
    page.get_by_label("Email").fill("lena@example.org")
    page.get_by_label("Organization", exact=True).select_option(
        label="Federal Office for Economic Affairs and Export Control")
    shoot(page, "registration-form-full")
    page.get_by_role("button", name="Register").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your inbox"
    with live_server.app_context():
        body = db.session.scalar(sa.select(Message.body_text).where(Message.recipient == "lena@example.org"))
    assert "waiting list" in body


def test_organizer_checks_people_in_and_prints_badges(page, live_server):
    with live_server.app_context():
        event = make_event(status=EventStatus.REGISTRATION_OPEN, slug="frankfurt-2014",
                           title="Industry outreach conference 2014", capacity=10)
        people = [("H.E.", "Maria", "Rossi", "Ministry of Foreign Affairs", OrganizationKind.GOVERNMENT,
                   "IT"),
                  ("Dr.", "Lena", "Schmidt", "Bayer AG", OrganizationKind.COMPANY, "DE"),
                  ("", "Tomás", "Ortega", "Stimson Center", OrganizationKind.THINK_TANK, "US"),
                  ("Ms.", "明", "王", "Chinese Academy of Sciences", OrganizationKind.ACADEMIA, "CN")]
        for honorific, given, family, organization, kind, country in people:
            organization = make_organization(organization, kind=kind, country=country)
            service.register_participant(event, person=make_person(
                honorific=honorific, given_name=given, family_name=family, organization=organization))
        auth_service.create_user("org@test.example", role=Role.ORGANIZER, password="organizer-password")
        grant_all_series()  # the test world's staff run its series
        db.session.commit()
        slug = event.slug

    log_in(page, "org@test.example", "organizer-password")

    page.goto(f"/events/{slug}/registrations")
    assert page.get_by_text("4 registrations match").first.is_visible()
    shoot(page, "registrations-list")

    page.get_by_role("link", name="Check-in").click()
    page.get_by_label("Name, email or organization").fill("schmidt")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Check in Lena Schmidt").click()
    assert page.get_by_text("Lena Schmidt checked in.").is_visible()
    assert page.get_by_role("button", name="Undo check-in of Lena Schmidt").is_visible()
    shoot(page, "checkin-after")

    page.goto(f"/events/{slug}/checkin")
    assert page.locator(".checkin-counter").inner_text() == "1 of 4 checked in"

    page.goto(f"/events/{slug}/badges")
    assert page.locator(".name-badge").count() == 4
    shoot(page, "badges-screen")
    page.emulate_media(media="print")
    shoot(page, "badges-print")


def test_organizer_pages_through_registrations_by_keyboard(page, live_server, monkeypatch):
    monkeypatch.setattr(registry_views, "REGISTRATIONS_PER_PAGE", 3)
    with live_server.app_context():
        event = make_event(status=EventStatus.REGISTRATION_OPEN, title="Industry outreach conference 2015")
        organization = make_organization("Bayer AG", kind=OrganizationKind.COMPANY, country="DE")
        for given, family in [("Lena", "Schmidt"), ("Ana", "Silva"), ("Kofi", "Mensah"), ("明", "王"),
                              ("Émile", "Dupont"), ("Omar", "Haddad"), ("Yuki", "Sato")]:
            service.register_participant(event, person=make_person(
                given_name=given, family_name=family, organization=organization))
        auth_service.create_user("org@test.example", role=Role.ORGANIZER, password="organizer-password")
        grant_all_series()
        db.session.commit()
        slug = event.slug
    log_in(page, "org@test.example", "organizer-password")

    page.goto(f"/events/{slug}/registrations?sort=name")
    first_names = page.locator("td[data-label=Name]").all_inner_texts()
    next_link = page.get_by_role("link", name="Next 3 →").first
    next_link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**after=*")
    second_names = page.locator("td[data-label=Name]").all_inner_texts()
    shoot(page, "registrations-pager")
    page.get_by_role("link", name="← Previous 3").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**before=*")

    assert [name.split("\n")[0] for name in first_names] == ["Émile Dupont", "Omar Haddad", "Kofi Mensah"]
    assert [name.split("\n")[0] for name in second_names] == ["Yuki Sato", "Lena Schmidt", "Ana Silva"]
    assert page.locator("td[data-label=Name]").all_inner_texts() == first_names
    assert "sort=name" in page.url
