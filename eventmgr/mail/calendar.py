"""iTIP calendar bodies (RFC 5546): REQUEST and CANCEL of a whole event or of one session.

One VEVENT with a UID that never changes, so a CANCEL (with a higher SEQUENCE)
updates the entry the REQUEST or the agenda feed created. Every calendar is
self-contained: a VTIMEZONE for each TZID it uses (RFC 5545 §3.2.19).
"""

from __future__ import annotations

import datetime as dt
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


def _calendar(entry: CalendarEntry, *, method: str, status: str, organizer: Organizer,
              attendee: tuple[str, str]) -> bytes:
    attendee_name, attendee_email = attendee
    calendar = Calendar.new(prodid=PRODID, method=method)
    vevent = CalendarEvent.new(
        uid=entry.uid, sequence=entry.sequence, stamp=utcnow(), summary=writable(entry.summary),
        start=entry.start, end=entry.end_value, location=writable(entry.location) or None,
        description=writable(entry.description) or None, status=status,
        organizer=vCalAddress.new(organizer.email, cn=writable(organizer.name) or None),
        attendees=[vCalAddress.new(
            attendee_email, cn=writable(attendee_name) or None, role="REQ-PARTICIPANT",
            partstat="NEEDS-ACTION", rsvp=method == "REQUEST" and organizer.takes_replies,
            cutype="INDIVIDUAL")],
    )
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


def cancel_ics(entry: CalendarEntry, *, organizer: Organizer, attendee: tuple[str, str]) -> str:
    """METHOD:CANCEL removing the event from one attendee's calendar."""
    return _calendar(entry, method="CANCEL", status="CANCELLED", organizer=organizer,
                     attendee=attendee).decode("utf-8")
