"""iTIP calendar bodies (RFC 5546): REQUEST and CANCEL of a whole event or of one session.

One VEVENT with a UID that never changes, so a CANCEL (with a higher SEQUENCE)
updates the entry the REQUEST or the agenda feed created.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from icalendar import Calendar, vCalAddress
from icalendar import Event as CalendarEvent

from eventmgr.sqltypes import utcnow

PRODID = "-//eventmgr//Invitations//EN"
# A whole event's REQUEST goes out with SEQUENCE 0; its cancellation must be higher (RFC 5546 §2.1.4).
EVENT_REQUEST_SEQUENCE = 0
EVENT_CANCEL_SEQUENCE = 1


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


def event_uid(event_id: int, domain: str) -> str:
    return f"event-{event_id}@{domain}"


def _attendee(attendee: tuple[str, str], *, method: str, partstat: str) -> vCalAddress:
    name, email = attendee
    return vCalAddress.new(email, cn=name or None, role="REQ-PARTICIPANT", partstat=partstat,
                           rsvp=method == "REQUEST", cutype="INDIVIDUAL")


def _calendar(entry: CalendarEntry, *, method: str, status: str, organizer: tuple[str, str],
              attendee: tuple[str, str], partstat: str) -> bytes:
    organizer_name, organizer_email = organizer
    calendar = Calendar.new(prodid=PRODID, method=method)
    vevent = CalendarEvent.new(
        uid=entry.uid, sequence=entry.sequence, stamp=utcnow(), summary=entry.summary,
        start=entry.start, end=entry.end_value, location=entry.location or None,
        description=entry.description or None, status=status,
        organizer=vCalAddress.new(organizer_email, cn=organizer_name or None),
        attendees=[_attendee(attendee, method=method, partstat=partstat)],
    )
    calendar.add_component(vevent)
    return calendar.to_ical()


def request_ics(entry: CalendarEntry, *, organizer: tuple[str, str], attendee: tuple[str, str]) -> str:
    """METHOD:REQUEST inviting one attendee (name, email) to the event."""
    return _calendar(entry, method="REQUEST", status="CONFIRMED",
                     organizer=organizer, attendee=attendee, partstat="NEEDS-ACTION").decode("utf-8")


def _attendee_line(attendee: vCalAddress) -> str:
    """The ATTENDEE content line as a calendar writes it (folded)."""
    return CalendarEvent().content_line("ATTENDEE", attendee, sorted=True).to_ical().decode("utf-8")


def request_ics_each(entry: CalendarEntry, *, organizer: tuple[str, str],
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
        line = _attendee_line(_attendee(attendee, method="REQUEST", partstat="NEEDS-ACTION"))
        own_uid = f"\r\nUID:{uuid.uuid4()}\r\n"
        calendars.append(first.replace(first_line, line, 1).replace(first_uid, own_uid, 1))
    return calendars


def cancel_ics(entry: CalendarEntry, *, organizer: tuple[str, str], attendee: tuple[str, str]) -> str:
    """METHOD:CANCEL removing the event from one attendee's calendar."""
    return _calendar(entry, method="CANCEL", status="CANCELLED",
                     organizer=organizer, attendee=attendee, partstat="NEEDS-ACTION").decode("utf-8")


def publish_ics(entry: CalendarEntry) -> str:
    """METHOD:PUBLISH of the entry alone, for anyone to add to their calendar; its UID is the
    invitation's, so an invitee's calendar keeps one entry."""
    calendar = Calendar.new(prodid=PRODID, method="PUBLISH")
    calendar.add_component(CalendarEvent.new(
        uid=entry.uid, sequence=entry.sequence, stamp=utcnow(), summary=entry.summary, start=entry.start,
        end=entry.end_value, location=entry.location or None, description=entry.description or None,
        status="CONFIRMED"))
    return calendar.to_ical().decode("utf-8")
