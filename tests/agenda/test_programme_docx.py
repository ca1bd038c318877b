"""The programme DOCX in conference form, read back with python-docx."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from docx.oxml.ns import qn
from docx.shared import Mm

from eventmgr.agenda import service as agenda_service
from eventmgr.agenda.docx import item_title, time_text
from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.extensions import db
from eventmgr.registry import service as registry_service
from eventmgr.registry.enums import OrganizationKind
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization
from tests.documents.readback import assert_un_document, read

BERLIN = ZoneInfo("Europe/Berlin")


def _programme(client, app_ctx):
    event = make_event(status=EventStatus.PUBLISHED)
    hall = agenda_service.add_room(event, "Plenary hall", None)
    office = make_organization("Federal Office for Economic Affairs and Export Control",
                               kind=OrganizationKind.GOVERNMENT, country="DE")
    chair = registry_service.create_person(email="chair@example.org", given_name="Anna", family_name="Keller",
                                           honorific="Dr.", position="President", organization=office,
                                           country="DE")
    speaker = registry_service.create_person(email="speaker@example.org", given_name="Ji-woo",
                                             family_name="Kim", position="Compliance officer",
                                             organization=make_organization("KOSTI", country="KR"),
                                             country="KR")

    def at(day: int, hhmm: str) -> dt.datetime:
        local = dt.datetime.combine(event.days[day], dt.time.fromisoformat(hhmm))
        return agenda_service.local_to_utc(event, local)

    items = [(0, "09:00", "10:30", SessionKind.PANEL, "Panel 1: Compliance in practice"),
             (0, "10:30", "11:00", SessionKind.BREAK, "Coffee break"),
             (0, "11:00", "12:00", SessionKind.PANEL, "Obtaining information"),
             (1, "09:00", "10:00", SessionKind.CLOSING, "Closing remarks")]
    sessions = []
    for day, start, end, kind, title in items:
        session = agenda_service.create_session(event, None, kind=kind, title=title, starts_at=at(day, start),
                                                ends_at=at(day, end), room_id=hall.id, parent_id=None)
        sessions.append(session)
    agenda_service.add_person(sessions[0], chair, SessionRoleKind.CHAIR, None)
    agenda_service.add_person(sessions[0], speaker, SessionRoleKind.SPEAKER, None)
    agenda_service.publish_agenda(event, None)
    db.session.commit()
    return event, read(client.get(f"/events/{event.slug}/agenda.docx").data)


def test_programme_in_conference_form(client, app_ctx):
    event, document = _programme(client, app_ctx)

    assert_un_document(document)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Thursday, 20 November 2014", "Friday, 21 November 2014"]
    first_day = document.tables[0]
    widths = [int(col.get(qn("w:w"))) for col in first_day._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert widths[0] < widths[1] / 4  # a narrow time column
    assert abs(sum(widths) - Mm(170).twips) < 20
    header = first_day.rows[0]
    assert [c.text for c in header.cells] == ["Time", "Item"]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in first_day.rows)
    panel, coffee, second = (row.cells for row in first_day.rows[1:])
    assert panel[0].text == "09.00–10.30"
    assert [p.text for p in panel[1].paragraphs] == [
        "Panel 1: Compliance in practice", "Plenary hall",
        "Chair: Dr. Anna Keller, President, Federal Office for Economic Affairs and Export Control (Germany)",
        "Speaker: Ji-woo Kim, Compliance officer, KOSTI (Republic of Korea)"]
    assert panel[1].paragraphs[0].runs[0].bold
    # Kinds are not repeated where the title says it; breaks are lighter (italic, shaded).
    assert coffee[1].text == "Coffee break"
    assert coffee[1].paragraphs[0].runs[0].italic and not coffee[1].paragraphs[0].runs[0].bold
    assert coffee[1]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "F2F2F2"
    assert second[1].paragraphs[0].text == "Panel: Obtaining information"
    assert document.core_properties.title == f"{event.title} — Programme"


def test_items_without_a_time_read_time_to_be_confirmed():
    session = SimpleNamespace(starts_at=None, ends_at=None)
    timed = SimpleNamespace(starts_at=dt.datetime(2014, 11, 20, 8, tzinfo=dt.UTC), ends_at=None)

    assert time_text(session, BERLIN) == "Time to be confirmed"
    assert time_text(timed, BERLIN) == "09.00"


def test_kind_label_only_where_the_title_does_not_say_it():
    def item(kind, title):
        return SimpleNamespace(kind=kind, title=title, is_cancelled=False)

    assert item_title(item(SessionKind.PANEL, "Panel 2: Brokering")) == "Panel 2: Brokering"
    assert item_title(item(SessionKind.BREAKOUT, "Break-out group A")) == "Break-out group A"
    assert item_title(item(SessionKind.BREAK, "Lunch")) == "Lunch"
    assert item_title(item(SessionKind.KEYNOTE, "Risks ahead")) == "Keynote: Risks ahead"
