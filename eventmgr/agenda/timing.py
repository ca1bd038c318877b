"""When agenda items happen: their local day, the dates an agenda may use, their place in the
programme, and which of them clash.

An item may have a day and times, a day only, or neither (only its place in the order). The
programme order is `(day, position)`, undated items last: `position` counts within a day.
Timed items of a day always follow their start times; an item without a time keeps its place
among its neighbours, so a programme saying "Registration" before "09:00 Opening" stays so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask import current_app

from eventmgr.localtime import to_utc

# A moment with an open end blocks its room and people for this long, for clashes only.
OPEN_END = dt.timedelta(minutes=1)
DEFAULT_SIDE_EVENT_DAYS = 2


def local_day(event, moment: dt.datetime) -> dt.date:
    """The day of an aware moment in the event's zone."""
    return moment.astimezone(event.zone).date()


def local_to_utc(event, local: dt.datetime, *, offset: str | None = None,
                 field: str | None = None) -> dt.datetime:
    """A naive wall-clock time in the event's zone as an aware UTC datetime, strictly: a time
    in a spring gap, or one of an autumn overlap without its `offset`, raises
    eventmgr.localtime's NonexistentTime / AmbiguousTime for `field`.

    Every time typed or imported for an agenda goes through here.
    """
    return to_utc(local, event.zone, offset=offset, field=field)


def side_event_days() -> int:
    """How many days before and after the event side events may fall (configurable)."""
    return int(current_app.config.get("AGENDA_SIDE_EVENT_DAYS", DEFAULT_SIDE_EVENT_DAYS))


def agenda_window(event) -> tuple[dt.date, dt.date]:
    """The first and last day an agenda item of the event may have, side events included."""
    margin = dt.timedelta(days=side_event_days())
    return event.start_date - margin, event.end_date + margin


def is_outside_event(event, day: dt.date | None) -> bool:
    return day is not None and not event.start_date <= day <= event.end_date


def agenda_days(event, days: Iterable[dt.date | None]) -> list[dt.date]:
    """The event's days plus the side-event days used, in order."""
    return sorted(set(event.days) | {day for day in days if day is not None})


def programme_key(session) -> tuple:
    return (session.day is None, session.day or dt.date.min, session.position, session.id or 0)


def time_span(session, zone) -> str:
    """ "09:00–10:30", "19:30" for an open end, "" without a time."""
    if session.starts_at is None:
        return ""
    start = f"{session.starts_at.astimezone(zone):%H:%M}"
    return f"{start}–{session.ends_at.astimezone(zone):%H:%M}" if session.ends_at else start


def insert_in_day(order: list, session) -> None:
    """Put `session` into one day's programme `order` (a list, changed in place).

    A timed item goes right after the last item starting at the same time (parallel
    sessions stay together), else before the first timed item starting later, else at the
    end of the day. An untimed item goes at the end. The timed items of `order` are in
    start order, so the scan from the end stops at the first one starting no later.
    """
    start = session.starts_at
    place = len(order)
    if start is not None:
        for index in range(len(order) - 1, -1, -1):
            other = order[index].starts_at
            if other is None:
                continue
            if other > start:
                place = index
                continue
            if other == start:
                place = index + 1
            break
    order.insert(place, session)


def renumber(order: Sequence) -> None:
    for position, item in enumerate(order):
        item.position = position


def interval(session) -> tuple[dt.datetime, dt.datetime] | None:
    """The stretch of time an item occupies, for clashes (None without a time)."""
    if session.starts_at is None:
        return None
    return session.starts_at, session.ends_at or session.starts_at + OPEN_END


def _related(one, other) -> bool:
    """A slot and its own break-out groups are one thing, not a clash."""
    return (one.parent_id is not None and one.parent_id == other.id) or \
        (other.parent_id is not None and other.parent_id == one.id)


@dataclass(frozen=True)
class Clash:
    """`other` takes the same room as the item, or one of its people (by name) at the same time."""

    other: object
    room: bool
    people: tuple[str, ...]

    def describe(self) -> str:
        parts = []
        if self.room:
            parts.append(f"the room is taken by “{self.other.title}”")
        parts.extend(f"{name} is also on “{self.other.title}”" for name in self.people)
        return "; ".join(parts)


def clashes(session, others: Iterable, *, room_id: int | None, person_ids: dict[int, str],
            people_of) -> list[Clash]:
    """What `session` (with the given room and people, by id → name) clashes with among
    `others`; `people_of(other)` gives the person ids on another item. Cancelled items,
    the item itself and its own slot or groups never clash."""
    mine = interval(session)
    if mine is None:
        return []
    found = []
    for other in others:
        theirs = interval(other)
        if (theirs is None or other is session or (session.id and other.id == session.id)
                or other.is_cancelled or _related(session, other)):
            continue
        if not (mine[0] < theirs[1] and theirs[0] < mine[1]):
            continue
        same_room = room_id is not None and other.room_id == room_id
        shared = tuple(name for person_id, name in person_ids.items() if person_id in people_of(other))
        if same_room or shared:
            found.append(Clash(other, same_room, shared))
    return found


def clashes_among(sessions: Sequence) -> dict[int, list[Clash]]:
    """Every clash between the loaded items (people from their loaded roles), by item id:
    what the timetable marks. Items are compared per room and per person only, so the work
    grows with the agenda, not with the number of parallel rooms."""
    live = [s for s in sessions if s.starts_at is not None and not s.is_cancelled]
    by_room: dict[int, list] = {}
    by_person: dict[int, list] = {}
    names: dict[int, str] = {}
    for session in live:
        if session.room_id is not None:
            by_room.setdefault(session.room_id, []).append(session)
        for role in session.roles:
            if role.person_id is not None:
                by_person.setdefault(role.person_id, []).append(session)
                names[role.person_id] = role.person.full_name
    rooms: set[tuple[int, int]] = set()
    people: dict[tuple[int, int], list[str]] = {}
    for items in by_room.values():
        for one, other in _overlapping(items):
            rooms.add((one.id, other.id))
    for person_id, items in by_person.items():
        for one, other in _overlapping(items):
            people.setdefault((one.id, other.id), []).append(names[person_id])
    found: dict[int, list[Clash]] = {}
    by_id = {s.id: s for s in live}
    for one_id, other_id in sorted(rooms | set(people)):
        shared = tuple(dict.fromkeys(people.get((one_id, other_id), ())))
        room = (one_id, other_id) in rooms
        found.setdefault(one_id, []).append(Clash(by_id[other_id], room, shared))
        found.setdefault(other_id, []).append(Clash(by_id[one_id], room, shared))
    return found


def _overlapping(items: list) -> list[tuple]:
    """The pairs of `items` whose times overlap (not an item with its own slot or groups),
    each pair once, in start order."""
    ordered = sorted(dict.fromkeys(items), key=lambda s: (s.starts_at, s.id))
    pairs = []
    for index, one in enumerate(ordered):
        end = interval(one)[1]
        for other in ordered[index + 1:]:
            if other.starts_at >= end:
                break
            if not _related(one, other):
                pairs.append((one, other))
    return pairs
