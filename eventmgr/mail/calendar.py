"""iTIP calendar bodies (RFC 5546): REQUEST and CANCEL of a whole event or of one session.

One VEVENT with a UID that never changes, so a CANCEL (with a higher SEQUENCE)
updates the entry the REQUEST or the agenda feed created. Every calendar is
self-contained: a VTIMEZONE for each TZID it uses (RFC 5545 §3.2.19).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from icalendar import Calendar, vCalAddress
from icalendar import Event as CalendarEvent

from eventmgr.sqltypes import utcnow
from eventmgr.text import writable

PRODID = "-//eventmgr//Invitations//EN"
# A whole event's REQUEST goes out with SEQUENCE 0; its cancellation must be higher (RFC 5546 §2.1.4).
EVENT_REQUEST_SEQUENCE = 0
EVENT_CANCEL_SEQUENCE = 1
# VTIMEZONE rules are written for the entry's dates and this margin around them.
ZONE_MARGIN = dt.timedelta(days=7)


@dataclass(frozen=True)
class CalendarEntry:
    """What the calendar shows of an event, in plain values."""

    uid: str
    sequence: int
    summary: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime  # a date is the last day, inclusive
    location: str
    description: str

    @property
    def end_value(self) -> dt.date | dt.datetime:
        # DTEND of an all-day entry is the day after the last (RFC 5545 §3.6.1).
        if isinstance(self.end, dt.datetime):
            return self.end
        return self.end + dt.timedelta(days=1)


@dataclass(frozen=True)
class Organizer:
    """Who sends the invitation. Calendar clients send Accept / Decline to this address,
    so replies are asked for only when it is a real mailbox (MAIL_ORGANIZER)."""

    name: str
    email: str
    takes_replies: bool


def event_uid(event_id: int, domain: str) -> str:
    return f"event-{event_id}@{domain}"


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _attendee(attendee: tuple[str, str], *, method: str, organizer: Organizer) -> vCalAddress:
    name, email = attendee
    return vCalAddress.new(email, cn=writable(name) or None, role="REQ-PARTICIPANT",
                           partstat="NEEDS-ACTION", rsvp=method == "REQUEST" and organizer.takes_replies,
                           cutype="INDIVIDUAL")


def _calendar(entry: CalendarEntry, *, method: str, status: str, organizer: Organizer | None = None,
              attendee: tuple[str, str] | None = None) -> bytes:
    """The entry as a calendar; with an organizer and an attendee for REQUEST and CANCEL,
    without them for PUBLISH."""
    people = {} if organizer is None else {
        "organizer": vCalAddress.new(organizer.email, cn=writable(organizer.name) or None),
        "attendees": [_attendee(attendee, method=method, organizer=organizer)]}
    calendar = Calendar.new(prodid=PRODID, method=method)
    vevent = CalendarEvent.new(
        uid=entry.uid, sequence=entry.sequence, stamp=utcnow(), summary=writable(entry.summary),
        start=entry.start, end=entry.end_value, location=writable(entry.location) or None,
        description=writable(entry.description) or None, status=status, **people)
    calendar.add_component(vevent)
    if calendar.get_used_tzids():
        calendar.add_missing_timezones(first_date=_day(entry.start) - ZONE_MARGIN,
                                       last_date=_day(entry.end_value) + ZONE_MARGIN)
        for timezone in calendar.timezones:
            timezone.pop("COMMENT", None)
    return calendar.to_ical()


def request_ics(entry: CalendarEntry, *, organizer: Organizer, attendee: tuple[str, str]) -> str:
    """METHOD:REQUEST inviting one attendee (name, email) to the event."""
    return _calendar(entry, method="REQUEST", status="CONFIRMED", organizer=organizer,
                     attendee=attendee).decode("utf-8")


def _attendee_line(attendee: vCalAddress) -> str:
    """The ATTENDEE content line as a calendar writes it (folded)."""
    return CalendarEvent().content_line("ATTENDEE", attendee, sorted=True).to_ical().decode("utf-8")


def request_ics_each(entry: CalendarEntry, *, organizer: Organizer,
                     attendees: Sequence[tuple[str, str]]) -> list[str]:
    """request_ics for each of many attendees: the calendar is written once and each attendee's
    own lines (ATTENDEE, and a new calendar UID) put in. The same text as request_ics, in a
    fraction of the time: writing calendars was most of a large mailing's time."""
    if not attendees:
        return []
    first = request_ics(entry, organizer=organizer, attendee=attendees[0])
    parsed = Calendar.from_ical(first)
    first_line = _attendee_line(parsed.walk("VEVENT")[0]["ATTENDEE"])
    first_uid = f"\r\nUID:{parsed['UID']}\r\n"
    calendars = [first]
    for attendee in attendees[1:]:
        line = _attendee_line(_attendee(attendee, method="REQUEST", organizer=organizer))
        own_uid = f"\r\nUID:{uuid.uuid4()}\r\n"
        calendars.append(first.replace(first_line, line, 1).replace(first_uid, own_uid, 1))
    return calendars


def cancel_ics(entry: CalendarEntry, *, organizer: Organizer, attendee: tuple[str, str]) -> str:
    """METHOD:CANCEL removing the event from one attendee's calendar."""
    return _calendar(entry, method="CANCEL", status="CANCELLED", organizer=organizer,
                     attendee=attendee).decode("utf-8")


def publish_ics(entry: CalendarEntry) -> str:
    """METHOD:PUBLISH of the entry alone, for anyone to add to their calendar; its UID is the
    invitation's, so an invitee's calendar keeps one entry."""
    return _calendar(entry, method="PUBLISH", status="CONFIRMED").decode("utf-8")
