"""Every mail the app can write is standard: parsed strictly, with Date and Message-ID, and
every calendar part self-contained (a VTIMEZONE for each TZID it uses)."""

from __future__ import annotations

import datetime as dt
import email
from email import policy
from email.utils import parsedate_to_datetime

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from eventmgr.agenda import service as agenda
from eventmgr.agenda.enums import SessionRoleKind
from eventmgr.auth import accounts
from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.invitations import service as invitations
from eventmgr.letters import service as letters
from eventmgr.letters.enums import LetterKind
from eventmgr.mail import sender
from eventmgr.mail.models import Message
from eventmgr.portal import service as portal
from eventmgr.portal.enums import PostKind
from eventmgr.registry import confirmations, registration
from eventmgr.series.enums import EventStatus, RegistrationMode
from tests.builders import grant_all_series, make_agenda_session, make_event, make_organization, make_person

STRICT = policy.default.clone(raise_on_defect=True)
EVERY_KIND = {"invitation", "reminder", "registration_confirmed", "registration_pending",
              "registration_waitlisted", "registration_promoted", "registration_cancelled",
              "account_reset_password", "portal_announcement", "session_cancelled", "visa-letter",
              "certificate", "registration_confirm_request"}


def _every_kind_of_mail() -> None:
    """One of each message the app writes, made through the services users go through."""
    organization = make_organization("Bundesamt für Wirtschaft")
    event = make_event(title="Frankfurt conference", status=EventStatus.REGISTRATION_OPEN, capacity=1)
    ada = make_person("ada@example.org", given_name="Ada", family_name="Lovelace", organization=organization)
    alan = make_person("alan@example.org", given_name="Alan", family_name="Turing")
    seat = registration.register_participant(event, person=ada)             # confirmed
    registration.register_participant(event, person=alan)                    # waitlisted
    registration.cancel_registration(seat)                                    # cancelled (CANCEL ics)
    registration.promote_waiting_list(event)                                  # promoted
    approval = make_event(status=EventStatus.REGISTRATION_OPEN, registration_mode=RegistrationMode.APPROVAL)
    registration.register_participant(approval, person=make_person("grace@example.org"))  # pending
    invited = make_person("lucía@bücher.de", given_name="Lucía", family_name="Kowalski")
    invitations.invite_people(event, [invited])
    invitations.send_invitations(event, sender="Team <team@example.org>")   # REQUEST ics
    invitations.remind(event, sender="Team <team@example.org>")
    session = make_agenda_session(event, "Panel on brokering", hour=2)
    agenda.add_person(session, ada, SessionRoleKind.SPEAKER, None)
    agenda.cancel_session(session, None)                                      # CANCEL with TZID
    user = auth_service.create_user("organizer@example.org", role=Role.ORGANIZER, password="x" * 12)
    grant_all_series()
    accounts.request_password_reset(user.email)
    portal.create_post(event, author=user, body="Buses leave at 8.", kind=PostKind.ANNOUNCEMENT)
    confirmations.request_registration(event, ada, typed={"given_name": "Ada"}, organization=organization)
    for kind in LetterKind:                                                   # with a PDF attached
        letters.queue_letters(event, kind, [registration.register_participant(event, person=alan)])
    db.session.commit()


# Python's parser reads RFC 6532 (UTF-8) addresses but still notes them as defects.
UTF8_HEADER_DEFECTS = {"NonASCIILocalPartDefect", "UndecodableBytesDefect"}


def _strict_parse(raw: bytes) -> email.message.EmailMessage:
    """Parsed with raise_on_defect, and no defect in any header either."""
    mail = email.message_from_bytes(raw, policy=STRICT)
    international = not raw.isascii()
    for part in mail.walk():
        for name, value in part.items():
            defects = {type(defect).__name__ for defect in value.defects}
            assert not (defects - UTF8_HEADER_DEFECTS if international else defects), (name, defects)
    return mail


@pytest.fixture
def standard_app(make_app):
    return make_app(EVENTMGR_BASE_URL="https://events.bücher.example", MAIL_ORGANIZER=None)


def test_every_mail_is_standard_with_date_message_id_and_self_contained_calendars(standard_app):
    with standard_app.app_context():
        _every_kind_of_mail()
        messages = db.session.scalars(sa.select(Message).order_by(Message.id)).all()
        assert {message.kind for message in messages} == EVERY_KIND
        built = [(message, sender.message_as_sent(message).as_bytes()) for message in messages]

    ids = set()
    for message, raw in built:
        mail = _strict_parse(raw)
        assert parsedate_to_datetime(mail["Date"]) == message.created_at.replace(microsecond=0), message.kind
        ids.add(mail["Message-ID"])
        assert mail["Message-ID"].endswith("@events.xn--bcher-kva.example>")
        assert "\n" not in mail["Subject"] and "=?" not in str(mail["To"])
        for part in mail.walk():
            if part.get_content_type() not in ("text/calendar", "application/ics"):
                continue
            calendar = Calendar.from_ical(part.get_content())
            assert calendar.get_missing_tzids() == set(), message.kind
            assert part.get_content_type() == "application/ics" or \
                part.get_param("method") == str(calendar["METHOD"])
    assert len(ids) == len(built)  # unique


def test_a_session_cancel_carries_its_time_zone(standard_app):
    with standard_app.app_context():
        _every_kind_of_mail()
        ics = db.session.scalar(sa.select(Message.ics).where(Message.kind == "session_cancelled"))
    calendar = Calendar.from_ical(ics)
    assert calendar.get_used_tzids() == {"Europe/Berlin"}
    assert [str(zone["TZID"]) for zone in calendar.timezones] == ["Europe/Berlin"]


def test_an_international_address_is_written_in_utf_8_with_its_domain_in_idna(standard_app):
    with standard_app.app_context():
        _every_kind_of_mail()
        message = db.session.scalar(sa.select(Message).where(Message.kind == "invitation"))
        raw = sender.message_as_sent(message).as_bytes()
    assert b"To: luc\xc3\xada@xn--bcher-kva.de" in raw  # RFC 6532, never an encoded word
    assert _strict_parse(raw)["To"] == "lucía@xn--bcher-kva.de"


def test_without_mail_organizer_invitations_ask_for_no_answer(make_app):
    for organizer, rsvp in ((None, "FALSE"), ("Programme team <programme@example.org>", "TRUE")):
        app = make_app(MAIL_ORGANIZER=organizer)
        with app.app_context():
            event = make_event()
            invitations.invite_people(event, [make_person("ada@example.org")])
            invitations.send_invitations(event, sender="Team <team@example.org>")
            db.session.commit()
            [vevent] = Calendar.from_ical(db.session.scalar(sa.select(Message.ics))).walk("VEVENT")
        assert vevent["ATTENDEE"].params["RSVP"] == rsvp
        assert str(vevent["ORGANIZER"]) == ("mailto:programme@example.org" if organizer
                                            else "mailto:noreply@localhost")


def test_a_subject_with_a_line_break_is_queued_on_one_line(app_ctx):
    from eventmgr.mail.service import queue_message

    message = queue_message(kind="test", recipient="x@example.org", subject="Hello\r\nBcc: evil@example.org",
                            body_text="Hi")
    db.session.commit()
    assert message.subject == "Hello Bcc: evil@example.org"
    assert _strict_parse(sender.message_as_sent(message).as_bytes())["Bcc"] is None


def test_the_date_is_when_the_message_was_written(app_ctx):
    from eventmgr.mail.service import queue_message

    message = queue_message(kind="test", recipient="x@example.org", subject="Hi", body_text="Hi")
    db.session.commit()
    first = sender.message_as_sent(message).as_bytes()
    assert first == sender.message_as_sent(message).as_bytes()  # the same bytes each time
    assert abs(parsedate_to_datetime(_strict_parse(first)["Date"]) - dt.datetime.now(dt.UTC)) \
        < dt.timedelta(minutes=1)
