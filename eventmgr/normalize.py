"""Normalisation of the keys that decide whether two things are the same."""

import unicodedata

from anyascii import anyascii


def normalize_email(email: str) -> str:
    """Trimmed, NFKC-normalised, case-folded: one person per address however it is typed."""
    return unicodedata.normalize("NFKC", email).strip().casefold()


def name_key(name: str) -> str:
    """Case-folded, whitespace-collapsed name, for matching organizations by name."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


_APOSTROPHES = str.maketrans("", "", "'’‘`ʼ´")


def search_key(text: str) -> str:
    """The form names are searched in: transliterated to ASCII (anyascii), case-folded,
    apostrophes dropped and other punctuation as spaces, so "muller" finds "Müller",
    "oconnor" finds "O'Connor" and "fernandez" finds "Fernández". For searching only:
    never use it to decide that two records are the same."""
    ascii_text = anyascii(unicodedata.normalize("NFKC", text)).casefold().translate(_APOSTROPHES)
    return " ".join("".join(c if c.isalnum() else " " for c in ascii_text).split())
