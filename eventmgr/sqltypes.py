"""Custom column types. Migrations import this module, so keep its path stable."""

import datetime as dt
import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

_from_iso = dt.datetime.fromisoformat


class TZDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware datetime stored as naive UTC.

    SQLite keeps no offset, so aware values are converted to UTC on the way in and
    get ``timezone.utc`` back on the way out; naive values are refused.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise TypeError("naive datetime refused: pass a timezone-aware value")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)

    def result_processor(self, dialect: Any, coltype: Any):
        """On SQLite, the stored text read as UTC in one C call (`fromisoformat` with the offset
        appended): SQLAlchemy's parse followed by `replace(tzinfo=…)` costs ~2 µs a value, which
        bulk reads of plain rows (the agenda's exports and page) feel. Any other text goes the
        general way."""
        general = super().result_processor(dialect, coltype)
        if dialect.name != "sqlite":
            return general

        def process(value):
            if value is None:
                return None
            try:
                moment = _from_iso(value + "+00:00")
            except (TypeError, ValueError):
                return general(value)
            # A date alone ("2014-01-01+00:00") parses as a naive midnight.
            return moment if moment.tzinfo is not None else general(value)

        return process


def enum_column_type(enum_class: type[enum.Enum]) -> sa.Enum:
    """Enum stored as its value in a VARCHAR with a named CHECK (no native PG type)."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
