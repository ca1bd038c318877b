"""Search as people type it: accent-, case- and punctuation-insensitive, on every list.

Names are matched through the search keys stored with each person and organization
(normalize.search_key, set on every write and indexed), so "muller" finds "Müller",
"oconnor" finds "O'Connor" and "dmitriy" finds "Дмитрий", the same on SQLite and
PostgreSQL. Every word typed must appear in one of the keys, so "muller siemens"
finds Ms. Müller of Siemens.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, or_, true

from eventmgr.normalize import search_key


def search_terms(text: str) -> list[str]:
    """The words of `text` in search-key form: "O'Connor, Seán" → ["oconnor", "sean"]."""
    return search_key(text or "").split()


def escape_like(text: str) -> str:
    """`text` as a literal inside a LIKE pattern with escape "\\"."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def text_matches(text: str, key_columns: Sequence, *,
                 email_column=None) -> ColumnElement[bool]:
    """The condition "every word of `text` is in one of `key_columns`", or, with an
    `email_column` (a normalised address), "the address contains what was typed".

    True when `text` holds nothing to search by, so the list stays whole.
    Keys hold letters, digits and single spaces only, so the words need no escaping.
    """
    alternatives = []
    terms = search_terms(text)
    if terms:
        alternatives.append(and_(*(or_(*(column.like(f"%{term}%") for column in key_columns))
                                   for term in terms)))
    typed = (text or "").strip().casefold()
    if email_column is not None and typed:
        alternatives.append(email_column.like(f"%{escape_like(typed)}%", escape="\\"))
    return or_(*alternatives) if alternatives else true()
