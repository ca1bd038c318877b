"""The exact bytes of the agenda exports of two datasets (the demo, and a programme with what
real ones hold), so a rewrite of the exporters can be checked against them byte for byte.

After an intended change of the output, rewrite the files with
`UPDATE_GOLDEN=1 .venv/bin/pytest tests/agenda/test_golden.py` and review the diff.
"""

import datetime as dt
import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventmgr.agenda.models import AgendaSession, AgendaState
from eventmgr.demo import load_demo
from eventmgr.extensions import db
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_tricky_agenda

GOLDEN = Path(__file__).parent / "golden"
# Every revision time pinned, so the files do not depend on when the test runs.
PINNED = dt.datetime(2014, 9, 1, 12, 0, tzinfo=dt.UTC)
EXPORTS = ("schedule.xml", "schedule.json", "agenda.ics")


def demo() -> str:
    load_demo()
    db.session.commit()
    return "frankfurt-2014"


def tricky() -> str:
    event = make_event(
        status=EventStatus.PUBLISHED,
        slug="tricky-2014",
        title="Tricky programme “2014”",
        start_date=dt.date(2014, 10, 25),
        end_date=dt.date(2014, 10, 26),
    )
    make_tricky_agenda(event)
    return event.slug


@pytest.mark.parametrize("export", EXPORTS)
@pytest.mark.parametrize("dataset", [demo, tricky], ids=["demo", "tricky"])
def test_exports_are_the_golden_files(client, app_ctx, dataset, export):
    slug = dataset()
    db.session.execute(sa.update(AgendaSession).values(created_at=PINNED, updated_at=PINNED))
    db.session.execute(sa.update(AgendaState).values(updated_at=PINNED))
    db.session.commit()
    body = client.get(f"/events/{slug}/{export}").data
    golden = GOLDEN / f"{dataset.__name__}-{export}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(body)
    assert body == golden.read_bytes()
