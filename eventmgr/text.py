"""Text coming in and text going out.

`clean_text` is the one normaliser of every value that comes in — form fields (through
`eventmgr.formtools.Form`), import cells (`eventmgr.tabular`) and CLI arguments
(`eventmgr.cli`): NFC; C0/C1 control characters other than tab and newline refused;
newlines only where the value may have several lines; a value made of invisible
characters only counts as empty; unclosed direction overrides closed at the end; the
length checked before anything costly runs.

`writable` is what every XML, DOCX and ICS writer passes text through, so a value
stored before these rules (or written straight into the database) cannot take an
export down.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls except tab and newline, DEL and the C1 controls, lone surrogates and the
# noncharacters (U+FDD0–FDEF and the last two code points of every plane).
_NONCHARACTERS = "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(0x11))
REFUSED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]")
# What XML 1.0 (§2.2) and iCalendar TEXT (RFC 5545 §3.3.11) cannot hold.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
LINE_BREAKS = re.compile("\r\n?")

# Characters that show nothing, beyond whitespace and the format characters (Cf):
# Hangul fillers, the Braille blank, the Khmer inherent vowels, variation selectors,
# the combining grapheme joiner.
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5\u034f"
                     + "".join(chr(c) for c in range(0xFE00, 0xFE10)))

# Direction embeddings and overrides (closed by U+202C) and isolates (closed by U+2069).
_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")
_ISOLATES = frozenset("\u2066\u2067\u2068")
_POP_EMBEDDING, _POP_ISOLATE = "\u202c", "\u2069"
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

# How long a value may be where its field sets no limit.
LINE_LIMIT = 1_000
TEXT_LIMIT = 100_000


class TextRefused(ValueError):
    """A value the normaliser refuses; the message says why, for the person who typed it."""

    @property
    def message(self) -> str:
        return str(self.args[0])


def too_long_message(max_length: int) -> str:
    # WTForms' own wording, so a form says the same before and after normalising.
    return f"Field cannot be longer than {max_length} characters."


def _describe(character: str) -> str:
    if character in "\r\n":
        return "a line break"
    if character == "\x00":
        return "a NUL character (\\0)"
    return f"the control character U+{ord(character):04X}"


def is_invisible(value: str) -> bool:
    """True if the value shows nothing: whitespace, format characters and fillers only."""
    return all(c.isspace() or c in _FILLERS or unicodedata.category(c) == "Cf" for c in value)


def close_direction_controls(value: str) -> str:
    """Close embeddings, overrides and isolates left open, so a value cannot turn the
    text that follows it around (a name ending in U+202E, say) wherever it is printed."""
    if not _DIRECTION_CONTROLS.search(value):
        return value
    open_controls: list[str] = []
    for character in value:
        if character in _EMBEDDINGS or character in _ISOLATES:
            open_controls.append(character)
        elif character == _POP_EMBEDDING:
            if open_controls and open_controls[-1] in _EMBEDDINGS:
                open_controls.pop()
        elif character == _POP_ISOLATE:
            # A PDI closes its isolate and any embedding opened inside it (UAX #9, BD9).
            while open_controls and open_controls[-1] not in _ISOLATES:
                open_controls.pop()
            if open_controls:
                open_controls.pop()
    closers = (_POP_ISOLATE if c in _ISOLATES else _POP_EMBEDDING for c in reversed(open_controls))
    return value + "".join(closers)


def clean_text(value: str, *, multiline: bool = False, max_length: int | None = None) -> str:
    """The normalised value, or TextRefused saying what to change.

    The length is checked first (twice the limit before normalising, which never more
    than doubles a text; the limit after), so a huge value costs nothing more.
    """
    limit = max_length if max_length is not None else (TEXT_LIMIT if multiline else LINE_LIMIT)
    if value.isascii() and value.isprintable():
        # Most values: nothing to refuse, compose or close; only blanks may make them empty.
        if len(value) > limit:
            raise TextRefused(too_long_message(limit))
        return value if not value or not value.isspace() else ""
    if len(value) > 2 * limit:
        raise TextRefused(too_long_message(limit))
    if multiline:
        value = LINE_BREAKS.sub("\n", value)
    refused = REFUSED.search(value)
    if refused is None and not multiline:
        refused = re.search("[\r\n]", value)
    if refused is not None:
        what = _describe(refused.group())
        if what == "a line break":
            raise TextRefused("Use a single line: line breaks are not allowed here.")
        raise TextRefused(f"Remove {what} (at character {refused.start() + 1}): it is not text.")
    value = unicodedata.normalize("NFC", value)
    if len(value) > limit:
        raise TextRefused(too_long_message(limit))
    if value and is_invisible(value):
        return ""
    return close_direction_controls(value)


def writable(text: str) -> str:
    """The text without what XML 1.0 and iCalendar cannot hold (control characters, lone
    surrogates, U+FFFE/U+FFFF); everything else untouched."""
    return UNWRITABLE.sub("", text) if text else text
