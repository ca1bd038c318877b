"""Invitations sent before registration opens: the sender is asked, and acceptances wait for it."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.invitations import held, service
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.models import Invitation
from eventmgr.mail.models import Message
from eventmgr.registry.enums import OrganizationKind, RegistrationStatus
from eventmgr.registry.models import Organization, Registration
from eventmgr.series.enums import EventStatus, RegistrationMode
from tests.builders import last_rsvp_path, make_event, make_organization, make_person

SENDER = "Team <team@example.org>"
SOON = dt.date.today() + dt.timedelta(days=30)


def _published_event(**fields):
    return make_event(status=EventStatus.PUBLISHED, start_date=SOON, end_date=SOON,
                      registration_mode=RegistrationMode.INVITATION_ONLY, **fields)


def _invite_and_send(event, person):
    [invitation] = service.invite_people(event, [person])
    service.send_invitations(event, sender=SENDER)
    db.session.commit()
    return invitation


def test_sending_before_registration_opens_asks_what_to_do(client, auth, app_ctx):
    event = _published_event()
    service.invite_people(event, [make_person() for _ in range(3)])
    db.session.commit()
    auth.login(Role.ORGANIZER)

    page = client.post(f"/events/{event.slug}/invitations/send",
                       data={"scope": "filter"}).get_data(as_text=True)

    assert "<h1>Send 3 invitations?</h1>" in page
    assert "Registration is not open" in page
    assert "Open registration now and send 3 invitations" in page
    assert "Send 3 invitations anyway" in page and "registered — with their confirmation mail" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 0


def test_opening_registration_from_the_confirmation_then_sending(client, auth, app_ctx):
    event = _published_event()
    service.invite_people(event, [make_person()])
    db.session.commit()
    auth.login(Role.ORGANIZER)

    client.post(f"/events/{event.slug}/invitations/send",
                data={"scope": "filter", "confirmed": "yes", "open_registration": "yes"})
    db.session.refresh(event)

    assert event.status is EventStatus.REGISTRATION_OPEN
    assert db.session.scalar(sa.select(Invitation.status)) is InvitationStatus.SENT


def test_a_draft_is_published_on_the_way_when_registration_opens(app_ctx):
    event = make_event(start_date=SOON, end_date=SOON)

    held.open_registration(event)

    assert event.status is EventStatus.REGISTRATION_OPEN


def test_accepting_before_registration_opens_holds_the_acceptance(client, app_ctx):
    person = make_person("ada@example.org", given_name="Ada", family_name="Lovelace")
    event = _published_event()
    invitation = _invite_and_send(event, person)
    path = last_rsvp_path()

    accepted = client.post(path, data={"answer": "accepted"})
    form = client.get(accepted.headers["Location"]).get_data(as_text=True)
    rsvp = client.get(path).get_data(as_text=True)
    db.session.refresh(invitation)

    assert (invitation.status, invitation.held_details) == (InvitationStatus.ACCEPTED, {})
    assert invitation.held_at is not None
    assert "Registration for" in form and "opens later" in form and 'value="Ada"' in form
    assert "Keep my details" in form
    assert "you are registered, and receive the confirmation by email, as soon as it opens" in rsvp


def test_details_left_while_waiting_are_those_registered_when_registration_opens(client, auth, app_ctx):
    person = make_person("ada@example.org", given_name="Ada", family_name="Lovelace")
    event = _published_event(capacity=10)
    invitation = _invite_and_send(event, person)
    token = last_rsvp_path().rsplit("/", 1)[1]
    client.post(last_rsvp_path(), data={"answer": "accepted"})

    kept = client.post(f"/events/{event.slug}/register", data={
        "token": token, "given_name": "Ada", "family_name": "Lovelace", "email": "ADA@example.org",
        "organization_name": "Analytical Engines Ltd", "organization_kind": "company",
        "dietary_needs": "Vegetarian", "visa_letter": "y", "consent_to_list": "y"})
    other = client.post(f"/events/{event.slug}/register", data={
        "token": token, "given_name": "Eve", "family_name": "Else", "email": "eve@example.org",
        "organization_name": "X", "organization_kind": "company"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0
    auth.login(Role.ORGANIZER)
    overview = client.get(f"/events/{event.slug}/manage").get_data(as_text=True)
    opened = client.post(f"/events/{event.slug}/open-registration", follow_redirects=True)
    db.session.refresh(invitation)

    assert kept.headers["Location"].endswith(f"/rsvp/{token}")
    assert other.status_code == 400
    assert "This invitation was sent to someone else" in other.get_data(as_text=True)
    assert "accepted, waiting for registration to open" in overview
    assert "Open registration (1 waiting invitee registered and mailed)" in overview
    assert "1 invitee who accepted before registration opened is now registered" in \
        opened.get_data(as_text=True)
    registration = db.session.scalar(sa.select(Registration))
    assert (registration.person_id, registration.status) == (person.id, RegistrationStatus.CONFIRMED)
    assert (registration.dietary_needs, registration.visa_letter, registration.consent_to_list) == (
        "Vegetarian", True, True)
    assert registration.organization.name == "Analytical Engines Ltd"
    assert (invitation.status, invitation.held_at) == (InvitationStatus.REGISTERED, None)
    assert db.session.scalars(sa.select(Message.kind).order_by(Message.id)).all() == [
        "invitation", "registration_confirmed"]


def test_moving_the_status_to_registration_open_registers_the_held_too(client, auth, app_ctx):
    event = _published_event()
    invitation = _invite_and_send(event, make_person())
    service.answer(invitation, InvitationStatus.ACCEPTED)
    db.session.commit()
    auth.login(Role.ORGANIZER)

    client.post(f"/events/{event.slug}/status", data={"status": "registration_open"})

    assert db.session.scalar(sa.select(Registration.status)) is RegistrationStatus.CONFIRMED


def test_a_held_acceptance_follows_the_capacity_and_the_waiting_list(app_ctx):
    event = _published_event(capacity=1)
    first, second = (_invite_and_send(event, make_person()) for _ in range(2))
    for invitation in (first, second):
        service.answer(invitation, InvitationStatus.ACCEPTED)

    result = held.open_registration(event)

    assert [r.status for r in result.registered] == [
        RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]


def test_changing_the_answer_releases_the_hold_and_a_revoked_link_is_not_registered(app_ctx):
    event = _published_event()
    declined, revoked = (_invite_and_send(event, make_person()) for _ in range(2))
    for invitation in (declined, revoked):
        service.answer(invitation, InvitationStatus.ACCEPTED)
    service.answer(declined, InvitationStatus.DECLINED)
    service.revoke_link(revoked)

    result = held.open_registration(event)

    assert declined.held_at is None
    assert result.registered == [] and [(i, reason) for i, reason in result.refused] == [
        (revoked, "its link was revoked")]


def test_an_organizations_acceptance_is_not_held(app_ctx):
    organization = make_organization("Cefic", kind=OrganizationKind.INDUSTRY_ASSOCIATION)
    event = _published_event()
    invitation = service.invite_organization(event, organization, seats=2,
                                             contact=make_person(organization=organization))
    service.send_invitations(event, sender=SENDER)

    service.answer(invitation, InvitationStatus.ACCEPTED)

    assert invitation.held_at is None


def test_after_the_event_nothing_is_sent(client, auth, app_ctx):
    event = make_event(status=EventStatus.HELD)
    service.invite_people(event, [make_person()])
    db.session.commit()
    auth.login(Role.ORGANIZER)

    page = client.post(f"/events/{event.slug}/invitations/send", data={"scope": "filter"},
                       follow_redirects=True).get_data(as_text=True)

    assert "The event is held: invitations and reminders can no longer be sent." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 0


def test_a_new_organization_left_while_waiting_is_checked_at_once(client, app_ctx):
    person = make_person("ada@example.org", given_name="Ada", family_name="Lovelace")
    event = _published_event()
    _invite_and_send(event, person)
    token = last_rsvp_path().rsplit("/", 1)[1]

    response = client.post(f"/events/{event.slug}/register", data={
        "token": token, "given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.org",
        "organization_name": "Analytical Engines Ltd", "organization_kind": "spaceship"})

    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organization)) == 0


def test_the_list_of_a_past_event_offers_no_sending(client, auth, app_ctx):
    event = make_event(status=EventStatus.REPORTED)
    service.invite_people(event, [make_person()])
    db.session.commit()
    auth.login(Role.ORGANIZER)

    page = client.get(f"/events/{event.slug}/invitations").get_data(as_text=True)

    assert "invitations and reminders can no longer be sent" in page
    assert "Send to all not yet sent" not in page and "Registration is not open" not in page
