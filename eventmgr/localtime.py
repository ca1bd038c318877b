"""Wall-clock times entered in an event's zone, read strictly.

A time the clocks skip (the spring gap: 02:30 when 02:00 becomes 03:00) is refused with
the gap named, never moved an hour; a time the clocks pass twice (the autumn overlap)
is refused until the person says which of the two offsets is meant, both offered.
Every place where people enter local times (the agenda's session form, imports of
programmes, copies between events) reads them through `to_utc`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from eventmgr.errors import DomainError


@dataclass(frozen=True)
class Reading:
    """One instant a wall-clock time can mean in a zone."""

    local: dt.datetime  # naive
    utc: dt.datetime
    utc_offset: dt.timedelta
    abbreviation: str

    @property
    def offset(self) -> str:
        """'+02:00', the value a form sends back to choose this reading."""
        return format_offset(self.utc_offset)

    @property
    def label(self) -> str:
        """'02:30 CEST (UTC+02:00)'; zones without letter abbreviations show the offset only."""
        zone_name = f"{self.abbreviation} " if self.abbreviation[:1].isalpha() else ""
        return f"{self.local:%H:%M} {zone_name}(UTC{self.offset})"


class LocalTimeError(DomainError):
    """A wall-clock time that does not name one instant in the zone."""


class NonexistentTime(LocalTimeError):
    pass


class AmbiguousTime(LocalTimeError):
    def __init__(self, message: str, readings: tuple[Reading, Reading], *, field: str | None) -> None:
        super().__init__(message, field=field)
        self.readings = readings


def format_offset(offset: dt.timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _day(local: dt.datetime) -> str:
    return f"{local:%A} {local.day} {local:%B %Y}"


def _clock(moment: dt.datetime, on: dt.datetime) -> str:
    """'03:00', or '00:00 on 31 December' for a change that moves the date (Samoa, 2011)."""
    return f"{moment:%H:%M}" if moment.date() == on.date() else f"{moment:%H:%M} on {moment.day} {moment:%B}"


def readings(local: dt.datetime, zone: ZoneInfo) -> list[Reading]:
    """The instants (earliest first) whose wall-clock time in `zone` is `local`:
    none in a spring gap, two in an autumn overlap, else one."""
    found: list[Reading] = []
    for fold in (0, 1):
        aware = local.replace(tzinfo=zone, fold=fold)
        utc = aware.astimezone(dt.UTC)
        if utc.astimezone(zone).replace(tzinfo=None) == local and all(r.utc != utc for r in found):
            found.append(Reading(local=local, utc=utc, utc_offset=aware.utcoffset(),
                                 abbreviation=aware.tzname() or ""))
    return sorted(found, key=lambda reading: reading.utc)


def _transition(local: dt.datetime, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The wall-clock times on each side of the clock change around `local`: the last
    one before the change and the first one after it."""
    before = local.replace(tzinfo=zone, fold=0).utcoffset()
    after = local.replace(tzinfo=zone, fold=1).utcoffset()
    low, high = local - max(before, after), local - min(before, after)  # UTC, naive
    # The change is the first second in [low, high] with the new offset: bisect for it.
    old_offset = low.replace(tzinfo=dt.UTC).astimezone(zone).utcoffset()
    while high - low > dt.timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.replace(tzinfo=dt.UTC).astimezone(zone).utcoffset() == old_offset:
            low = middle
        else:
            high = middle
    change = high.replace(microsecond=0, tzinfo=dt.UTC)
    new_offset = change.astimezone(zone).utcoffset()
    return (change + old_offset).replace(tzinfo=None), (change + new_offset).replace(tzinfo=None)


def to_utc(local: dt.datetime, zone: ZoneInfo | str, *, offset: str | None = None,
           field: str | None = None) -> dt.datetime:
    """The aware UTC instant of a naive wall-clock time in `zone`.

    `offset` ('+02:00') chooses between the two readings of a time in an autumn overlap.
    Raises NonexistentTime or AmbiguousTime (with both readings) for `field`.
    """
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    local = local.replace(tzinfo=None)
    found = readings(local, zone)
    if len(found) == 1:
        return found[0].utc
    if not found:
        start, end = (_clock(moment, local) for moment in _transition(local, zone))
        raise NonexistentTime(
            f"{local:%H:%M} on {_day(local)} does not exist in {zone.key}: the clocks go forward "
            f"from {start} to {end}. Enter a time before {start} or from {end}.", field=field)
    chosen = next((reading for reading in found if reading.offset == offset), None)
    if chosen is not None:
        return chosen.utc
    first, second = found
    back_from, back_to = (_clock(moment, local) for moment in _transition(local, zone))
    raise AmbiguousTime(
        f"{local:%H:%M} on {_day(local)} happens twice in {zone.key}, as the clocks go back from "
        f"{back_from} to {back_to}: choose {first.label}, the first time, or "
        f"{second.label}, the second.",
        (first, second), field=field)
