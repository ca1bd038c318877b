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
from tests.builders import make_event, make_organization, make_person
from tests.conftest import shoot

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
        db.session.commit()
        slug = event.slug

    page.goto("/auth/login")
    page.get_by_label("Email").fill("org@test.example")
    page.get_by_label("Password").fill("organizer-password")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/events/{slug}/invitations")
    page.get_by_label("Email addresses of people in the directory, one a line").fill("claire@example.org")
    page.get_by_role("button", name="Invite", exact=True).click()
    page.get_by_role("button", name="Send to all not yet sent").click()
    page.get_by_text("1 invitations queued.").wait_for()
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
    page.get_by_text("registered", exact=False).first.wait_for()
    shoot(page, "invitations-registered")

    page.goto("/auth/login")
    page.get_by_label("Email").fill("org@test.example")
    page.get_by_label("Password").fill("organizer-password")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/events/{slug}/mail")
    page.get_by_text("registration confirmed").wait_for()
    shoot(page, "invitations-outbox")

    with live_server.app_context():
        assert db.session.scalar(sa.select(Invitation.status)) is InvitationStatus.REGISTERED
        assert db.session.scalars(sa.select(Message.kind).order_by(Message.id)).all() == \
            ["invitation", "registration_confirmed"]
