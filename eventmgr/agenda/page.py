"""The days of the public agenda page, written from plain rows and shared by every reader.

The days are written here in Python rather than by a Jinja template: for a 300-item agenda the
template's attribute lookups, macro calls and escaping through the environment took about two
thirds of a first reader's time. Every value goes through markupsafe's `escape`, as the
template's autoescape did; what repeats (times, rooms, kinds, role labels) is formatted once
per build. The bytes are the template's, whitespace included
(tests/agenda/test_public_page_golden.py).

A published agenda's days are cut where a timed item's "Add to / Remove from my agenda" form
goes: anonymous readers get the pieces joined, a signed-in reader the pieces with their own
forms in between (`PersonalButtons`, also built once per revision, cut at the CSRF token).
Builds run with the garbage collector paused: the thousands of rows, lists and tuples they make
all live until the build ends, so a collection during it would scan them and free nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import url_for
from markupsafe import Markup, escape

from eventmgr.agenda.people import holder_text, in_role_order
from eventmgr.gcpause import collector_paused
from eventmgr.series.models import Event
from eventmgr.templating import long_date

SIDE_EVENT_BADGE = ' · <span class="badge">Side event</span>'
CANCELLED_BADGE = ' <span class="badge badge-warn">Cancelled</span>'
# An id no session has, put in a URL once to learn what url_for writes around an id.
_SENTINEL_ID = 987654321


def url_of_id(endpoint: str, **values) -> Callable[[int], str]:
    """What `url_for(endpoint, session_id=…, **values)` writes, HTML-escaped, without building
    the URL again for each of hundreds of sessions."""
    before, _, after = url_for(endpoint, session_id=_SENTINEL_ID, **values).rpartition(str(_SENTINEL_ID))
    before, after = str(escape(before)), str(escape(after))
    return lambda session_id: f"{before}{session_id}{after}"


def programme_slots(sessions: Iterable) -> list[tuple[dt.date | None, list[list]]]:
    """Each day's slots in programme order (the sessions come so), undated items last: a slot
    is a session followed by its break-out groups, shown side by side."""
    slots: dict[int, list] = {}
    days: dict[dt.date | None, list[list]] = {}
    for session in sessions:
        if session.parent_id in slots:
            slots[session.parent_id].append(session)
            continue
        slots[session.id] = [session]
        days.setdefault(session.day, []).append(slots[session.id])
    return list(days.items())


class _Memo(dict):
    """A dict that makes a missing value with `make(key)` and keeps it."""

    def __init__(self, make: Callable):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


class _DaysWriter:
    """Writes the days of one build. The blank lines and indentation are those the page had
    when a template rendered it (the golden files pin them)."""

    def __init__(self, event: Event, *, published: bool):
        zone = ZoneInfo(event.timezone)
        self.event, self.published = event, published
        self.calendar_url = url_of_id("agenda.session_ics", slug=event.slug)
        self.times = _Memo(lambda moment: f'<time datetime="{escape(moment.isoformat())}">'
                                          f'{escape(moment.astimezone(zone).strftime("%H:%M"))}</time>')
        self.kind_classes = _Memo(lambda kind: escape(kind.value))
        self.kinds = _Memo(lambda kind: f'\n            <span class="kind">{escape(kind.label)}</span>')
        self.rooms = _Memo(lambda name: f' · <span class="room">{escape(name)}</span>')
        self.labels = _Memo(
            lambda kind: f'\n              <li><span class="role">{escape(kind.label)}:</span> ')
        self.pieces: list[str] = []
        self.ids: list[int] = []
        self.out: list[str] = ["\n"]

    def day(self, day: dt.date | None, slots: list[list]) -> None:
        day_id = day.isoformat() if day else "undated"
        if day is None:
            heading = "Date to be confirmed"
        elif day < self.event.start_date or day > self.event.end_date:
            heading = f'{escape(long_date(day))} <span class="subtitle-inline">· side events</span>'
        else:
            heading = escape(long_date(day))
        self.out.append(f'\n  \n  <section class="agenda-day" aria-labelledby="day-{day_id}">\n'
                        f'    <h2 id="day-{day_id}">{heading}</h2>\n    ')
        for slot in slots:
            self.out.append('\n      <div class="agenda-slot has-breakouts">\n      ' if len(slot) > 1
                            else '\n      <div class="agenda-slot">\n      ')
            for session in slot:
                self.session(session)
            self.out.append('\n      </div>\n    ')
        self.out.append('\n  </section>\n')

    def session(self, s) -> None:
        out, times = self.out, self.times
        title = escape(s.title)
        if s.starts_at:
            when = times[s.starts_at] + ("–" + times[s.ends_at] if s.ends_at else "")
        else:
            when = '<span class="tbc">Time to be confirmed</span>'
        out.append(
            f'\n        <article class="agenda-session kind-{self.kind_classes[s.kind]}'
            f'{" cancelled" if s.is_cancelled else ""}{" side-event" if s.is_side_event else ""}"'
            f' id="session-{s.id}">\n          <p class="when">{when}{self.kinds[s.kind]}'
            f'{SIDE_EVENT_BADGE if s.is_side_event else ""}{self.rooms[s.room.name] if s.room else ""}</p>'
            f'\n          <h3>{title}{CANCELLED_BADGE if s.is_cancelled else ""}</h3>\n'
            f'          {f"<p>{escape(s.description)}</p>" if s.description else ""}\n          ')
        if s.roles:
            out.append('\n            <ul class="people">\n            ')
            for role in in_role_order(s.roles):
                text = holder_text(role)
                out.append(f'{self.labels[role.role]}{f"<bdi>{escape(text)}</bdi>" if text else ""}'
                           '</li>\n            ')
            out.append('\n            </ul>\n          ')
        if self.published and s.starts_at:
            out.append(f'\n          \n            <div class="session-actions no-print">\n'
                       f'              <a href="{self.calendar_url(s.id)}">Add to calendar'
                       f'<span class="visually-hidden"> — {title}</span></a>\n              ')
            self.cut(s.id)
            self.out.append('\n            </div>\n          \n        </article>\n      ')
        else:
            out.append('\n          \n        </article>\n      ')

    def cut(self, session_id: int) -> None:
        """End a piece where this item's personal button goes."""
        self.pieces.append("".join(self.out))
        self.ids.append(session_id)
        self.out = []

    def finish(self, *, any_day: bool, preview: bool) -> tuple[list[str], list[int]]:
        if not any_day:
            self.out.append('\n  <p>No session matches.</p>\n' if self.published or preview else '\n  \n')
        self.pieces.append("".join(self.out))
        return self.pieces, self.ids


def write_days(event: Event, sessions: Iterable, *, published: bool,
               preview: bool) -> tuple[list[str], list[int]]:
    """The days' HTML cut where each timed item's personal button goes (published agendas
    only), and those items' ids in order: len(pieces) == len(ids) + 1."""
    writer = _DaysWriter(event, published=published)
    days = programme_slots(sessions)
    for day, slots in days:
        writer.day(day, slots)
    return writer.finish(any_day=bool(days), preview=preview)


@dataclass(frozen=True)
class AgendaBody:
    """The filter choices and the written days of the public agenda page."""

    days: list[dt.date]
    rooms: list[str]
    # Items with no time yet: on the page, not in the calendar and schedule files.
    untimed: int
    # The days cut where each timed item's personal button goes, and those items' ids.
    pieces: list[str]
    slots: list[int]
    html: Markup  # as anonymous readers see it: the pieces joined

    def with_buttons(self, button: Callable[[int], str]) -> Markup:
        """The days with `button(session id)` in each timed item's place."""
        parts = [self.pieces[0]]
        for session_id, piece in zip(self.slots, self.pieces[1:], strict=True):
            parts += (button(session_id), piece)
        return Markup("".join(parts))


@collector_paused()
def agenda_body(event: Event, sessions: list, filters: dict[str, str], *, published: bool,
                preview: bool) -> AgendaBody:
    """The days as every reader shares them, from plain rows (or, in the staff preview, the
    draft's sessions), filtered by day, room and kind."""
    day, room, kind = filters["day"], filters["room"], filters["kind"]
    shown = [s for s in sessions
             if (not day or (s.day.isoformat() if s.day else "") == day)
             and (not room or (s.room and s.room.name == room))
             and (not kind or s.kind.value == kind)] if day or room or kind else sessions
    pieces, slots = write_days(event, shown, published=published, preview=preview)
    days: set[dt.date] = set()
    rooms: set[str] = set()
    untimed = 0
    for s in sessions:
        if s.day:
            days.add(s.day)
        if s.room:
            rooms.add(s.room.name)
        if s.starts_at is None and not s.is_cancelled:
            untimed += 1
    return AgendaBody(days=sorted(days), rooms=sorted(rooms), untimed=untimed, pieces=pieces, slots=slots,
                      html=Markup("".join(pieces)))


@dataclass(frozen=True)
class PersonalButtons:
    """Each timed item's "Add to my agenda" and "Remove from my agenda" forms, cut where the
    reader's CSRF token goes: built once per revision, joined into a page per reader."""

    add: dict[int, tuple[str, str]]
    remove: dict[int, tuple[str, str]]

    def for_reader(self, personal_ids: set[int], csrf: str) -> Callable[[int], str]:
        def button(session_id: int) -> str:
            before, after = (self.remove if session_id in personal_ids else self.add)[session_id]
            return f"{before}{csrf}{after}"
        return button


@collector_paused()
def personal_buttons(event: Event, sessions: Iterable) -> PersonalButtons:
    def forms(endpoint: str, label: str) -> dict[int, tuple[str, str]]:
        action = url_of_id(endpoint, slug=event.slug)
        return {s.id: (f'\n                \n                <form method="post" class="inline" '
                       f'action="{action(s.id)}">\n'
                       '                  <input type="hidden" name="csrf_token" value="',
                       f'">\n                  <button type="submit" class="button small">{label}'
                       f'<span class="visually-hidden"> — {escape(s.title)}</span></button>\n'
                       '                </form>\n              ')
                for s in timed}

    timed = [s for s in sessions if s.starts_at]
    return PersonalButtons(add=forms("agenda.personal_add", "Add to my agenda"),
                           remove=forms("agenda.personal_remove", "Remove from my agenda"))
