"""iTIP calendar bodies (RFC 5546) for invitation mails: REQUEST and CANCEL of a whole event.

One VEVENT per event with a UID that never changes, so a CANCEL (or a later
REQUEST with a higher SEQUENCE) updates the entry the REQUEST created.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from icalendar import Calendar, vCalAddress
from icalendar import Event as CalendarEvent

from eventmgr.sqltypes import utcnow

PRODID = "-//eventmgr//Invitations//EN"
# The REQUEST goes out with SEQUENCE 0; a cancellation must be higher (RFC 5546 §2.1.4).
REQUEST_SEQUENCE = 0
CANCEL_SEQUENCE = 1


@dataclass(frozen=True)
class CalendarEntry:
    """What the calendar shows of an event, in plain values."""

    uid: str
    summary: str
    start: dt.date
    end: dt.date  # last day, inclusive
    location: str
    description: str


def event_uid(event_id: int, domain: str) -> str:
    return f"event-{event_id}@{domain}"


def _calendar(entry: CalendarEntry, *, method: str, sequence: int, status: str, organizer: tuple[str, str],
              attendee: tuple[str, str], partstat: str) -> bytes:
    organizer_name, organizer_email = organizer
    attendee_name, attendee_email = attendee
    calendar = Calendar.new(prodid=PRODID, method=method)
    vevent = CalendarEvent.new(
        uid=entry.uid, sequence=sequence, stamp=utcnow(), summary=entry.summary,
        start=entry.start, end=entry.end + dt.timedelta(days=1), location=entry.location or None,
        description=entry.description or None, status=status,
        organizer=vCalAddress.new(organizer_email, cn=organizer_name or None),
        attendees=[vCalAddress.new(attendee_email, cn=attendee_name or None, role="REQ-PARTICIPANT",
                                   partstat=partstat, rsvp=method == "REQUEST", cutype="INDIVIDUAL")],
    )
    calendar.add_component(vevent)
    return calendar.to_ical()


def request_ics(entry: CalendarEntry, *, organizer: tuple[str, str], attendee: tuple[str, str]) -> str:
    """METHOD:REQUEST inviting one attendee (name, email) to the event."""
    return _calendar(entry, method="REQUEST", sequence=REQUEST_SEQUENCE, status="CONFIRMED",
                     organizer=organizer, attendee=attendee, partstat="NEEDS-ACTION").decode("utf-8")


def cancel_ics(entry: CalendarEntry, *, organizer: tuple[str, str], attendee: tuple[str, str]) -> str:
    """METHOD:CANCEL removing the event from one attendee's calendar."""
    return _calendar(entry, method="CANCEL", sequence=CANCEL_SEQUENCE, status="CANCELLED",
                     organizer=organizer, attendee=attendee, partstat="NEEDS-ACTION").decode("utf-8")
