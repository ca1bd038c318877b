"""iCalendar feeds of an agenda (RFC 5545), byte-identical for the same agenda revision.

An agenda's calendar is built once per revision as parts: each session's VEVENT, written from
plain rows by `vevent` (icalendar's escaping and folding, without building a component per
session: that was nine tenths of an uncached build). Every feed is then assembled from parts —
the whole agenda, one session, or the sessions a person chose across events — so a small feed
never rebuilds the whole agenda. The assembly is what icalendar's `Calendar.to_ical()` writes
for the same components: the calendar's properties, its VTIMEZONEs (sorted by TZID), the
VEVENTs, END (tests/agenda/test_feed_slices.py checks it byte for byte).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from icalendar import Calendar, Timezone, vDatetime, vDuration, vText

from eventmgr.agenda.exportmeta import ExportMeta
from eventmgr.agenda.people import speaker_line
from eventmgr.text import writable

PRODID = "-//eventmgr//Agenda//EN"
REFRESH = dt.timedelta(hours=1)
# VTIMEZONEs cover the feed's sessions with a week to spare on either side.
TIMEZONE_PAD = dt.timedelta(days=7)
_END = b"END:VCALENDAR\r\n"
# RFC 5545 §3.1: content lines longer than 75 octets are folded; icalendar folds from 75 on.
_FOLD_FROM = 75


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


def _fold(line: bytes) -> bytes:
    """RFC 5545 §3.1 folding as icalendar writes it: pieces of at most 74 octets, never inside
    a UTF-8 sequence, and a backslash or caret at a piece's end moved to the next piece (so no
    escape is split); continuation lines start with a space. Done on the bytes, not per
    character (icalendar's own folding was a quarter of a build)."""
    pieces = []
    start = 0
    while len(line) - start >= _FOLD_FROM:
        cut = start + _FOLD_FROM - 1
        while line[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            cut -= 1
        if line[cut - 1] in b"\\^":
            cut -= 1
        pieces.append(line[start:cut])
        start = cut
    pieces.append(line[start:])
    return b"\r\n ".join(pieces)


def _line(name: str, value: str) -> bytes:
    line = f"{name}:{value}".encode()
    return line if len(line) < _FOLD_FROM else _fold(line)


def _escaped(value: str) -> str:
    return vText(value).to_ical().decode()


def _text(name: str, value: str) -> bytes:
    return _line(name, _escaped(writable(value)))


def _digits(moment: dt.datetime) -> str:
    return (f"{moment.year:04}{moment.month:02}{moment.day:02}"
            f"T{moment.hour:02}{moment.minute:02}{moment.second:02}")


def _utc(moment: dt.datetime) -> str:
    return f"{_digits(moment.astimezone(dt.UTC))}Z"


@functools.lru_cache(maxsize=64)
def _tzid(zone) -> str | None:
    """The TZID icalendar names a zone's local times by (None for UTC, written with a Z)."""
    return vDatetime(dt.datetime(2000, 1, 1, tzinfo=zone)).params.get("TZID")


def _local(name: str, moment: dt.datetime, zone) -> bytes:
    tzid = _tzid(zone)
    local = moment.astimezone(zone)
    return _line(f"{name};TZID={tzid}", _digits(local)) if tzid else _line(name, _utc(local))


def vevent(session, meta: ExportMeta) -> bytes:
    """A published session with a time as a VEVENT, as icalendar writes `Event.new` of the same
    values (its property order; tests/agenda/test_feed_slices.py compares them); cancelled ones
    marked STATUS:CANCELLED. An open end gives an entry with a start only (RFC 5545 §3.6.1)."""
    event = session.event
    zone = event.zone
    url = meta.session_url(session.id)
    speakers = speaker_line(session)
    categories = [session.kind.label, *(["Side event"] if session.is_side_event else [])]
    description = "\n\n".join(part for part in (speakers, session.description, url) if part)
    lines = [
        b"BEGIN:VEVENT",
        _text("SUMMARY", session.title),
        _local("DTSTART", session.starts_at, zone),
        *([_local("DTEND", session.ends_at, zone)] if session.ends_at else []),
        # No METHOD: DTSTAMP is the revision, not the time of the download.
        _line("DTSTAMP", _utc(meta.updated_at)),
        _text("UID", meta.session_guid(session.id)),
        _line("SEQUENCE", str(session.sequence)),
        _line("CATEGORIES", ",".join(_escaped(category) for category in categories)),
        _line("CREATED", _utc(session.created_at)),
        _text("DESCRIPTION", description),
        _line("LAST-MODIFIED", _utc(session.updated_at)),
        _text("LOCATION", _location(session)),
        _line("STATUS", "CANCELLED" if session.is_cancelled else "CONFIRMED"),
        _line("URL", url),
        b"END:VEVENT\r\n",
    ]
    return b"\r\n".join(lines)


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
        tzid = _tzid(session.event.zone)
        parts.append(EventPart(
            session_id=session.id, starts_at=session.starts_at, ends_at=session.ends_at,
            updated_at=session.updated_at, tzids=frozenset([tzid] if tzid else []),
            stamp=meta.updated_at, vevent=vevent(session, meta)))
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
