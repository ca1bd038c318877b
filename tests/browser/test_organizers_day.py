"""Browser: the organizer's day without traps or dead ends.

Invitations sent before registration opens (the acceptance waits and is registered when it
opens); confirmations with counts and undo for sending and cancelling; the invitee list's
search and select-all; every list found by a name typed without its accents; and the links
that replace the addresses people used to type.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from eventmgr.agenda import service as agenda_service
from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.invitations import service as invitations
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.models import Invitation
from eventmgr.mail.models import Message
from eventmgr.registry import registration as registry
from eventmgr.registry.enums import RegistrationStatus
from eventmgr.registry.models import Registration
from eventmgr.series.enums import EventStatus, RegistrationMode
from tests.builders import (
    grant_all_series,
    last_rsvp_path,
    make_agenda_session,
    make_event,
    make_organization,
    make_person,
)
from tests.conftest import log_in, shoot

pytestmark = pytest.mark.browser

SOON = dt.date.today() + dt.timedelta(days=40)
ORGANIZER = ("org@test.example", "organizer-password")


def _organizer() -> None:
    """The organizer's account, with its rights (and any rapporteur's) in the test's series."""
    auth_service.create_user(ORGANIZER[0], role=Role.ORGANIZER, password=ORGANIZER[1])
    grant_all_series()


def test_invitations_before_registration_opens_accept_then_open_then_registered(page, live_server):
    with live_server.app_context():
        event = make_event(status=EventStatus.PUBLISHED, slug="frankfurt", title="Industry outreach",
                           start_date=SOON, end_date=SOON + dt.timedelta(days=1),
                           venue_name="Kurhaus Wiesbaden", venue_city="Wiesbaden",
                           registration_mode=RegistrationMode.INVITATION_ONLY)
        make_person("claire@example.org", given_name="Claire", family_name="Martin",
                    organization=make_organization("Airbus", country="FR"), country="FR")
        _organizer()
        db.session.commit()
        slug = event.slug

    log_in(page, *ORGANIZER)
    page.goto(f"/events/{slug}/invitations")
    page.get_by_text("Registration is not open (the event is published)").wait_for()
    page.get_by_label("Email addresses of people in the directory, one a line").fill("claire@example.org")
    page.get_by_role("button", name="Invite", exact=True).click()
    page.get_by_role("button", name="Send to all not yet sent").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Send 1 invitation?"
    page.get_by_role("heading", name="Registration is not open").wait_for()
    shoot(page, "organizers-day-send-before-open")
    page.get_by_role("button", name="Send 1 invitation anyway").click()
    page.get_by_text("1 invitation queued.").wait_for()
    page.get_by_role("button", name="Log out").click()

    with live_server.app_context():
        rsvp = last_rsvp_path()
    page.goto(rsvp)
    main = page.inner_text("main")
    assert "Kurhaus Wiesbaden" in main and "Wiesbaden Wiesbaden" not in main
    page.get_by_label("I accept — continue to registration").check()
    page.get_by_role("button", name="Send my answer").click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Registration for Industry outreach opens later"
    page.get_by_label("Dietary needs").fill("Vegetarian")
    shoot(page, "organizers-day-held-registration")
    page.get_by_role("button", name="Keep my details").click()
    page.get_by_text("you are registered, and receive the confirmation by email, as soon as it opens"
                     ).wait_for()

    log_in(page, *ORGANIZER)
    page.goto(f"/events/{slug}/manage")
    page.get_by_text("accepted, waiting for registration to open").first.wait_for()
    page.get_by_role("button", name="Open registration (1 waiting invitee registered and mailed)").click()
    page.get_by_text("1 invitee who accepted before registration opened is now registered").wait_for()
    shoot(page, "organizers-day-overview-open")

    with live_server.app_context():
        registration = db.session.scalar(sa.select(Registration))
        assert (registration.status, registration.dietary_needs) == (
            RegistrationStatus.CONFIRMED, "Vegetarian")
        assert db.session.scalar(sa.select(Invitation.status)) is InvitationStatus.REGISTERED
        assert db.session.scalars(sa.select(Message.kind).order_by(Message.id)).all() == [
            "invitation", "registration_confirmed"]


def test_send_all_and_cancel_ask_first_and_can_be_undone(page, live_server):
    with live_server.app_context():
        event = make_event(status=EventStatus.REGISTRATION_OPEN, slug="geneva", start_date=SOON,
                           end_date=SOON)
        people = [make_person(given_name="Guest", family_name=f"Number {n}") for n in range(12)]
        invitations.invite_people(event, people)
        seated = registry.register_participant(
            event, person=make_person(given_name="Ada", family_name="Lovelace"))
        _organizer()
        db.session.commit()
        slug, seated_id = event.slug, seated.id

    log_in(page, *ORGANIZER)
    page.goto(f"/events/{slug}/invitations")
    page.get_by_role("button", name="Send to all not yet sent").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Send 12 invitations?"
    page.get_by_text("until then you can take them back").wait_for()
    shoot(page, "organizers-day-confirm-send")
    page.get_by_role("button", name="Send 12 invitations", exact=True).click()
    page.get_by_text("12 invitations queued.").wait_for()
    shoot(page, "organizers-day-undo-send")
    page.get_by_role("button", name="Undo: do not send them").click()
    page.get_by_text("12 invitations taken back: not sent.").wait_for()
    with live_server.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Message).where(
            Message.kind == "invitation")) == 0

    page.goto(f"/events/{slug}/registrations")
    page.get_by_role("link", name="Cancel: Ada Lovelace").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Cancel the registration of Ada Lovelace?"
    shoot(page, "organizers-day-confirm-cancel")
    page.get_by_role("button", name="Cancel the registration").click()
    page.get_by_text("Registration of Ada Lovelace cancelled").wait_for()
    page.get_by_role("button", name="Undo: restore the registration").click()
    page.get_by_text("Registration of Ada Lovelace restored: confirmed.").wait_for()

    with live_server.app_context():
        assert db.session.get(Registration, seated_id).status is RegistrationStatus.CONFIRMED
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Message).where(
            Message.kind == "registration_cancelled")) == 0


def test_the_invitee_list_searches_and_selects_all(page, live_server):
    with live_server.app_context():
        event = make_event(status=EventStatus.REGISTRATION_OPEN, slug="vienna", start_date=SOON,
                           end_date=SOON)
        people = [make_person(given_name="Guest", family_name=f"Number {n:02d}") for n in range(59)]
        people.append(make_person(given_name="Jürgen", family_name="Müller"))
        invitations.invite_people(event, people)
        _organizer()
        db.session.commit()
        slug = event.slug

    log_in(page, *ORGANIZER)
    page.goto(f"/events/{slug}/invitations")
    page.get_by_text("60 invitations match · page 1 of 2").first.wait_for()
    page.get_by_label("Name, email or organization").fill("jurgen muller")
    page.get_by_role("button", name="Find").click()
    page.get_by_text("1 invitation match.").wait_for()
    rows = page.locator("section[aria-labelledby=invitees] table tbody tr")
    assert rows.count() == 1 and "Jürgen Müller" in rows.first.inner_text()
    page.get_by_role("link", name="Clear").click()

    page.get_by_label("Select all on this page").check()
    assert page.locator("input[name=invitation_id]:checked").count() == 50
    shoot(page, "organizers-day-select-all")
    page.get_by_role("button", name="Remove from the list").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Remove 50 invitations from the list?"
    page.get_by_role("link", name="Back to the list, doing nothing").click()

    page.get_by_label("all 60 invitations that match").check()
    page.get_by_role("button", name="Send", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Send 60 invitations?"


# (list, address, where its results are, how it names Jürgen Müller)
SEARCHES = [("people", "/people", "main table", "Müller, Jürgen"),
            ("organizations", "/organizations", "main table", "Müller Holding"),
            ("registrations", "/events/{slug}/registrations", "main table", "Jürgen Müller"),
            ("check-in", "/events/{slug}/checkin", ".checkin-results", "Jürgen Müller"),
            ("invitations", "/events/{slug}/invitations", "section[aria-labelledby=invitees] table",
             "Jürgen Müller")]


def test_every_list_finds_a_name_typed_without_its_accents(page, live_server):
    with live_server.app_context():
        event = make_event(status=EventStatus.REGISTRATION_OPEN, slug="bonn", start_date=SOON, end_date=SOON)
        for given, family in (("Jürgen", "Müller"), ("Sofía", "Fernández"), ("Siobhán", "O'Connor")):
            person = make_person(given_name=given, family_name=family,
                                 organization=make_organization(f"{family} Holding"))
            registry.register_participant(event, person=person)
            invitations.invite_people(event, [person])
        _organizer()
        db.session.commit()
        slug = event.slug

    log_in(page, *ORGANIZER)
    for name, path, results, shown in SEARCHES:
        page.goto(path.format(slug=slug))
        field = page.get_by_role("searchbox").first
        field.fill("muller")
        field.press("Enter")
        page.wait_for_url("**q=muller**")
        text = page.locator(results).first.inner_text()
        assert shown in text and "Fernández" not in text and "O'Connor" not in text, name
    page.goto(f"/events/{slug}/checkin?q=oconnor")
    shoot(page, "organizers-day-checkin-search")
    assert "Siobhán O'Connor" in page.inner_text(".checkin-results")


def test_each_dead_end_now_has_its_link(page, live_server):
    with live_server.app_context():
        event = make_event(status=EventStatus.REGISTRATION_OPEN, slug="berlin", title="Berlin outreach",
                           start_date=SOON, end_date=SOON)
        make_agenda_session(event, "Panel on brokering")
        agenda_service.publish_agenda(event, None)
        person = make_person("ada@example.org", given_name="Ada", family_name="Lovelace")
        registry.register_participant(event, person=person)
        account = auth_service.get_user_by_email("ada@example.org")
        auth_service.set_password(account, "participant-password")
        rapporteur_person = make_person("rita@example.org", given_name="Rita", family_name="Porter")
        from eventmgr.agenda.enums import SessionRoleKind
        from eventmgr.agenda.models import AgendaSession
        panel = db.session.scalar(sa.select(AgendaSession))
        agenda_service.add_person(panel, rapporteur_person, SessionRoleKind.RAPPORTEUR, None)
        auth_service.create_user("rita@example.org", role=Role.RAPPORTEUR, password="rapporteur-password",
                                 person_id=rapporteur_person.id)
        _organizer()
        db.session.commit()
        slug, series_slug = event.slug, event.series.slug

    page.goto("/login")
    assert page.get_by_role("heading", level=1).inner_text() == "Log in"

    log_in(page, "ada@example.org", "participant-password")
    page.get_by_role("link", name="Berlin outreach").first.click()
    page.get_by_text("You are registered: your seat is confirmed.").wait_for()
    assert page.get_by_role("link", name="Register", exact=True).count() == 0
    for link in ("Agenda", "Add to my calendar", "Participant area", "Cancel my registration"):
        assert page.get_by_role("link", name=link, exact=True).count() == 1, link
    shoot(page, "organizers-day-registrant-event-page")
    page.get_by_role("link", name="Participant area", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Participant area"
    page.get_by_role("button", name="Log out").click()

    log_in(page, "rita@example.org", "rapporteur-password")
    page.get_by_role("heading", name="Sessions you write up").wait_for()
    shoot(page, "organizers-day-rapporteur-home")
    page.get_by_role("link", name="Panel on brokering").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Panel on brokering"
    page.get_by_role("button", name="Log out").click()

    log_in(page, *ORGANIZER)
    page.get_by_role("link", name="Series", exact=True).click()
    page.get_by_role("link", name="Process view").first.click()
    assert page.url.endswith(f"/series/{series_slug}/process")
    page.goto("/")
    page.get_by_role("heading", name="Events under way").wait_for()
    shoot(page, "organizers-day-organizer-home")
    assert page.get_by_role("link", name="Berlin outreach").count() >= 1
    page.goto(f"/events/{slug}")
    assert page.get_by_role("link", name="Manage this event").count() == 1
