"""The exact bytes of the agenda exports of two datasets (the demo, and a programme with what
real ones hold), so a rewrite of the exporters can be checked against them byte for byte.

After an intended change of the output, rewrite the files with
`UPDATE_GOLDEN=1 .venv/bin/pytest tests/agenda/test_golden.py` and review the diff.
"""

import csv
import datetime as dt
import io
import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventmgr.agenda import imports
from eventmgr.agenda import service as agenda_service
from eventmgr.agenda.enums import SessionRoleKind
from eventmgr.agenda.models import AgendaSession, AgendaState
from eventmgr.demo import load_demo
from eventmgr.extensions import db
from eventmgr.registry.enums import NameOrder
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, make_person, make_tricky_agenda

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


# Every value ICS, XML and JSON escape or fold differently: commas, semicolons, backslashes,
# newlines, non-BMP characters, lines far past 75 octets, markup; two days with an empty one between.
EDGE_DESCRIPTION = ("Line one; with a semicolon, a comma and a backslash \\ here.\n"
                    "Second line: C:\\exports\\agenda; “quoted”, <b>bold</b> & more.\n\n"
                    "A long paragraph 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 that runs well past seventy-five octets so every "
                    "exporter has to fold it, with Ünïcödé in the middle — and 中文 characters "
                    "straddling the folding point " * 3)
EDGE_PROGRAMME = [
    ["day", "start", "end", "kind", "title", "room", "description", "side_event", "chair", "speakers"],
    ["2014-10-25", "09:00", "10:30", "panel", "Brokering; transit, and \\ “transshipment” 😀",
     "Hall A; east, wing", "", "", "Chair of the TEM",
     "Republic of Korea; Compliance and Capacity International, LLC; a representative of the host State"],
    ["2014-10-25", "11:00", "12:00", "plenary", "𝔐𝔞𝔱𝔥 title " * 12, "Room 𐐷", "", "", "", ""],
    ["2014-10-25", "", "", "break", "Coffee (untimed)", "Foyer", "", "", "", ""],
    ["2014-10-27", "08:00", "08:45", "reception", "Breakfast briefing", "Römer", "", "yes", "", ""],
    ["2014-10-27", "09:00", "10:00", "closing", "Cancelled closing", "Hall A; east, wing", "", "", "", ""],
]


def edge() -> str:
    event = make_event(status=EventStatus.PUBLISHED, slug="edge-2014", title="Edge cases; “2014”, \\ 𝔈",
                       start_date=dt.date(2014, 10, 25), end_date=dt.date(2014, 10, 27))
    buffer = io.StringIO()
    csv.writer(buffer).writerows(EDGE_PROGRAMME)
    result = imports.import_programme(event, buffer.getvalue().encode(), "edge.csv", None)
    assert result.applied, result.issues
    ministry = make_organization("Ministry of Commerce; Trade, and \\ Industry", country="CN")
    li = make_person(given_name="Hong", family_name="Li", honorific="Ms.", name_order=NameOrder.FAMILY_GIVEN,
                     country="CN", organization=ministry)
    kim = make_person(given_name="", family_name="Kim 𝔎", organization=ministry)
    sessions = db.session.scalars(sa.select(AgendaSession).where(AgendaSession.event_id == event.id)
                                  .order_by(AgendaSession.id)).all()
    # Descriptions over several lines are the editor's (an import cell holds one line).
    for session, description in ((sessions[0], EDGE_DESCRIPTION), (sessions[3], "Multi\nline\r\nend\\")):
        fields = {key: getattr(session, key) for key in agenda_service.SESSION_FIELDS}
        agenda_service.update_session(session, None, **(fields | {"description": description}))
    agenda_service.add_person(sessions[0], li, SessionRoleKind.SPEAKER, None,
                              function="Director; Trade, Policy")
    agenda_service.add_person(sessions[3], kim, SessionRoleKind.CHAIR, None)
    agenda_service.publish_agenda(event, None)
    agenda_service.cancel_session(sessions[4], None)
    db.session.commit()
    return event.slug


@pytest.mark.parametrize("export", EXPORTS)
@pytest.mark.parametrize("dataset", [demo, tricky, edge], ids=["demo", "tricky", "edge"])
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
