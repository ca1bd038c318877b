"""TZDateTime gives back aware UTC datetimes, whatever form the stored value has."""

import datetime as dt

import pytest
import sqlalchemy as sa

from eventmgr.sqltypes import TZDateTime

UTC = dt.UTC


@pytest.mark.parametrize(("stored", "read"), [
    ("2014-10-25 07:00:00.000000", dt.datetime(2014, 10, 25, 7, tzinfo=UTC)),  # as SQLAlchemy writes it
    ("2014-10-25 07:00:00.123456", dt.datetime(2014, 10, 25, 7, 0, 0, 123456, tzinfo=UTC)),
    ("2014-01-01 00:00:00", dt.datetime(2014, 1, 1, tzinfo=UTC)),  # raw SQL (migrations, imports)
    ("2014-10-25T07:00:00", dt.datetime(2014, 10, 25, 7, tzinfo=UTC)),
    ("2014-01-01", dt.datetime(2014, 1, 1, tzinfo=UTC)),  # a date alone: midnight UTC, not naive
])
def test_sqlite_text_reads_as_aware_utc(stored, read):
    engine = sa.create_engine("sqlite://")
    table = sa.Table("moments", sa.MetaData(), sa.Column("at", TZDateTime))
    with engine.begin() as connection:
        table.create(connection)
        connection.execute(sa.text("INSERT INTO moments (at) VALUES (:at)"), {"at": stored})
        connection.execute(sa.text("INSERT INTO moments (at) VALUES (NULL)"))
        values = connection.scalars(sa.select(table.c.at).order_by(table.c.at.is_(None))).all()
    assert values == [read, None]
    assert values[0].tzinfo is UTC


def test_written_and_read_back_the_same_instant():
    engine = sa.create_engine("sqlite://")
    table = sa.Table("moments", sa.MetaData(), sa.Column("at", TZDateTime))
    berlin = dt.datetime(2014, 10, 25, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    with engine.begin() as connection:
        table.create(connection)
        connection.execute(table.insert(), {"at": berlin})
        assert connection.scalar(sa.select(table.c.at)) == berlin.astimezone(UTC)
