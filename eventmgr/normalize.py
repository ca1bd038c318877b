"""Normalisation of the keys that decide whether two things are the same."""

import unicodedata


def normalize_email(email: str) -> str:
    """Trimmed, NFKC-normalised, case-folded: one person per address however it is typed."""
    return unicodedata.normalize("NFKC", email).strip().casefold()


def name_key(name: str) -> str:
    """Case-folded, whitespace-collapsed name, for matching organizations by name."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()
