"""Normalisation of the keys that decide whether two things are the same."""

import unicodedata

import idna
from anyascii import anyascii

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def normalize_email(email: str) -> str:
    """The one form in which addresses are compared (and accounts stored): NFC, trimmed, the
    domain IDNA-encoded (UTS 46, non-transitional: lower-case ASCII, as DNS resolves it), the
    local part with A–Z lower-cased and nothing else.

    Never casefold or NFKC: they make other deliverable mailboxes into one, e.g. "glaß" into
    "glass", "ſ" or full-width "ｂｏｓｓ" into "boss", and an account could be borrowed that way.
    """
    text = unicodedata.normalize("NFC", email).strip()
    local, at, domain = text.rpartition("@")
    if not at:
        return text.translate(_ASCII_LOWER)
    try:
        domain = idna.encode(domain, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        domain = domain.translate(_ASCII_LOWER)  # not a valid domain: compared as typed, ASCII-folded
    return f"{local.translate(_ASCII_LOWER)}@{domain}"


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
