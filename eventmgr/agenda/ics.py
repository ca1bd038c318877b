"""iCalendar feeds of an agenda (RFC 5545), byte-identical for the same agenda revision.

An agenda's calendar is built once per revision as parts: each session's VEVENT, serialised by
icalendar. Every feed is then assembled from parts — the whole agenda, one session, or the
sessions a person chose across events — so a small feed never rebuilds the whole agenda. The
assembly is what icalendar's `Calendar.to_ical()` writes for the same components: the calendar's
properties, its VTIMEZONEs (sorted by TZID), the VEVENTs, END (tests/agenda/test_feed_slices.py
checks it byte for byte).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from icalendar import Calendar, Timezone, vDatetime, vDuration
from icalendar import Event as CalendarEvent

from eventmgr.agenda.exportmeta import ExportMeta
from eventmgr.agenda.people import speaker_line
from eventmgr.text import writable

PRODID = "-//eventmgr//Agenda//EN"
REFRESH = dt.timedelta(hours=1)
# VTIMEZONEs cover the feed's sessions with a week to spare on either side.
TIMEZONE_PAD = dt.timedelta(days=7)
_END = b"END:VCALENDAR\r\n"


@dataclass(frozen=True)
class EventPart:
    """One session's VEVENT as written, with what assembling a feed around it needs."""

    session_id: int
    starts_at: dt.datetime  # UTC
    ends_at: dt.datetime | None  # UTC; None: an open end
    updated_at: dt.datetime
    tzids: frozenset[str]
    stamp: dt.datetime  # the DTSTAMP written in `vevent`
    vevent: bytes

    def stamped(self, stamp: dt.datetime) -> bytes:
        """The VEVENT with another DTSTAMP (a personal feed's): the line is short, never folded."""
        if stamp == self.stamp:
            return self.vevent
        return self.vevent.replace(_stamp_line(self.stamp), _stamp_line(stamp), 1)


@dataclass(frozen=True)
class AgendaParts:
    """The parts of one agenda revision, in agenda order."""

    events: tuple[EventPart, ...]

    @functools.cached_property
    def by_session(self) -> dict[int, EventPart]:
        return {part.session_id: part for part in self.events}


def _stamp_line(stamp: dt.datetime) -> bytes:
    return b"\r\nDTSTAMP:" + vDatetime(stamp.astimezone(dt.UTC)).to_ical() + b"\r\n"


def _location(session) -> str:
    event = session.event
    return ", ".join(part for part in (session.room.name if session.room else "", event.place) if part)


def session_component(session, meta: ExportMeta) -> CalendarEvent:
    """A published session with a time as a VEVENT; cancelled ones marked STATUS:CANCELLED. An
    open end gives an entry with a start only (RFC 5545 §3.6.1)."""
    zone = session.event.zone
    url = meta.session_url(session.id)
    speakers = speaker_line(session)
    return CalendarEvent.new(
        uid=meta.session_guid(session.id),
        # No METHOD: DTSTAMP is the revision, not the time of the download.
        stamp=meta.updated_at, created=session.created_at, last_modified=session.updated_at,
        sequence=session.sequence, summary=writable(session.title),
        start=session.starts_at.astimezone(zone),
        end=session.ends_at.astimezone(zone) if session.ends_at else None,
        location=writable(_location(session)), url=url,
        categories=[session.kind.label, *(["Side event"] if session.is_side_event else [])],
        description=writable("\n\n".join(part for part in (speakers, session.description, url) if part)),
        status="CANCELLED" if session.is_cancelled else "CONFIRMED",
    )


def calendar_component(meta: ExportMeta, *, description: str) -> Calendar:
    """The feed's VCALENDAR with its own properties and no components yet."""
    calendar = Calendar.new(
        prodid=PRODID, name=writable(meta.calendar_name), description=writable(description),
        url=meta.agenda_url, source=meta.feed_url, uid=meta.guid("feed", meta.feed_url),
    )
    calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    return calendar


def timezone_span(starts: Iterable[dt.datetime], ends: Iterable[dt.datetime]) -> tuple[dt.date, dt.date]:
    """The dates the VTIMEZONEs of a feed cover: its sessions, a week to spare on either side."""
    return (min(starts) - TIMEZONE_PAD).date(), (max(ends) + TIMEZONE_PAD).date()


def used_tzids(component) -> set[str]:
    """The TZIDs a component's properties name (as icalendar's Calendar.get_used_tzids)."""
    return {value.params.get("TZID") for _, value in component.property_items(sorted=False)
            if hasattr(value, "params")} - {None}


def timezone_component(tzid: str, first: dt.date, last: dt.date) -> Timezone:
    timezone = Timezone.from_tzid(tzid, first_date=first, last_date=last)
    timezone.pop("COMMENT", None)
    return timezone


@functools.lru_cache(maxsize=256)
def _timezone(tzid: str, first: dt.date, last: dt.date) -> bytes:
    return timezone_component(tzid, first, last).to_ical()


def agenda_parts(sessions: Sequence, meta: ExportMeta) -> AgendaParts:
    """The VEVENT of every given session, for one agenda revision. Items with no time yet are
    left out: a calendar entry needs one."""
    parts = []
    for session in sessions:
        if session.starts_at is None:
            continue
        component = session_component(session, meta)
        parts.append(EventPart(
            session_id=session.id, starts_at=session.starts_at, ends_at=session.ends_at,
            updated_at=session.updated_at, tzids=frozenset(used_tzids(component)),
            stamp=meta.updated_at, vevent=component.to_ical()))
    return AgendaParts(tuple(parts))


def calendar(parts: Sequence[EventPart], meta: ExportMeta, *, description: str) -> bytes:
    """A feed of the given parts (of one agenda, or several as in a personal feed), stamped with
    `meta.updated_at`."""
    header = calendar_component(meta, description=description).to_ical()[:-len(_END)]
    chunks = [header]
    if parts:
        first, last = timezone_span((p.starts_at for p in parts), (p.ends_at or p.starts_at for p in parts))
        chunks.extend(_timezone(tzid, first, last) for tzid in sorted(set().union(*(p.tzids for p in parts))))
        chunks.extend(part.stamped(meta.updated_at) for part in parts)
    chunks.append(_END)
    return b"".join(chunks)
