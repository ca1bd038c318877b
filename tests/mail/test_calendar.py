"""iTIP bodies: REQUEST for an invitation, CANCEL for a cancelled registration or session."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from icalendar import Calendar

from eventmgr.agenda import service as agenda
from eventmgr.agenda.enums import SessionRoleKind
from eventmgr.extensions import db
from eventmgr.mail import calendar
from eventmgr.mail.models import Message
from eventmgr.mail.service import calendar_entry
from eventmgr.registry import registration
from eventmgr.series.enums import EventStatus
from tests.builders import make_agenda_session, make_event, make_person

ORGANIZER = calendar.Organizer("Team", "team@example.org", takes_replies=True)


def _vevent(ics: str):
    parsed = Calendar.from_ical(ics)
    [vevent] = parsed.walk("VEVENT")
    return parsed, vevent


def test_request_and_cancel_share_the_uid_and_the_cancel_has_a_higher_sequence(make_app):
    app = make_app(MAIL_DEFAULT_SENDER="Team <team@example.org>")
    with app.app_context():
        event = make_event(title="Frankfurt", start_date=dt.date(2014, 11, 20),
                           end_date=dt.date(2014, 11, 21))
        request = calendar.request_ics(calendar_entry(event), organizer=ORGANIZER,
                                       attendee=("Ada", "ada@example.org"))
        cancel = calendar.cancel_ics(calendar_entry(event, sequence=calendar.EVENT_CANCEL_SEQUENCE),
                                     organizer=ORGANIZER, attendee=("Ada", "ada@example.org"))

    (request_cal, requested), (cancel_cal, cancelled) = _vevent(request), _vevent(cancel)

    assert (str(request_cal["METHOD"]), str(cancel_cal["METHOD"])) == ("REQUEST", "CANCEL")
    assert str(requested["UID"]) == str(cancelled["UID"]) == f"event-{event.id}@example.org"
    assert (requested["SEQUENCE"], cancelled["SEQUENCE"]) == (0, 1)
    assert (str(requested["STATUS"]), str(cancelled["STATUS"])) == ("CONFIRMED", "CANCELLED")
    assert (requested.decoded("DTSTART"), requested.decoded("DTEND")) == \
        (dt.date(2014, 11, 20), dt.date(2014, 11, 22))
    assert str(requested["ATTENDEE"]) == "mailto:ada@example.org"
    assert requested["ATTENDEE"].params["RSVP"] == "TRUE"
    assert str(requested["ORGANIZER"]) == "mailto:team@example.org"


def test_a_cancelled_registration_carries_the_calendar_cancel(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    person = make_person("ada@example.org")
    seated = registration.register_participant(event, person=person)
    db.session.commit()

    registration.cancel_registration(seated)
    db.session.commit()

    message = db.session.scalars(sa.select(Message).order_by(Message.id.desc())).first()
    parsed, vevent = _vevent(message.ics)
    assert (message.kind, message.ics_method, str(parsed["METHOD"])) == ("registration_cancelled", "CANCEL",
                                                                          "CANCEL")
    assert str(vevent["UID"]) == f"event-{event.id}@localhost"


def test_a_cancelled_session_sends_cancel_to_its_people(app, app_ctx):
    event = make_event()
    session = make_agenda_session(event, "Panel on brokering")
    speaker = make_person("speaker@example.org")
    agenda.add_person(session, speaker, SessionRoleKind.SPEAKER, None)
    agenda.add_person(session, speaker, SessionRoleKind.CHAIR, None)
    db.session.commit()

    agenda.cancel_session(session, None)
    db.session.commit()

    [message] = db.session.scalars(sa.select(Message)).all()
    parsed, vevent = _vevent(message.ics)
    namespace = app.config["EVENTMGR_UID_NAMESPACE"]
    assert (message.recipient, message.subject, message.ics_method) == \
        ("speaker@example.org", "Cancelled: Panel on brokering", "CANCEL")
    assert (str(parsed["METHOD"]), str(vevent["STATUS"])) == ("CANCEL", "CANCELLED")
    assert str(vevent["UID"]) == str(uuid.uuid5(namespace, f"session-{session.id}"))


def test_a_mailings_calendars_are_each_what_request_ics_writes_for_that_attendee():
    import re

    entry = calendar.CalendarEntry(uid="event-1@example.org", sequence=0, start=dt.date(2026, 6, 1),
                                   summary="Industry outreach conference on resolution 1540 (2004)",
                                   end=dt.date(2026, 6, 2), location="Kurhaus Wiesbaden",
                                   description="https://events.example.org/events/wiesbaden-2026")
    attendees = [("Ada Lovelace", "ada@example.org"), ('Björn "Bear" Sjöström, Jr.', "bjorn@example.org"),
                 ("", "nameless@example.org"),
                 ("Дмитрий Иванов-Петров, Институт мировой экономики", "dmitriy.ivanov-petrov@imemo.example")]

    def without_stamps(ics: str) -> str:
        return re.sub(r"DTSTAMP:\S+", "DTSTAMP", re.sub(r"\r\nUID:[0-9a-f-]{36}\r\n", "\r\nUID\r\n", ics))

    many = calendar.request_ics_each(entry, organizer=ORGANIZER, attendees=attendees)

    assert [without_stamps(ics) for ics in many] == [
        without_stamps(calendar.request_ics(entry, organizer=ORGANIZER, attendee=attendee))
        for attendee in attendees]
    assert [str(_vevent(ics)[1]["ATTENDEE"].params["CN"]) for ics in many[:2]] == [
        "Ada Lovelace", 'Björn "Bear" Sjöström, Jr.']
    assert len({str(_vevent(ics)[0]["UID"]) for ics in many}) == len(attendees)
    assert calendar.request_ics_each(entry, organizer=ORGANIZER, attendees=[]) == []
