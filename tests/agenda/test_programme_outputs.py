"""What a real programme says reaches every output: items without a time (in the page and the
Word programme, not in calendars and schedules), side events, functions, States and
organizations on panels, name order; schedules list only days with items and give every
person an id, so a real frab client (ConfClerk) imports every speaker."""

import contextlib
import datetime as dt
import io
import sqlite3

import docx
import icalendar
from lxml import etree

from eventmgr.agenda import roles, service
from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.agenda.models import AgendaSession
from eventmgr.extensions import db
from eventmgr.registry.enums import NameOrder
from eventmgr.reports import service as reports_service
from eventmgr.reports.enums import SectionKind
from eventmgr.series.enums import EventStatus
from tests.builders import (
    make_event,
    make_organization,
    make_person,
    make_tricky_agenda,
    record_participant,
)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )


def tricky_event():
    event = make_event(
        status=EventStatus.PUBLISHED, start_date=dt.date(2014, 10, 25), end_date=dt.date(2014, 10, 26)
    )
    make_tricky_agenda(event)
    return event


def test_untimed_items_are_on_the_page_and_in_word_but_not_in_calendars_or_schedules(client, app_ctx):
    event = tricky_event()
    page = client.get(f"/events/{event.slug}/agenda").get_data(as_text=True)
    word = docx_text(client.get(f"/events/{event.slug}/agenda.docx").data)
    calendar = icalendar.Calendar.from_ical(client.get(f"/events/{event.slug}/agenda.ics").data)
    xml = etree.fromstring(client.get(f"/events/{event.slug}/schedule.xml").data)
    json_titles = [
        talk["title"]
        for day in client.get(f"/events/{event.slug}/schedule.json").get_json()["schedule"]["conference"][
            "days"
        ]
        for talks in day["rooms"].values()
        for talk in talks
    ]
    untimed = ("Registration", "Closing remarks", "Follow-up meeting")
    for title in untimed:
        assert title in page and title in word
        assert title not in [str(e["SUMMARY"]) for e in calendar.events]
        assert title not in xml.xpath("//event/title/text()") and title not in json_titles
    assert page.count("Time to be confirmed") == 3 and word.count("Time to be confirmed") == 3
    assert "Date to be confirmed" in page and "Date to be confirmed" in word
    assert (
        "3 items without a time yet are shown here as “time to be confirmed” but not in the calendar" in page
    )
    # The page keeps the programme's order: registration before the opening, the undated item last.
    assert (
        page.index("Registration")
        < page.index("Opening statements")
        < page.index("Closing remarks")
        < page.index("Follow-up meeting")
    )


def test_side_events_are_marked_everywhere(client, app_ctx):
    event = tricky_event()
    dinner = db.session.query(AgendaSession).filter(AgendaSession.title.like("Dinner%")).one()
    assert (dinner.day, dinner.is_side_event, dinner.ends_at) == (dt.date(2014, 10, 24), True, None)
    page = client.get(f"/events/{event.slug}/agenda").get_data(as_text=True)
    assert 'Friday 24 October 2014 <span class="subtitle-inline">· side events</span>' in page
    calendar = icalendar.Calendar.from_ical(client.get(f"/events/{event.slug}/agenda.ics").data)
    [vevent] = [e for e in calendar.events if str(e["SUMMARY"]).startswith("Dinner")]
    assert "Side event" in vevent.categories and "DTEND" not in vevent
    xml = etree.fromstring(client.get(f"/events/{event.slug}/schedule.xml").data)
    [track] = xml.xpath("//event[starts-with(title, 'Dinner')]/track/text()")
    assert (track, xml.xpath("//event[starts-with(title, 'Dinner')]/duration/text()")) == (
        "Side event",
        ["00:00"],
    )
    assert "Side event" in docx_text(client.get(f"/events/{event.slug}/agenda.docx").data)


def test_schedules_list_only_days_with_items(client, app_ctx):
    """A webinar series: three sessions a week apart."""
    event = make_event(
        status=EventStatus.PUBLISHED, start_date=dt.date(2014, 11, 3), end_date=dt.date(2014, 11, 17)
    )
    for day in (0, 7, 14):
        start = service.local_to_utc(
            event, dt.datetime.combine(event.start_date + dt.timedelta(days=day), dt.time(15))
        )
        service.create_session(
            event,
            None,
            kind=SessionKind.PLENARY,
            title=f"Webinar {day // 7 + 1}",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            room_id=None,
            parent_id=None,
        )
    service.publish_agenda(event, None)
    db.session.commit()
    xml = etree.fromstring(client.get(f"/events/{event.slug}/schedule.xml").data)
    assert [(d.get("index"), d.get("date")) for d in xml.findall("day")] == [
        ("1", "2014-11-03"),
        ("2", "2014-11-10"),
        ("3", "2014-11-17"),
    ]
    assert xml.findtext("conference/days") == "3"
    data = client.get(f"/events/{event.slug}/schedule.json").get_json()["schedule"]["conference"]
    assert ([d["date"] for d in data["days"]], data["daysCount"]) == (
        ["2014-11-03", "2014-11-10", "2014-11-17"],
        3,
    )


def test_every_person_has_a_stable_integer_id(client, app_ctx):
    event = tricky_event()
    url = f"/events/{event.slug}/schedule.xml"
    persons = etree.fromstring(client.get(url).data).xpath("//person")
    assert persons and all(p.get("id", "").isdigit() and p.get("guid") for p in persons)
    wallraff = [p for p in persons if p.text.startswith("Dr. Arnold Wallraff")]
    assert len({p.get("id") for p in wallraff}) == 1 and len(wallraff) == 2  # same person, same id
    korea = [p for p in persons if p.text == "Republic of Korea"]
    assert korea[0].get("id") == "2000000304"  # a State's id comes from its code (KR)
    json_persons = [
        person
        for day in client.get(f"/events/{event.slug}/schedule.json").get_json()["schedule"]["conference"][
            "days"
        ]
        for talks in day["rooms"].values()
        for talk in talks
        for person in talk["persons"]
    ]
    assert [(p["id"], p["name"]) for p in json_persons] == [(int(p.get("id")), p.text) for p in persons]


# The parts of ConfClerk's database and of its importer (src/sql/schedulexmlparser.cpp,
# sqlengine.cpp, dbschema001.sql) that take persons: a person needs an integer id; a talk
# gets its day from <day date> and its time from <start>.
CONFCLERK_SCHEMA = """
CREATE TABLE person (id INTEGER NOT NULL, xid_conference INTEGER NOT NULL, name VARCHAR NOT NULL,
                     PRIMARY KEY (id, xid_conference));
CREATE TABLE event (xid_conference INTEGER NOT NULL, id INTEGER NOT NULL, start VARCHAR NOT NULL,
                    duration VARCHAR NOT NULL, title VARCHAR NOT NULL, PRIMARY KEY (xid_conference, id));
CREATE TABLE event_person (xid_conference INTEGER NOT NULL, xid_event INTEGER NOT NULL,
                           xid_person INTEGER NOT NULL,
                           UNIQUE (xid_conference, xid_event, xid_person) ON CONFLICT REPLACE);
"""


def confclerk_import(xml: bytes) -> sqlite3.Connection:
    database = sqlite3.connect(":memory:")
    database.executescript(CONFCLERK_SCHEMA)
    schedule = etree.fromstring(xml)
    for day in schedule.iter("day"):
        for room in day.iter("room"):
            if room.get("name") is None:
                continue
            for event in room.iter("event"):
                start = f"{day.get('date')} {event.findtext('start')}"
                database.execute(
                    "INSERT OR REPLACE INTO event VALUES (1, ?, ?, ?, ?)",
                    (event.get("id"), start, event.findtext("duration"), event.findtext("title")),
                )
                for person in event.find("persons").iter("person"):
                    # ConfClerk ignores a failed insert, as a person without id is.
                    with contextlib.suppress(sqlite3.IntegrityError):
                        database.execute(
                            "INSERT INTO person VALUES (?, 1, ?)", (person.get("id"), person.text)
                        )
                    database.execute(
                        "INSERT INTO event_person VALUES (1, ?, ?)", (event.get("id"), person.get("id"))
                    )
    return database


def test_confclerk_imports_every_speaker_and_links_them_to_their_talks(client, app_ctx):
    event = tricky_event()
    database = confclerk_import(client.get(f"/events/{event.slug}/schedule.xml").data)
    expected = sum(
        1
        for session in db.session.query(AgendaSession).filter(AgendaSession.starts_at.is_not(None))
        for role in session.roles
        if role.person_id or role.organization_id or role.state
    )
    linked = database.execute(
        "SELECT count(*) FROM event_person JOIN person ON person.id = xid_person"
    ).fetchone()
    assert linked[0] == expected > 0
    talks = dict(
        database.execute(
            "SELECT title, group_concat(name, ' | ') FROM event JOIN event_person ON xid_event = event.id "
            "JOIN person ON person.id = xid_person GROUP BY title"
        ).fetchall()
    )
    assert talks["Sunday after the clocks go back"] == "Ms. Li Hong, Ministry of Commerce (China)"
    starts = dict(database.execute("SELECT title, start FROM event").fetchall())
    assert starts["Sunday after the clocks go back"] == "2014-10-26 09:00"


def test_name_order_and_functions_in_every_output(client, auth, app_ctx):
    event = make_event(status=EventStatus.HELD)
    ministry = make_organization("Ministry of Commerce", country="CN")
    li = make_person(
        given_name="Hong",
        family_name="Li",
        name_order=NameOrder.FAMILY_GIVEN,
        honorific="Ms.",
        position="Director-General",
        organization=ministry,
    )
    record_participant(event, ministry, person=li)
    start = service.local_to_utc(event, dt.datetime(2014, 11, 20, 9))
    panel = service.create_session(
        event,
        None,
        kind=SessionKind.PANEL,
        title="Panel on trade controls",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        room_id=None,
        parent_id=None,
    )
    service.add_person(panel, li, SessionRoleKind.SPEAKER, None, function="Head of Export Control")
    roles.add_holder(panel, SessionRoleKind.PANELIST, None, state="KR", function="Head of delegation")
    reports_service.add_note(panel, None, "Views were exchanged.")
    service.publish_agenda(event, None)
    db.session.commit()
    printed = "Ms. Li Hong, Head of Export Control, Ministry of Commerce (China)"
    outputs = {
        "page": client.get(f"/events/{event.slug}/agenda").get_data(as_text=True),
        "ics": client.get(f"/events/{event.slug}/agenda.ics").get_data(as_text=True).replace("\r\n ", ""),
        "xml": client.get(f"/events/{event.slug}/schedule.xml").get_data(as_text=True),
        "json": client.get(f"/events/{event.slug}/schedule.json").get_data(as_text=True),
        "docx": docx_text(client.get(f"/events/{event.slug}/agenda.docx").data),
    }
    for name, text in outputs.items():
        text = text.replace("\\,", ",")
        assert printed in text, name
        assert "Republic of Korea, Head of delegation" in text, name
        assert "Hong Li" not in text, name
    auth.login("organizer")
    report = reports_service.draft_report(event, None).report
    [highlights] = [s.body for s in report.sections if s.kind is SectionKind.HIGHLIGHTS]
    assert highlights.startswith(
        f"### Panel on trade controls\n\nSpeaker: {printed}. Panelist: Republic "
        "of Korea, Head of delegation.\n\nViews were exchanged."
    )
    records = client.get(f"/events/{event.slug}/report/sessions/{panel.id}").get_data(as_text=True)
    assert f"Speaker: <bdi>{printed}</bdi>" in records and "Hong Li" not in records
    registrations = client.get(f"/events/{event.slug}/registrations").get_data(as_text=True)
    assert "Ms. Li Hong" in registrations and "Hong Li" not in registrations
    assert (li.full_name, li.list_name) == ("Li Hong", "Ms. LI Hong")
