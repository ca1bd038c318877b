"""Keyset pagination for staff lists: a page is the rows just after (or just before) a row
named by its id, in the list's sort order, so page 200 costs what page 1 costs.

An OFFSET page makes the database sort and skip every row before it, and a page number
shifts under the reader when rows are added; a keyset page reads the sort index from the
named row onwards. The cursor is only an id in the URL (`?after=` / `?before=`): the sort
key of that row is read back from the database, so a tampered or stale cursor can only
name another position in the list, and one that names no row of the list gives the
first page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, literal, tuple_
from sqlalchemy.types import NullType

# An id longer than this is no row's (PostgreSQL's bigint has 19 digits).
MAX_ID_DIGITS = 18


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: `after` the row with this id, or ending `before` it."""

    direction: Literal["after", "before"]
    row_id: int

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Cursor | None:
        """The cursor of the query string, None (the first page) for a missing or malformed one."""
        for direction in ("after", "before"):
            raw = (args.get(direction) or "").strip()
            if raw.isascii() and raw.isdigit() and len(raw) <= MAX_ID_DIGITS:
                return cls(direction, int(raw))
        return None

    @property
    def forward(self) -> bool:
        return self.direction == "after"


@dataclass(frozen=True)
class KeysetPage:
    """One page of a list, in its sort order, and whether rows lie before and after it."""

    items: list
    total: int
    per_page: int
    has_previous: bool
    has_next: bool

    @property
    def first_id(self) -> int | None:
        return self.items[0].id if self.items else None

    @property
    def last_id(self) -> int | None:
        return self.items[-1].id if self.items else None


def beyond(keys: Sequence[ColumnElement], values: Sequence[Any], cursor: Cursor) -> ColumnElement[bool]:
    """Rows strictly after (or before) `values` in the order of `keys`.

    A row-value comparison; the leading key is compared on its own as well, so SQLite
    searches the index from that point instead of scanning it from the start.
    """
    bound = tuple_(*(literal(value, None if isinstance(key.type, NullType) else key.type)
                     for key, value in zip(keys, values, strict=True)))
    if cursor.forward:
        return and_(keys[0] >= bound.clauses[0], tuple_(*keys) > bound)
    return and_(keys[0] <= bound.clauses[0], tuple_(*keys) < bound)


def in_reading_direction(keys: Sequence[ColumnElement], cursor: Cursor | None) -> list[ColumnElement]:
    """The ORDER BY that reads the index away from the cursor: backwards for a previous page."""
    return list(keys) if cursor is None or cursor.forward else [key.desc() for key in keys]


def page_of(rows: list, per_page: int, cursor: Cursor | None, total: int) -> KeysetPage:
    """The page from `rows`: up to per_page + 1 rows read from the cursor in the list's
    order (the extra one only tells that more lie that way)."""
    more = len(rows) > per_page
    if cursor is None or cursor.forward:
        return KeysetPage(rows[:per_page], total, per_page, has_previous=cursor is not None, has_next=more)
    return KeysetPage(rows[-per_page:] if more else rows, total, per_page, has_previous=more, has_next=True)
