"""Reading a programme's cells: people entries as printed, days, times, lengths and kinds."""

import datetime as dt
from types import SimpleNamespace

import pytest

from eventmgr.agenda import cells
from eventmgr.agenda.entries import FUNCTION, ORGANIZATION, PERSON, STATE, parse_entry, parse_name, split_cell
from eventmgr.agenda.enums import SessionKind
from eventmgr.registry.enums import NameOrder

EVENT = SimpleNamespace(start_date=dt.date(2014, 11, 20), end_date=dt.date(2014, 11, 21))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dr. Arnold Wallraff, President, Federal Office for Economic Affairs and Export Control (BAFA)",
            (
                PERSON,
                "Dr.",
                "Arnold",
                "Wallraff",
                "President",
                "Federal Office for Economic Affairs and Export Control",
                "BAFA",
                None,
                None,
            ),
        ),
        (
            "Ms. LI Hong, Ministry of Commerce, China",
            (PERSON, "Ms.", "Hong", "Li", "", "Ministry of Commerce", "", "CN", None),
        ),
        ("Arnold WALLRAFF (BAFA)", (PERSON, "", "Arnold", "Wallraff", "", "BAFA", "", None, None)),
        (
            "H.E. Mr. Oh Joon, Chair of the 1540 Committee, Republic of Korea",
            (PERSON, "H.E. Mr.", "Oh", "Joon", "Chair of the 1540 Committee", "", "", "KR", None),
        ),
        (
            "Ursula von der Leyen, European Commission",
            (PERSON, "", "Ursula", "von der Leyen", "", "European Commission", "", None, None),
        ),
        ("Wallraff", (PERSON, "", "", "Wallraff", "", "", "", None, None)),
        (
            "Ada Lovelace, Compliance and Capacity International, LLC",
            (PERSON, "", "Ada", "Lovelace", "", "Compliance and Capacity International, LLC", "", None, None),
        ),
        (
            "Compliance and Capacity International, LLC",
            (ORGANIZATION, "", "", "", "", "Compliance and Capacity International, LLC", "", None, None),
        ),
        ("AREVA (France)", (ORGANIZATION, "", "", "", "", "AREVA", "", "FR", None)),
        ("Siemens AG", (ORGANIZATION, "", "", "", "", "Siemens AG", "", None, None)),
        ("Republic of Korea", (STATE, "", "", "", "", "", "", None, "KR")),
        ("Germany, Head of delegation", (STATE, "", "", "", "Head of delegation", "", "", None, "DE")),
        (
            "a representative of the host State",
            (FUNCTION, "", "", "", "a representative of the host State", "", "", None, None),
        ),
        ("Chair of the TEM", (FUNCTION, "", "", "", "Chair of the TEM", "", "", None, None)),
        (
            "Representative, Toshiba, Japan",
            (ORGANIZATION, "", "", "", "Representative", "Toshiba", "", "JP", None),
        ),
    ],
)
def test_entries_as_programmes_print_them(text, expected):
    entry = parse_entry(text)
    assert (
        entry.kind,
        entry.honorific,
        entry.given_name,
        entry.family_name,
        entry.function,
        entry.organization,
        entry.acronym,
        entry.country,
        entry.state,
    ) == expected


def test_a_family_name_in_capitals_says_the_order():
    assert parse_name("LI Hong") == ("", "Hong", "Li", NameOrder.FAMILY_GIVEN)
    assert parse_name("Prof. Dr. Anna-Lena SCHMIDT-WEBER") == (
        "Prof. Dr.",
        "Anna-Lena",
        "Schmidt-Weber",
        NameOrder.GIVEN_FAMILY,
    )
    assert parse_name("Sean O'NEILL") == ("", "Sean", "O'Neill", NameOrder.GIVEN_FAMILY)


def test_an_email_in_an_entry():
    entry = parse_entry("Grace Hopper <grace@example.org>, Navy")
    assert (entry.email, entry.family_name, entry.organization) == ("grace@example.org", "Hopper", "Navy")


def test_a_cell_holds_entries_separated_by_semicolons_or_lines():
    assert split_cell("A; B\nC;\r\n ; D") == ["A", "B", "C", "D"]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2014-11-20", dt.date(2014, 11, 20)),
        ("2014-11-20 00:00:00", dt.date(2014, 11, 20)),
        ("20.11.2014", dt.date(2014, 11, 20)),
        ("20/11/2014", dt.date(2014, 11, 20)),
        ("11/21/2014", dt.date(2014, 11, 21)),
        ("20 November 2014", dt.date(2014, 11, 20)),
        ("Thursday 20 November", dt.date(2014, 11, 20)),
        ("November 21, 2014", dt.date(2014, 11, 21)),
        ("21st Nov", dt.date(2014, 11, 21)),
        ("Day 2", dt.date(2014, 11, 21)),
        ("0", dt.date(2014, 11, 19)),
        ("Friday", dt.date(2014, 11, 21)),
        ("tbc", None),
        ("TBD", None),
        ("—", None),
    ],
)
def test_days_as_programmes_write_them(text, day):
    assert cells.parse_day(text, EVENT) == day


@pytest.mark.parametrize("text", ["31 November 2014", "someday", "Monday", "2014-13-01"])
def test_days_that_are_not(text):
    with pytest.raises(ValueError):
        cells.parse_day(text, EVENT)


def test_times_ranges_and_lengths():
    assert [
        cells.parse_time(t)
        for t in ("09:30", "9.30", "9h30", "0930", "9:30 am", "9h", "2 pm", "noon", "09:30:00", "")
    ] == [dt.time(9, 30)] * 5 + [dt.time(9), dt.time(14), dt.time(12), dt.time(9, 30), None]
    assert cells.parse_time_range("09:00–10:30") == (dt.time(9), dt.time(10, 30))
    assert cells.parse_time_range("9.00 - 10.30") == (dt.time(9), dt.time(10, 30))
    assert [cells.parse_minutes(t) for t in ("90", "90 min", "1:30", "1h30", "1.5 h", "2 hours", "")] == [
        90,
        90,
        90,
        90,
        90,
        120,
        None,
    ]
    for bad in ("9", "25:00", "soon"):
        with pytest.raises(ValueError):
            cells.parse_time(bad)


def test_kinds_named_or_guessed_from_the_title():
    assert cells.parse_kind("Break-out session") is SessionKind.BREAKOUT
    assert cells.parse_kind("Round table") is SessionKind.PANEL
    assert cells.parse_kind("", "Coffee break") is SessionKind.BREAK
    assert cells.parse_kind("", "Welcome dinner") is SessionKind.RECEPTION
    assert cells.parse_kind("", "Registration and welcome coffee") is SessionKind.BREAK
    assert cells.parse_kind("", "Break-out groups") is SessionKind.BREAKOUT
    assert cells.parse_kind("", "Dinner at the Römer") is SessionKind.RECEPTION
    assert cells.parse_kind("", "Export controls in 2015") is SessionKind.PLENARY
    with pytest.raises(ValueError):
        cells.parse_kind("gymnastics")
