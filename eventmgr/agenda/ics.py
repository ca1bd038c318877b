"""iCalendar feeds of an agenda (RFC 5545), byte-identical for the same agenda revision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from icalendar import Calendar, vDuration
from icalendar import Event as CalendarEvent

from eventmgr.agenda.exportmeta import ExportMeta
from eventmgr.agenda.people import speaker_line
from eventmgr.text import writable

PRODID = "-//eventmgr//Agenda//EN"
REFRESH = dt.timedelta(hours=1)


def _location(session) -> str:
    event = session.event
    return ", ".join(part for part in (session.room.name if session.room else "", event.place) if part)


def agenda_calendar(sessions: Sequence, meta: ExportMeta, *, description: str) -> bytes:
    """A calendar of the given published sessions (of one event or several, as in a personal
    feed); cancelled ones marked STATUS:CANCELLED. Items with no time yet are left out: a
    calendar entry needs one. An open end gives an entry with a start only (RFC 5545 §3.6.1)."""
    sessions = [s for s in sessions if s.starts_at is not None]
    calendar = Calendar.new(
        prodid=PRODID, name=writable(meta.calendar_name), description=writable(description),
        url=meta.agenda_url, source=meta.feed_url, uid=meta.guid("feed", meta.feed_url),
    )
    calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    for session in sessions:
        zone = session.event.zone
        url = meta.session_url(session.id)
        speakers = speaker_line(session)
        calendar.add_component(CalendarEvent.new(
            uid=meta.session_guid(session.id),
            # No METHOD: DTSTAMP is the revision, not the time of the download.
            stamp=meta.updated_at, created=session.created_at, last_modified=session.updated_at,
            sequence=session.sequence, summary=writable(session.title),
            start=session.starts_at.astimezone(zone),
            end=session.ends_at.astimezone(zone) if session.ends_at else None,
            location=writable(_location(session)), url=url,
            categories=[session.kind.label, *(["Side event"] if session.is_side_event else [])],
            description=writable("\n\n".join(part for part in (speakers, session.description, url)
                                               if part)),
            status="CANCELLED" if session.is_cancelled else "CONFIRMED",
        ))
    if calendar.events:
        pad = dt.timedelta(days=7)
        calendar.add_missing_timezones(
            first_date=(min(s.starts_at for s in sessions) - pad).date(),
            last_date=(max(s.ends_at or s.starts_at for s in sessions) + pad).date())
        for timezone in calendar.timezones:
            timezone.pop("COMMENT", None)
    return calendar.to_ical()
