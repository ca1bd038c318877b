"""Cancelling a registration asks first, can be undone for a while, and cancelled ones can be restored."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.mail.enums import MessageStatus
from eventmgr.mail.models import Message
from eventmgr.registry import registration as service
from eventmgr.registry.enums import RegistrationStatus
from eventmgr.series.enums import EventStatus
from eventmgr.sqltypes import utcnow
from tests.builders import make_event, make_person, make_registrant

OPEN = EventStatus.REGISTRATION_OPEN


def _register(event, person=None):
    registration = service.register_participant(event, person=person or make_person())
    db.session.commit()
    return registration


def _kinds(email: str) -> list[str]:
    return db.session.scalars(sa.select(Message.kind).where(Message.recipient == email)
                              .order_by(Message.id)).all()


def test_the_organizer_is_asked_who_and_what_follows_before_cancelling(client, auth, app_ctx):
    event = make_event(status=OPEN, capacity=1)
    seated = _register(event, make_person(given_name="Ada", family_name="Lovelace"))
    _register(event)  # waits for the seat
    auth.login(Role.ORGANIZER)
    url = f"/events/{event.slug}/registrations/{seated.id}/cancel"

    asked = client.get(url).get_data(as_text=True)
    still = seated.status
    done = client.post(url, data={"reason": "Asked by phone"}, follow_redirects=True).get_data(as_text=True)
    db.session.refresh(seated)

    assert "Cancel the registration of <bdi>Ada Lovelace</bdi>?" in asked
    assert "The seat goes to the first of the 1 person on the waiting list" in asked
    assert still is RegistrationStatus.CONFIRMED and seated.status is RegistrationStatus.CANCELLED
    assert "Registration of Ada Lovelace cancelled" in done and "Undo: restore the registration" in done
    notice = db.session.scalar(sa.select(Message).where(Message.kind == "registration_cancelled"))
    assert notice.next_attempt_at > utcnow() + dt.timedelta(seconds=60)


def test_undo_within_the_window_takes_the_notice_back_unsent(client, auth, app_ctx):
    event = make_event(status=OPEN)
    registration = _register(event)
    auth.login(Role.ORGANIZER)

    client.post(f"/events/{event.slug}/registrations/{registration.id}/cancel", data={})
    client.post(f"/events/{event.slug}/registrations/{registration.id}/restore")
    db.session.refresh(registration)

    assert registration.status is RegistrationStatus.CONFIRMED
    assert _kinds(registration.person.email) == ["registration_confirmed"]


def test_restoring_after_the_notice_went_out_tells_the_participant(app_ctx):
    event = make_event(status=OPEN, capacity=1)
    registration = _register(event)
    service.cancel_registration(registration)
    notice = db.session.scalar(sa.select(Message).where(Message.kind == "registration_cancelled"))
    notice.status, notice.attempts = MessageStatus.SENT, 1
    newcomer = _register(event)

    service.restore_registration(registration)

    assert (newcomer.status, registration.status) == (
        RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
    assert _kinds(registration.person.email) == [
        "registration_confirmed", "registration_cancelled", "registration_waitlisted"]


def test_only_cancelled_registrations_are_restored(client, auth, app_ctx):
    event = make_event(status=OPEN)
    registration = _register(event)
    auth.login(Role.ORGANIZER)

    page = client.post(f"/events/{event.slug}/registrations/{registration.id}/restore",
                       follow_redirects=True).get_data(as_text=True)

    assert "Only cancelled registrations can be restored; this one is confirmed." in page


def test_the_list_of_cancelled_registrations_offers_to_restore_each(client, auth, app_ctx):
    event = make_event(status=OPEN)
    registration = _register(event, make_person(given_name="Ada", family_name="Lovelace"))
    service.cancel_registration(registration)
    db.session.commit()
    auth.login(Role.ORGANIZER)

    page = client.get(f"/events/{event.slug}/registrations?status=cancelled").get_data(as_text=True)

    assert 'aria-label="Restore: Ada Lovelace"' in page and "Cancel: Ada Lovelace" not in page


def _signed_in_participant(client, event):
    registration = make_registrant(event, "ada@example.org", "a long password", given_name="Ada",
                                   family_name="Lovelace")
    client.post("/auth/login", data={"email": "ada@example.org", "password": "a long password"})
    return registration


def test_a_participant_cancels_their_own_registration_and_takes_it_back(client, app_ctx):
    event = make_event(status=OPEN)
    registration = _signed_in_participant(client, event)
    url = f"/events/{event.slug}/my-registration/cancel"

    asked = client.get(url).get_data(as_text=True)
    cancelled = client.post(url, data={}, follow_redirects=True).get_data(as_text=True)
    restored = client.post(f"/events/{event.slug}/my-registration/restore",
                           follow_redirects=True).get_data(as_text=True)
    db.session.refresh(registration)

    assert "Cancel your registration" in asked
    assert "Your registration is cancelled. You can take it back for 2 minutes." in cancelled
    assert "Your registration stands again: your seat is kept." in restored
    assert registration.status is RegistrationStatus.CONFIRMED
    assert _kinds("ada@example.org") == ["registration_confirmed"]


def test_a_cancellation_is_final_once_the_window_has_passed(client, app_ctx):
    event = make_event(status=OPEN)
    registration = _signed_in_participant(client, event)
    client.post(f"/events/{event.slug}/my-registration/cancel", data={})
    registration.status_changed_at = utcnow() - dt.timedelta(minutes=10)
    db.session.commit()

    page = client.post(f"/events/{event.slug}/my-registration/restore",
                       follow_redirects=True).get_data(as_text=True)

    assert "This cancellation can no longer be taken back" in page
    assert registration.status is RegistrationStatus.CANCELLED


def test_a_cancellation_by_the_emailed_link_can_be_taken_back_by_the_same_link(client, app_ctx):
    event = make_event(status=OPEN)
    registration = _register(event)
    body = db.session.scalar(sa.select(Message.body_text))
    path = "/" + next(line for line in body.splitlines() if "/cancel/" in line).split("/", 3)[3]

    done = client.post(path, data={"reason": ""}).get_data(as_text=True)
    client.post(f"{path}/undo")
    db.session.refresh(registration)

    assert "Undo: keep my registration" in done
    assert registration.status is RegistrationStatus.CONFIRMED
    assert client.get(path).status_code == 200  # the link of the confirmation works again


def test_after_the_event_a_participant_no_longer_cancels(client, app_ctx):
    event = make_event(status=OPEN)
    registration = _signed_in_participant(client, event)
    event.status = EventStatus.HELD
    db.session.commit()

    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    refused = client.post(f"/events/{event.slug}/my-registration/cancel", data={}, follow_redirects=True)

    assert "Cancel my registration" not in page and "Participant area" in page
    assert "The event has taken place" in refused.get_data(as_text=True)
    assert registration.status is RegistrationStatus.CONFIRMED
