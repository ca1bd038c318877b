import datetime as dt

import icalendar

from eventmgr.agenda import service
from eventmgr.agenda.enums import SessionKind
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.series.enums import EventStatus
from tests.builders import make_event


def published_session(title="Chosen panel"):
    event = make_event(status=EventStatus.PUBLISHED)
    session = service.create_session(event, None, kind=SessionKind.PANEL, title=title, room_id=None,
                                     parent_id=None, starts_at=dt.datetime(2014, 11, 20, 8, tzinfo=dt.UTC),
                                     ends_at=dt.datetime(2014, 11, 20, 9, tzinfo=dt.UTC))
    service.publish_agenda(event, None)
    db.session.commit()
    return event, session


def feed_url(page: str) -> str:
    start = page.index("/agenda/feed/", page.index("Private address"))
    return page[start:page.index(".ics", start) + 4]


def test_personal_agenda_feed_and_revocation(client, auth, app_ctx):
    event, session = published_session()
    auth.login(Role.PARTICIPANT)
    agenda = f"/events/{event.slug}/agenda"
    assert client.post(f"/events/{event.slug}/agenda/sessions/{session.id}/personal").status_code == 302
    assert "Remove from my agenda" in client.get(agenda).get_data(as_text=True)
    client.post("/agenda/feed/new", data={"next": agenda})
    page = client.get(agenda).get_data(as_text=True)
    first = feed_url(page)
    assert "webcal://localhost" + first in page
    calendar = icalendar.Calendar.from_ical(client.get(first).data)
    assert [str(e["SUMMARY"]) for e in calendar.events] == ["Chosen panel"]
    client.post("/agenda/feed/new", data={"next": agenda})
    second = feed_url(client.get(agenda).get_data(as_text=True))
    assert (client.get(first).status_code, client.get(second).status_code) == (404, 200)
    client.post(f"/events/{event.slug}/agenda/sessions/{session.id}/personal/delete")
    assert icalendar.Calendar.from_ical(client.get(second).data).events == []


def test_bogus_feed_token_is_404(client, app_ctx):
    assert client.get("/agenda/feed/0123456789abcdef.ics").status_code == 404
