import datetime as dt
import io
import json
import uuid
from pathlib import Path

import docx
import icalendar
import jsonschema
import pytest
from lxml import etree

from eventmgr.agenda import service
from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.agenda.models import AgendaSession
from eventmgr.extensions import db
from eventmgr.registry import service as registry_service
from eventmgr.series import service as series_service
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, make_person, make_published_agenda

# The frab XSD and JSON Schema, kept beside the tests (see formats/README.md).
FORMATS = Path(__file__).parent / "formats"
EXPORTS = ("/events/{slug}/agenda.ics", "/events/{slug}/schedule.xml", "/events/{slug}/schedule.json",
           "/events/{slug}/agenda.docx", "/api/v1/events/{slug}/agenda", "/events/{slug}/agenda")


@pytest.fixture
def agenda(app_ctx):
    """A public event over the October DST change with a published panel, a cancelled talk and a draft."""
    event = make_event(status=EventStatus.PUBLISHED, start_date=dt.date(2014, 10, 25),
                       end_date=dt.date(2014, 10, 26), venue_name="Messe")
    room = service.add_room(event, "Hall A", None)

    def at(day, hhmm):
        return service.local_to_utc(event, dt.datetime.combine(
            event.start_date + dt.timedelta(days=day), dt.time.fromisoformat(hhmm)))

    panel = service.create_session(event, None, kind=SessionKind.PANEL, title="Panel on controls",
                                   description="Why.", starts_at=at(1, "10:00"), ends_at=at(1, "11:00"),
                                   room_id=room.id, parent_id=None)
    service.add_person(panel, make_person(given_name="Ada", family_name="Lovelace"),
                       SessionRoleKind.MODERATOR, None)
    talk = service.create_session(event, None, kind=SessionKind.KEYNOTE, title="Keynote",
                                  starts_at=at(0, "09:00"), ends_at=at(0, "10:00"), room_id=room.id,
                                  parent_id=None)
    service.publish_agenda(event, None)
    service.cancel_session(talk, None)
    draft = AgendaSession(event_id=event.id, kind=SessionKind.PANEL, title="Secret draft",
                          starts_at=at(0, "12:00"), ends_at=at(0, "13:00"))
    db.session.add(draft)
    db.session.commit()
    return event, panel, talk


def calendar_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, icalendar.Calendar.from_ical(response.data)


def test_ics_has_the_fields(app, client, agenda):
    event, panel, _ = agenda
    response, calendar = calendar_of(client, f"/events/{event.slug}/agenda.ics")
    assert response.content_type == "text/calendar; charset=utf-8"
    assert calendar["X-WR-CALNAME"] == event.title
    assert "REFRESH-INTERVAL" in calendar and "X-PUBLISHED-TTL" in calendar
    assert [tz["TZID"] for tz in calendar.timezones] == ["Europe/Berlin"]
    events = {e["SUMMARY"]: e for e in calendar.events}
    assert sorted(events) == ["Keynote", "Panel on controls"]
    vevent = events["Panel on controls"]
    assert vevent["UID"] == str(uuid.uuid5(app.config["EVENTMGR_UID_NAMESPACE"], f"session-{panel.id}"))
    # Sunday 26 October 2014: winter time again, so 10:00 in Berlin is 09:00 UTC.
    assert vevent.start.astimezone(dt.UTC) == dt.datetime(2014, 10, 26, 9, 0, tzinfo=dt.UTC)
    assert str(vevent["LOCATION"]) == "Hall A, Messe, Frankfurt am Main"
    assert "Moderator: Ada Lovelace" in str(vevent["DESCRIPTION"])
    assert str(vevent["URL"]).endswith(f"/events/{event.slug}/agenda#session-{panel.id}")
    assert (vevent["SEQUENCE"], str(vevent["STATUS"])) == (0, "CONFIRMED")
    assert "DTSTAMP" in vevent and "LAST-MODIFIED" in vevent
    assert (str(events["Keynote"]["STATUS"]), events["Keynote"]["SEQUENCE"]) == ("CANCELLED", 1)


def test_uid_stable_and_sequence_rises_after_an_edit(client, agenda):
    event, panel, _ = agenda
    url = f"/events/{event.slug}/agenda.ics"
    first = client.get(url).data
    assert client.get(url).data == first
    fields = {key: getattr(panel, key) for key in service.SESSION_FIELDS}
    service.update_session(panel, None, **(fields | {"title": "Panel on export controls"}))
    db.session.commit()
    before = {e["UID"]: e["SEQUENCE"] for e in icalendar.Calendar.from_ical(first).events}
    after = {e["UID"]: e["SEQUENCE"] for e in icalendar.Calendar.from_ical(client.get(url).data).events}
    panel_uid = next(e["UID"] for e in icalendar.Calendar.from_ical(first).events
                     if e["SUMMARY"] == "Panel on controls")
    assert set(after) == set(before)
    assert {uid: after[uid] - before[uid] for uid in before} == {
        uid: 1 if uid == panel_uid else 0 for uid in before}


def test_conditional_get_answers_304(client, agenda):
    event, _, _ = agenda
    url = f"/events/{event.slug}/agenda.ics"
    response = client.get(url)
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert (again.status_code, again.data) == (304, b"")


def test_session_ics(client, agenda):
    event, panel, _ = agenda
    _, calendar = calendar_of(client, f"/events/{event.slug}/sessions/{panel.id}.ics")
    assert [str(e["SUMMARY"]) for e in calendar.events] == ["Panel on controls"]


def test_drafts_never_in_public_output(client, agenda):
    event, _, _ = agenda
    draft = db.session.query(AgendaSession).filter_by(title="Secret draft").one()
    for url in EXPORTS:
        response = client.get(url.format(slug=event.slug))
        assert response.status_code == 200, url
        text = response.data if not url.endswith(".docx") else "\n".join(
            cell.text for table in docx.Document(io.BytesIO(response.data)).tables
            for row in table.rows for cell in row.cells).encode()
        assert b"Secret draft" not in text, url
    assert client.get(f"/events/{event.slug}/sessions/{draft.id}.ics").status_code == 404


def test_unpublished_agenda_has_no_exports(client, app_ctx):
    event = make_event(status=EventStatus.PUBLISHED)
    for url in EXPORTS[:-1]:
        assert client.get(url.format(slug=event.slug)).status_code == 404


def test_frab_xml_validates(client, agenda):
    event, _, _ = agenda
    schema = etree.XMLSchema(etree.parse(f"{FORMATS}/schedule.xml.xsd"))
    document = etree.fromstring(client.get(f"/events/{event.slug}/schedule.xml").data)
    schema.assertValid(document)
    assert document.xpath("//event/title/text()") == ["Keynote (cancelled)", "Panel on controls"]


def test_schedule_json_validates(client, agenda):
    event, _, _ = agenda
    with open(f"{FORMATS}/schema.json") as handle:
        schema = json.load(handle)
    for url in (f"/events/{event.slug}/schedule.json", f"/api/v1/events/{event.slug}/agenda"):
        data = client.get(url).get_json()
        jsonschema.Draft6Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
        titles = [talk["title"] for day in data["schedule"]["conference"]["days"]
                  for talks in day["rooms"].values() for talk in talks]
        assert titles == ["Keynote (cancelled)", "Panel on controls"]


def test_docx_contains_every_session(client, app_ctx):
    event = make_event(status=EventStatus.PUBLISHED)
    sessions = make_published_agenda(event, 12)
    document = docx.Document(io.BytesIO(client.get(f"/events/{event.slug}/agenda.docx").data))
    cells = [row.cells[1].paragraphs[0].text for table in document.tables for row in table.rows[1:]]
    assert cells == [f"Panel: {s.title}" for s in sorted(sessions, key=lambda s: (s.starts_at, s.id))]
    assert [p.text for p in document.paragraphs[:2]] == ["Programme", event.title]


def _agendas_of_10_and_300_sessions() -> tuple[str, str]:
    small, large = make_event(status=EventStatus.PUBLISHED), make_event(status=EventStatus.PUBLISHED)
    make_published_agenda(small, 10)
    make_published_agenda(large, 300)
    return small.slug, large.slug


@pytest.mark.parametrize("path", EXPORTS)
def test_fixed_query_count(client, prebuilt, app_ctx, count_queries, path):
    counts = []
    for slug in prebuilt("agendas of 10 and 300 sessions", _agendas_of_10_and_300_sessions):
        db.session.expunge_all()
        with count_queries() as statements:
            assert client.get(path.format(slug=slug)).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("path", ["/events/{slug}/agenda.ics", "/events/{slug}/agenda"])
def test_a_speakers_new_name_and_organization_reach_the_cached_outputs(client, agenda, path):
    event, panel, _ = agenda
    url = path.format(slug=event.slug)
    assert "Ada Lovelace" in client.get(url).get_data(as_text=True)
    [role] = panel.roles
    registry_service.update_person(role.person, family_name="King",
                                   organization=make_organization("Analytical Engines Ltd"))
    db.session.commit()

    text = client.get(url).get_data(as_text=True).replace("\r\n ", "")
    assert ("Ada King" in text, "Analytical Engines Ltd" in text, "Ada Lovelace" in text) == \
        (True, True, False)


@pytest.mark.parametrize("path", ["/events/{slug}/agenda.ics", "/events/{slug}/schedule.json"])
def test_the_events_new_title_reaches_the_cached_exports(client, agenda, path):
    event, _, _ = agenda
    url = path.format(slug=event.slug)
    first = client.get(url)
    series_service.update_event(event, title="Wiesbaden Conference 2014")
    db.session.commit()

    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    text = again.get_data(as_text=True)
    assert (again.status_code, "Wiesbaden Conference 2014" in text) == (200, True)


def test_an_item_without_a_room_is_placed_at_the_venue_not_in_a_room_named_dash(client, app_ctx):
    event = make_event(status=EventStatus.PUBLISHED, venue_name="Kurhaus Wiesbaden", venue_city="Wiesbaden")
    starts = service.local_to_utc(event, dt.datetime.combine(event.start_date, dt.time(13)))
    service.create_session(event, None, kind=SessionKind.BREAK, title="Lunch", starts_at=starts,
                           ends_at=starts + dt.timedelta(hours=1), room_id=None, parent_id=None)
    service.publish_agenda(event, None)
    db.session.commit()

    data = client.get(f"/events/{event.slug}/schedule.json").get_json()
    xml = etree.fromstring(client.get(f"/events/{event.slug}/schedule.xml").data)

    conference = data["schedule"]["conference"]
    assert [room["name"] for room in conference["rooms"]] == ["Kurhaus Wiesbaden"]
    assert [talk["room"] for day in conference["days"] for talks in day["rooms"].values() for talk in talks] \
        == ["Kurhaus Wiesbaden"]
    assert xml.xpath("//room/@name") == ["Kurhaus Wiesbaden"]


def test_text_xml_cannot_hold_is_left_out_of_the_xml_and_the_calendar(client, agenda):
    """A control character stored past the forms (an old row, a direct database edit) does not
    stop the exports: XML and ICS leave it out, JSON escapes it."""
    event, panel, _ = agenda
    panel.title = "Panel\x01 on\ufffe controls"
    panel.description = "Why\x0b not."
    db.session.commit()
    document = etree.fromstring(client.get(f"/events/{event.slug}/schedule.xml").data)
    assert "Panel on controls" in document.xpath("//event/title/text()")
    assert "Why not." in document.xpath("//event/abstract/text()")
    _, calendar = calendar_of(client, f"/events/{event.slug}/agenda.ics")
    assert "Panel on controls" in [str(item["SUMMARY"]) for item in calendar.events]
    titles = [talk["title"] for day in client.get(f"/events/{event.slug}/schedule.json").get_json()
              ["schedule"]["conference"]["days"] for talks in day["rooms"].values() for talk in talks]
    assert "Panel\x01 on\ufffe controls" in titles
