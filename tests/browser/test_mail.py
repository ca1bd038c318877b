"""Browser: after an outage the organizer sees the queue, sends it now, and opens a message
as sent; the session form asks which of two times the clocks pass twice is meant."""

import datetime as dt

import pytest
import sqlalchemy as sa

from eventmgr.agenda.models import AgendaSession
from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.invitations import service as invitations
from eventmgr.mail import sender
from eventmgr.mail.models import Message
from eventmgr.series.enums import EventStatus
from tests.builders import grant_all_series, make_event, make_person
from tests.conftest import log_in, shoot

pytestmark = pytest.mark.browser


def test_flush_the_queue_after_an_outage_and_open_a_message(page, live_server):
    with live_server.app_context():
        event = make_event(status=EventStatus.REGISTRATION_OPEN, slug="frankfurt", title="Industry outreach")
        people = [make_person(f"delegate{n}@example.org", given_name="Amani", family_name=f"Okafor {n}")
                  for n in range(3)]
        invitations.invite_people(event, people)
        invitations.send_invitations(event, sender="Team <team@example.org>")
        later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)
        db.session.execute(sa.update(Message).values(attempts=3, next_attempt_at=later,
                                                      last_error="ConnectionRefusedError: [Errno 111]"))
        auth_service.create_user("org@test.example", role=Role.ORGANIZER, password="organizer-password")
        grant_all_series()
        db.session.commit()
        sender.record_run(sender.DeliveryReport(retrying=3, problem="ConnectionRefusedError: [Errno 111]"))

    log_in(page, "org@test.example", "organizer-password")
    page.goto("/events/frankfurt/mail")
    page.get_by_text("It could not reach the mail server").wait_for()
    shoot(page, "mail-tab-after-outage")
    page.get_by_role("link", name="Send 3 queued messages now…").click()
    page.get_by_role("heading", name="Send 3 queued messages now?").wait_for()
    shoot(page, "mail-send-now-confirmation")
    page.get_by_role("button", name="Send 3 messages now").click()
    page.get_by_text("3 messages due now").wait_for()
    with live_server.app_context():
        now = dt.datetime.now(dt.UTC)
        assert all(message.next_attempt_at <= now for message in db.session.scalars(sa.select(Message)))

    page.get_by_role("link", name="Invitation: Industry outreach").first.click()
    page.get_by_role("heading", name="Headers").wait_for()
    assert page.frame_locator("iframe.mail-html").get_by_text("Dear").first.is_visible()
    shoot(page, "mail-message-as-sent")


def test_the_session_form_offers_both_readings_of_a_time_the_clocks_pass_twice(page, live_server):
    with live_server.app_context():
        make_event(slug="berlin", timezone="Europe/Berlin", start_date=dt.date(2025, 10, 25),
                   end_date=dt.date(2025, 10, 27))
        auth_service.create_user("org@test.example", role=Role.ORGANIZER, password="organizer-password")
        grant_all_series()
        db.session.commit()

    log_in(page, "org@test.example", "organizer-password")
    page.goto("/events/berlin/agenda/sessions/new")
    page.get_by_label("Title").fill("Night panel")
    page.get_by_label("Day").select_option("2025-10-26")
    page.get_by_label("Starts").fill("02:30")
    page.get_by_label("Ends").fill("04:00")
    page.get_by_role("button", name="Add session").click()
    page.get_by_text("happens twice in Europe/Berlin").first.wait_for()
    shoot(page, "agenda-session-autumn-overlap")
    page.get_by_label("02:30 CET (UTC+01:00), the second time").check()
    page.get_by_role("button", name="Add session").click()
    page.get_by_text("Session added.").wait_for()
    with live_server.app_context():
        session = db.session.scalar(sa.select(AgendaSession))
        assert session.starts_at == dt.datetime(2025, 10, 26, 1, 30, tzinfo=dt.UTC)
