"""The text normaliser (every value coming in) and the filter of every file writer."""

from __future__ import annotations

import pytest

from eventmgr.text import TextRefused, clean_text, close_direction_controls, writable


@pytest.mark.parametrize("value, multiline, expected", [
    ("Jose\u0301", False, "José"),                       # NFC
    ("  Ana  ", False, "  Ana  "),                        # spacing is the fields' business
    ("line one\r\nline two\rthree", True, "line one\nline two\nthree"),
    ("tab\tkept", False, "tab\tkept"),
    ("\u200b\u200b", False, ""),                           # zero-width spaces only: empty
    ("\u3164", False, ""),                                 # Hangul filler
    ("\u200e \ufeff\u2060", False, ""),                    # direction mark, BOM, word joiner
    ("\u200fנועה", False, "\u200fנועה"),                 # a mark beside visible text stays
    ("ab\u202ecd", False, "ab\u202ecd\u202c"),             # an override left open is closed
    ("مريم\u2067x", False, "مريم\u2067x\u2069"),
])
def test_values_come_out_normalised(value, multiline, expected):
    assert clean_text(value, multiline=multiline) == expected


@pytest.mark.parametrize("value, multiline, message", [
    ("Acme\x01 GmbH", False, "Remove the control character U+0001 (at character 5)"),
    ("Acme\x00", False, "Remove a NUL character"),
    ("Acme\x85", False, "U+0085"),                         # C1 control (NEL)
    ("Acme\x7f", False, "U+007F"),
    ("two\nlines", False, "Use a single line"),
    ("Subject\r\nBcc: x@example.org", False, "Use a single line"),
    ("bell\x07 in a text", True, "U+0007"),
    ("\ufffe", False, "U+FFFE"),
])
def test_control_characters_are_refused_with_a_message(value, multiline, message):
    with pytest.raises(TextRefused) as refused:
        clean_text(value, multiline=multiline)
    assert message in refused.value.message


def test_a_huge_value_is_refused_before_it_is_normalised(monkeypatch):
    import eventmgr.text as text

    class NoNormalising:
        @staticmethod
        def normalize(*args):
            raise AssertionError("normalised a value that is far too long")

    monkeypatch.setattr(text, "unicodedata", NoNormalising)
    with pytest.raises(TextRefused, match=r"Field cannot be longer than 254 characters\."):
        clean_text("a" * 10_000_000, max_length=254)


def test_length_is_counted_after_composing():
    assert clean_text("e\u0301" * 10, max_length=10) == "é" * 10
    with pytest.raises(TextRefused):
        clean_text("é" * 11, max_length=10)


def test_closing_direction_controls_leaves_balanced_text_alone():
    balanced = "a\u202bb\u202cc\u2066d\u2069"
    assert close_direction_controls(balanced) == balanced
    assert close_direction_controls("\u2067a\u202eb") == "\u2067a\u202eb\u202c\u2069"


def test_writers_drop_only_what_xml_and_icalendar_cannot_hold():
    assert writable("Acme\x00\x01\x0b GmbH\ufffe") == "Acme GmbH"
    kept = "Tab\tline\nreturn\r Zoë 🌍 محمد \u202e"
    assert writable(kept) == kept
