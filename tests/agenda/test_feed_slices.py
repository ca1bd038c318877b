"""Feeds sliced from the cached agenda build are what icalendar writes for the same calendar.

The reference is the whole-calendar path: one icalendar `Calendar` holding the feed's VEVENTs and
its VTIMEZONEs (added by icalendar, sorted by TZID), serialised at once. The sliced feeds are
assembled from the cached per-session VEVENTs; both must agree byte for byte, on values that
make serialisers slip: long folded lines across multi-byte characters, commas, semicolons,
backslashes, newlines, characters outside the BMP, a cancelled session, a break-out group,
two time zones and the change from summer to winter time.
"""

import datetime as dt

import icalendar
import pytest
from flask import url_for

from eventmgr.agenda import ics, queries, service
from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.agenda.exportmeta import ExportMeta
from eventmgr.agenda.models import AgendaSession, AgendaState
from eventmgr.agenda.people import speaker_line
from eventmgr.auth.enums import Role
from eventmgr.auth.models import User
from eventmgr.extensions import db
from eventmgr.series.enums import EventStatus
from eventmgr.text import writable
from tests.builders import make_event, make_organization, make_person

BASE = "http://localhost"
LONG = ("Export controls, brokering; transit \\ trans-shipment — Контроль экспорта, 出口管制 🛰️🚀 "
        "and the role of industry in UNSCR 1540 implementation " * 2)  # under the 300 a title holds
DESCRIPTION = ("Line one, with a comma; and a semicolon.\nLine two \\ with a backslash.\n\n"
               "Non-BMP: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🧪 — combining: é — RTL: مراقبة الصادرات")


def _at(event, day, hhmm):
    return service.local_to_utc(event, dt.datetime.combine(
        event.start_date + dt.timedelta(days=day), dt.time.fromisoformat(hhmm)))


def _session(event, title, day, start, end, *, room=None, parent=None, description="",
             kind=SessionKind.PANEL):
    return service.create_session(event, None, kind=kind, title=title, description=description,
                                  starts_at=_at(event, day, start), ends_at=_at(event, day, end),
                                  room_id=room.id if room else None, parent_id=parent.id if parent else None)


@pytest.fixture
def tricky(app_ctx, users):
    """Two published agendas in two time zones, with every value that is hard to write."""
    berlin = make_event(status=EventStatus.PUBLISHED, title="Wiesbaden, 2014; \\ “Conference” 🛡️",
                        start_date=dt.date(2014, 10, 25), end_date=dt.date(2014, 10, 26),
                        venue_name="RheinMain CongressCenter, Hall 1; level 2")
    hall = service.add_room(berlin, "Hall A, ground floor; \\ east", None)
    long_one = _session(berlin, LONG, 0, "09:00", "10:30", room=hall, description=DESCRIPTION)
    organization = make_organization("Bundesamt für Wirtschaft und Ausfuhrkontrolle, Referat; 1\\2",
                                     acronym="BAFA")
    service.add_person(long_one, make_person(given_name="Ada, Jr.", family_name="Lovelace; Byron 🜁",
                                             organization=organization, country="DE"),
                       SessionRoleKind.MODERATOR, None)
    service.add_person(long_one, make_person(given_name="明", family_name="王"), SessionRoleKind.SPEAKER,
                       None)
    # Sunday 26 October: winter time again.
    plenary = _session(berlin, "Plenary after the clock change", 1, "03:30", "05:00",
                       kind=SessionKind.PLENARY)
    group = _session(berlin, "Break-out: brokering, part 1", 1, "10:00", "11:00", parent=plenary)
    cancelled = _session(berlin, "Cancelled talk; sorry", 1, "12:00", "13:00", description="Gone.\nReally.")
    # Untimed items (a day only, or no day at all) stay out of calendars; an open end gives a start only.
    untimed = service.create_session(berlin, None, kind=SessionKind.BREAK, title="Coffee, tea; \\ water",
                                     day=berlin.start_date, starts_at=None, ends_at=None, room_id=None,
                                     parent_id=None)
    service.create_session(berlin, None, kind=SessionKind.PANEL, title="Dinner (date to be confirmed)",
                           day=None, starts_at=None, ends_at=None, room_id=None, parent_id=None)
    reception = service.create_session(berlin, None, kind=SessionKind.PLENARY, title="Reception, open end",
                                       starts_at=_at(berlin, 0, "19:30"), ends_at=None, room_id=None,
                                       parent_id=None)
    service.publish_agenda(berlin, None)
    new_york = make_event(status=EventStatus.PUBLISHED, title="New York side event",
                          timezone="America/New_York", start_date=dt.date(2014, 11, 1),
                          end_date=dt.date(2014, 11, 3), venue_city="New York")
    # Sunday 2 November: the end of summer time in New York.
    side = _session(new_york, "Side event across the change", 1, "00:30", "03:00",
                    description="A\\;B,C\\nD (literally)")
    service.publish_agenda(new_york, None)
    participant = db.session.get(User, users[Role.PARTICIPANT])
    for chosen in (side, cancelled, long_one, group, untimed, reception):
        service.add_to_personal_agenda(participant, chosen)
    service.cancel_session(cancelled, None)
    db.session.commit()
    return {"berlin": berlin, "new_york": new_york, "sessions": [long_one, plenary, group, cancelled, side],
            "untimed": untimed, "participant": participant}


def _meta(app, event, feed_url, *, updated_at=None, calendar_name=None):
    state = db.session.get(AgendaState, event.id)
    return ExportMeta(
        namespace=app.config["EVENTMGR_UID_NAMESPACE"], updated_at=updated_at or state.updated_at,
        version=state.version, agenda_url=f"{BASE}/events/{event.slug}/agenda", feed_url=feed_url,
        session_url=lambda session_id: f"{BASE}/events/{event.slug}/agenda#session-{session_id}",
        calendar_name=calendar_name or event.title)


def _reference_event(session, meta: ExportMeta) -> icalendar.Event:
    """The session as an icalendar component: what `ics.vevent` writes without building one."""
    zone = session.event.zone
    url = meta.session_url(session.id)
    speakers = speaker_line(session)
    location = ", ".join(part for part in (session.room.name if session.room else "", session.event.place)
                         if part)
    return icalendar.Event.new(
        uid=meta.session_guid(session.id), stamp=meta.updated_at, created=session.created_at,
        last_modified=session.updated_at, sequence=session.sequence, summary=writable(session.title),
        start=session.starts_at.astimezone(zone),
        end=session.ends_at.astimezone(zone) if session.ends_at else None,
        location=writable(location), url=url,
        categories=[session.kind.label, *(["Side event"] if session.is_side_event else [])],
        description=writable("\n\n".join(part for part in (speakers, session.description, url) if part)),
        status="CANCELLED" if session.is_cancelled else "CONFIRMED",
    )


def _reference(sessions, metas, meta, *, description) -> bytes:
    """The whole-calendar path: every component in one icalendar Calendar, serialised at once.
    `metas` gives each session the meta of its own agenda (its links); `meta` stamps them all.
    Items with no time are left out, as a calendar entry needs one."""
    sessions = [s for s in sessions if s.starts_at is not None]
    calendar = ics.calendar_component(meta, description=description)
    for session in sessions:
        own = metas[session.event_id]
        stamped = ExportMeta(**{**own.__dict__, "updated_at": meta.updated_at})
        calendar.add_component(_reference_event(session, stamped))
    if sessions:
        first, last = ics.timezone_span((s.starts_at for s in sessions),
                                        (s.ends_at or s.starts_at for s in sessions))
        calendar.add_missing_timezones(first_date=first, last_date=last)
        for timezone in calendar.timezones:
            timezone.pop("COMMENT", None)
        calendar.subcomponents = (sorted(calendar.timezones, key=lambda tz: str(tz["TZID"]))
                                  + list(calendar.events))
    return calendar.to_ical()


def _published(event):
    return queries.public_sessions(event)


@pytest.mark.parametrize("agenda_built", [True, False], ids=["sliced", "built alone"])
def test_a_sessions_feed_is_the_whole_builders_calendar_of_that_session(app, client, tricky, agenda_built):
    berlin = tricky["berlin"]
    if agenda_built:
        client.get(f"/events/{berlin.slug}/agenda.ics")  # the agenda's parts are built and cached
    for session in _published(berlin):
        url = f"/events/{berlin.slug}/sessions/{session.id}.ics"
        if session.starts_at is None:
            assert client.get(url).status_code == 404, session.title
            continue
        meta = _meta(app, berlin, BASE + url)
        expected = _reference([session], {berlin.id: meta}, meta, description=f"Agenda of {berlin.title}")
        body = client.get(url).data
        assert body == expected, session.title
        parsed = icalendar.Calendar.from_ical(body)
        (vevent,) = parsed.events
        assert (str(vevent["SUMMARY"]), vevent.start.astimezone(dt.UTC)) == (session.title, session.starts_at)
        assert ("DTEND" in vevent) == (session.ends_at is not None)
        assert session.description in str(vevent["DESCRIPTION"])
        assert str(vevent["STATUS"]) == ("CANCELLED" if session.is_cancelled else "CONFIRMED")
    assert max(len(line) for line in body.split(b"\r\n")) <= 75


def test_the_agenda_feed_is_the_whole_builders_calendar(app, client, tricky):
    for event in (tricky["berlin"], tricky["new_york"]):
        url = f"/events/{event.slug}/agenda.ics"
        meta = _meta(app, event, BASE + url)
        expected = _reference(_published(event), {event.id: meta}, meta,
                              description=f"Agenda of {event.title}")
        assert client.get(url).data == expected
        assert client.get(url).data == expected  # and again, from the cache


def test_a_personal_feed_is_the_whole_builders_calendar_of_the_chosen_sessions(app, client, auth, tricky):
    berlin, new_york = tricky["berlin"], tricky["new_york"]
    client.get(f"/events/{berlin.slug}/agenda.ics")  # one agenda's parts cached, the other's not
    auth.login(Role.PARTICIPANT)
    client.post("/agenda/feed/new", data={"next": "/"})
    page = client.get(f"/events/{berlin.slug}/agenda").get_data(as_text=True)
    start = page.index("/agenda/feed/", page.index("Private address"))
    url = page[start:page.index(".ics", start) + 4]
    user_id = tricky["participant"].id
    chosen = sorted((s for s in _published(berlin) + _published(new_york)
                     if s.id in {session_id for session_id, _ in queries.personal_choices(user_id)}
                     and s.starts_at is not None),
                    key=lambda s: (s.starts_at, s.id))
    assert len(chosen) == 5  # the untimed choice is left out
    with app.test_request_context():
        home = url_for("series.home", _external=True)
    metas = {event.id: _meta(app, event, "unused") for event in (berlin, new_york)}
    meta = ExportMeta(**{**metas[berlin.id].__dict__, "updated_at": max(s.updated_at for s in chosen),
                         "version": 0, "agenda_url": home, "feed_url": BASE + url,
                         "calendar_name": "My agenda"})
    expected = _reference(chosen, metas, meta, description="Sessions I chose")
    body = client.get(url).data
    assert body == expected
    parsed = icalendar.Calendar.from_ical(body)
    assert [str(tz["TZID"]) for tz in parsed.timezones] == ["America/New_York", "Europe/Berlin"]
    assert [str(e["SUMMARY"]) for e in parsed.events] == [s.title for s in chosen]
    assert {str(e["DTSTAMP"].dt) for e in parsed.events} == {str(meta.updated_at.replace(microsecond=0))}


def test_an_unknown_or_unpublished_session_has_no_feed(client, tricky):
    berlin = tricky["berlin"]
    draft = AgendaSession(event_id=berlin.id, kind=SessionKind.PANEL, title="Draft", is_published=False,
                          starts_at=_at(berlin, 0, "15:00"), ends_at=_at(berlin, 0, "16:00"))
    db.session.add(draft)
    db.session.commit()
    other = tricky["sessions"][-1]  # the New York event's
    for session_id in (draft.id, other.id, 999_999):
        assert client.get(f"/events/{berlin.slug}/sessions/{session_id}.ics").status_code == 404


def test_cached_feeds_load_nothing_but_the_revision(client, tricky, count_queries):
    berlin = tricky["berlin"]
    # Ids read first: the exports build no ORM objects, so they no longer refresh the test's.
    urls = [f"/events/{berlin.slug}/sessions/{session.id}.ics" for session in tricky["sessions"][:2]]
    client.get(f"/events/{berlin.slug}/agenda.ics")
    with count_queries() as statements:
        for url in urls:
            assert client.get(url).status_code == 200
    assert len(statements) == 2, statements
    assert all("agenda_session" not in statement for statement in statements)


def test_a_cached_personal_feed_runs_a_fixed_number_of_queries(client, tricky, count_queries):
    token = service.personal_feed_token(tricky["participant"], client.application.config["SECRET_KEY"])
    db.session.commit()
    for event in (tricky["berlin"], tricky["new_york"]):
        client.get(f"/events/{event.slug}/agenda.ics")
    with count_queries() as statements:
        assert client.get(f"/agenda/feed/{token}.ics").status_code == 200
    # The token, the chosen sessions, the revisions of their two agendas: no session loaded.
    assert len(statements) == 3, statements


def test_a_first_reader_of_a_sessions_feed_loads_that_session_only(client, tricky, count_queries):
    berlin = tricky["berlin"]
    url = f"/events/{berlin.slug}/sessions/{tricky['sessions'][0].id}.ics"
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    loads = [" ".join(s.split()) for s in statements if s.lstrip().startswith("SELECT agenda_session.")]
    # Only that session: by its id, never the event's whole agenda.
    assert len(loads) == 1 and "agenda_session.id IN" in loads[0], loads
