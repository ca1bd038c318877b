"""Strict wall-clock times: the spring gap refused, the autumn overlap asked for."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from eventmgr.localtime import AmbiguousTime, NonexistentTime, readings, to_utc

# (zone, the spring-gap time, the gap's ends, the autumn-overlap time, its two offsets)
ZONES = [
    ("Europe/Berlin", dt.datetime(2025, 3, 30, 2, 30), ("02:00", "03:00"),
     dt.datetime(2025, 10, 26, 2, 30), ("+02:00", "+01:00")),
    # A 30-minute shift: UTC+10:30 in winter, UTC+11:00 in summer.
    ("Australia/Lord_Howe", dt.datetime(2025, 10, 5, 2, 15), ("02:00", "02:30"),
     dt.datetime(2025, 4, 6, 1, 45), ("+11:00", "+10:30")),
]


@pytest.mark.parametrize("zone, gap, ends, overlap, offsets", ZONES, ids=[z[0] for z in ZONES])
def test_a_time_in_the_spring_gap_is_refused_naming_the_gap(zone, gap, ends, overlap, offsets):
    with pytest.raises(NonexistentTime) as refused:
        to_utc(gap, zone, field="starts_at")
    start, end = ends
    assert refused.value.message == (
        f"{gap:%H:%M} on Sunday {gap.day} {gap:%B %Y} does not exist in {zone}: the clocks go forward "
        f"from {start} to {end}. Enter a time before {start} or from {end}.")
    assert refused.value.field == "starts_at"


@pytest.mark.parametrize("zone, gap, ends, overlap, offsets", ZONES, ids=[z[0] for z in ZONES])
def test_a_time_in_the_autumn_overlap_asks_which_offset_and_takes_either(zone, gap, ends, overlap, offsets):
    with pytest.raises(AmbiguousTime) as asked:
        to_utc(overlap, zone)
    assert [reading.offset for reading in asked.value.readings] == list(offsets)
    assert "happens twice" in asked.value.message and all(o in asked.value.message for o in offsets)
    first, second = (to_utc(overlap, zone, offset=offset) for offset in offsets)
    assert second - first == dt.timedelta(hours=1 if zone == "Europe/Berlin" else 0.5)
    for offset, instant in zip(offsets, (first, second), strict=True):
        assert instant.tzinfo is dt.UTC
        assert (overlap - instant.replace(tzinfo=None)) == _offset(offset)


def _offset(text: str) -> dt.timedelta:
    sign = -1 if text[0] == "-" else 1
    return sign * dt.timedelta(hours=int(text[1:3]), minutes=int(text[4:6]))


def test_ordinary_times_have_one_reading_and_an_offset_is_not_needed():
    berlin = ZoneInfo("Europe/Berlin")
    assert len(readings(dt.datetime(2025, 6, 1, 9, 0), berlin)) == 1
    assert to_utc(dt.datetime(2025, 6, 1, 9, 0), berlin, offset="+05:00") == \
        dt.datetime(2025, 6, 1, 7, 0, tzinfo=dt.UTC)
    # The first minute after the gap exists.
    assert to_utc(dt.datetime(2025, 3, 30, 3, 0), berlin) == dt.datetime(2025, 3, 30, 1, 0, tzinfo=dt.UTC)


def test_a_wrong_offset_for_an_ambiguous_time_asks_again():
    with pytest.raises(AmbiguousTime):
        to_utc(dt.datetime(2025, 10, 26, 2, 30), "Europe/Berlin", offset="+05:00")
