"""Browser: the organizer invites and sends; the invitee accepts through the link, registers,
and the confirmation message is queued."""

import datetime as dt

import pytest
import sqlalchemy as sa

from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.models import Invitation
from eventmgr.mail.models import Message
from eventmgr.series.enums import EventStatus, RegistrationMode
from tests.builders import grant_all_series, make_event, make_organization, make_person
from tests.conftest import log_in, shoot

pytestmark = pytest.mark.browser

SOON = dt.date.today() + dt.timedelta(days=40)


def test_invite_accept_register_confirmation(page, live_server):
    with live_server.app_context():
        event = make_event(status=EventStatus.REGISTRATION_OPEN, slug="frankfurt", title="Industry outreach",
                           start_date=SOON, end_date=SOON + dt.timedelta(days=1),
                           registration_mode=RegistrationMode.INVITATION_ONLY)
        make_person("claire@example.org", given_name="Claire", family_name="Martin",
                    organization=make_organization("Airbus", country="FR"), country="FR")
        auth_service.create_user("org@test.example", role=Role.ORGANIZER, password="organizer-password")
        grant_all_series()  # the test world's staff run its series
        db.session.commit()
        slug = event.slug

    log_in(page, "org@test.example", "organizer-password")
    page.goto(f"/events/{slug}/invitations")
    page.get_by_label("Email addresses of people in the directory, one a line").fill("claire@example.org")
    page.get_by_role("button", name="Invite", exact=True).click()
    page.get_by_role("button", name="Send to all not yet sent").click()
    page.get_by_role("button", name="Send 1 invitation", exact=True).click()
    page.get_by_text("1 invitation queued.").wait_for()
    shoot(page, "invitations-dashboard")
    page.goto(f"/events/{slug}/invitations/template")
    shoot(page, "invitations-template")
    page.get_by_role("button", name="Log out").click()

    with live_server.app_context():
        body = db.session.scalar(sa.select(Message.body_text))
    link = next(line for line in body.splitlines() if "/rsvp/" in line)
    page.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    shoot(page, "invitations-rsvp")
    page.get_by_label("I accept — continue to registration").check()
    page.get_by_role("button", name="Send my answer").click()
    assert page.get_by_label("Given name").input_value() == "Claire"
    page.get_by_role("button", name="Register").click()
    # The same answer as for any registration; the confirmation is in the mail.
    page.get_by_role("heading", name="Check your inbox").wait_for()
    shoot(page, "invitations-registered")

    log_in(page, "org@test.example", "organizer-password")
    page.goto(f"/events/{slug}/mail")
    page.get_by_text("registration confirmed", exact=True).wait_for()
    shoot(page, "invitations-outbox")

    with live_server.app_context():
        assert db.session.scalar(sa.select(Invitation.status)) is InvitationStatus.REGISTERED
        assert db.session.scalars(sa.select(Message.kind).order_by(Message.id)).all() == \
            ["invitation", "registration_confirmed"]


def test_an_organization_invited_with_seats_names_and_withdraws_delegates(page, live_server):
    with live_server.app_context():
        event = make_event(status=EventStatus.REGISTRATION_OPEN, slug="vci-outreach", title="Outreach",
                           start_date=SOON, end_date=SOON + dt.timedelta(days=1),
                           registration_mode=RegistrationMode.INVITATION_ONLY)
        make_organization("Verband der Chemischen Industrie", country="DE")
        auth_service.create_user("org@test.example", role=Role.ORGANIZER, password="organizer-password")
        grant_all_series()  # the test world's staff run its series
        db.session.commit()
        slug = event.slug

    log_in(page, "org@test.example", "organizer-password")
    page.goto(f"/events/{slug}/invitations")
    page.get_by_label("Organization", exact=True).select_option(label="Verband der Chemischen Industrie")
    page.get_by_label("Seats", exact=True).fill("2")
    page.get_by_label("Contact's email").fill("p.vogel@vci.example")
    page.get_by_label("Contact's given name").fill("Petra")
    page.get_by_label("Contact's family name").fill("Vogel")
    page.get_by_role("button", name="Invite the organization").click()
    page.get_by_text("0 of 2 seats named by the contact").wait_for()
    page.get_by_role("button", name="Send to all not yet sent").click()
    page.get_by_role("button", name="Send 1 invitation", exact=True).click()
    page.get_by_text("1 invitation queued.").wait_for()
    shoot(page, "invitations-organization-dashboard")
    page.get_by_role("button", name="Log out").click()

    with live_server.app_context():
        body = db.session.scalar(sa.select(Message.body_text))
    link = next(line for line in body.splitlines() if "/rsvp/" in line)
    rsvp = "/" + link.split("://", 1)[1].split("/", 1)[1]
    page.goto(rsvp)
    page.get_by_label("We accept — continue to naming the delegates").check()
    page.get_by_role("button", name="Send my answer").click()
    for given, family in (("Jan", "Keller"), ("Eva", "Brandt")):
        page.get_by_role("link", name="Name a delegate").click()
        page.get_by_label("Given name").fill(given)
        page.get_by_label("Family name").fill(family)
        page.get_by_label("Email").fill(f"{given.lower()}@vci.example")
        if given == "Eva":
            shoot(page, "invitations-organization-delegate-form")
        page.get_by_role("button", name="Register the delegate").click()
        page.get_by_text(f"{given} {family} is registered as a delegate").wait_for()
    page.get_by_text("All seats are named.").wait_for()
    shoot(page, "invitations-organization-delegates")
    page.get_by_role("button", name="Withdraw: Jan Keller").click()
    page.get_by_text("1 of 2 seats named.").wait_for()

    with live_server.app_context():
        assert db.session.scalars(sa.select(Message.recipient).where(Message.kind == "registration_confirmed")
                                  .order_by(Message.id)).all() == ["jan@vci.example", "eva@vci.example"]
        assert db.session.scalar(sa.select(Message.recipient).where(
            Message.kind == "registration_cancelled")) == "jan@vci.example"
