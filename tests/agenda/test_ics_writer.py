"""The agenda's own VEVENT writer folds and escapes as icalendar does, on every kind of line.

Whole feeds are compared with icalendar's in tests/agenda/test_feed_slices.py and pinned in
tests/agenda/test_golden.py; here the folding alone is checked against icalendar's on lines
that put each awkward character (multi-byte, non-BMP, backslash escapes, carets) on and
around every folding point.
"""

import random

import pytest
from icalendar import vText
from icalendar.parser import Contentline

from eventmgr.agenda import ics

ALPHABET = ["a", " ", ",", ";", "\\", "^", "é", "—", "中", "😀", "𝔘", "\n", ":"]


def _lines():
    generator = random.Random(1540)
    for length in (*range(60, 90), 150, 151, 152, 300, 1000):
        for _ in range(20):
            yield "".join(generator.choice(ALPHABET) for _ in range(length))
    # An escape right at the first folding point, and runs of escapes across several.
    for prefix in range(68, 76):
        yield "x" * prefix + "\\\\n" * 40
        yield "x" * prefix + "^^" * 40


@pytest.mark.parametrize("name", ["DESCRIPTION", "SUMMARY", "LOCATION"])
def test_folding_and_escaping_are_icalendars(name):
    for value in _lines():
        escaped = vText(value).to_ical().decode()
        assert ics._line(name, escaped) == Contentline(f"{name}:{escaped}").to_ical(), value
        assert ics._text(name, value) == Contentline(f"{name}:{escaped}").to_ical(), value


def test_short_lines_are_left_alone():
    assert ics._line("UID", "a" * 69) == b"UID:" + b"a" * 69
    assert ics._line("UID", "a" * 70) == b"UID:" + b"a" * 70
    assert ics._line("UID", "a" * 71) == b"UID:" + b"a" * 70 + b"\r\n a"
