"""The organizer's editing: items without a time, new items placed after the previous one,
people by the type-ahead picker or typed in, the timetable grid and its "move to" control,
the programme import through the web, and what publishing says."""

import csv
import datetime as dt
import io

import sqlalchemy as sa
from flask import g

from eventmgr.agenda import queries, roles, service
from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.agenda.models import AgendaSession
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.registry.models import Organization, Person
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, make_person, make_published_agenda


def at(event, hhmm, day=0):
    return service.local_to_utc(
        event, dt.datetime.combine(event.start_date + dt.timedelta(days=day), dt.time.fromisoformat(hhmm))
    )


def add(event, title, start=None, end=None, *, day=0, kind=SessionKind.PANEL, room_id=None):
    return service.create_session(
        event,
        None,
        kind=kind,
        title=title,
        day=event.start_date + dt.timedelta(days=day),
        starts_at=at(event, start, day) if start else None,
        ends_at=at(event, end, day) if end else None,
        room_id=room_id,
        parent_id=None,
    )


def test_a_session_with_a_day_and_no_time_and_one_with_neither(client, auth, app_ctx):
    event = make_event()
    auth.login(Role.ORGANIZER)
    url = f"/events/{event.slug}/agenda/sessions/new"
    form = {
        "kind": "break",
        "title": "Registration",
        "day": "2014-11-20",
        "starts_at": "",
        "ends_at": "",
        "room_id": "",
        "parent_id": "",
    }
    assert client.post(url, data=form).status_code == 302
    assert client.post(url, data=form | {"title": "Follow-up", "day": ""}).status_code == 302
    refused = client.post(url, data=form | {"title": "Timed, no day", "day": "", "starts_at": "09:00"})
    assert refused.status_code == 400
    assert "Choose the day of an item with a time." in refused.get_data(as_text=True)
    assert [(s.title, s.day, s.starts_at) for s in queries.all_sessions(event)] == [
        ("Registration", dt.date(2014, 11, 20), None),
        ("Follow-up", None, None),
    ]
    editor = client.get(f"/events/{event.slug}/agenda/manage").get_data(as_text=True)
    assert editor.count("Time to be confirmed") == 2 and "2 items have no time yet" in editor


def test_a_new_item_starts_on_the_chosen_day_after_the_previous_one_with_its_kinds_length(
    client, auth, app_ctx
):
    event = make_event()
    add(event, "Opening", "09:00", "09:45", day=1)
    add(event, "Panel", "10:00", "11:30", day=1)
    db.session.commit()
    auth.login(Role.ORGANIZER)
    page = client.get(f"/events/{event.slug}/agenda/sessions/new?day=2014-11-21&kind=break").get_data(
        as_text=True
    )
    assert '<option selected value="2014-11-21">' in page
    assert (
        'name="starts_at" type="time" value="11:30"' in page
        and 'name="ends_at" type="time" value="12:00"' in page
    )
    empty_day = client.get(f"/events/{event.slug}/agenda/sessions/new").get_data(as_text=True)
    assert 'name="starts_at" type="time" value="09:00"' in empty_day  # a panel: 90 minutes
    assert 'name="ends_at" type="time" value="10:30"' in empty_day


def test_people_picker_is_accent_insensitive_and_tells_namesakes_apart(client, auth, app_ctx):
    event = make_event()
    make_person(given_name="Jürgen", family_name="Müller", organization=make_organization("Siemens AG"))
    make_person(
        given_name="Jurgen",
        family_name="Muller",
        organization=make_organization("BASF SE", country="DE"),
        country="AT",
    )
    db.session.commit()
    auth.login(Role.ORGANIZER)
    results = client.get(f"/events/{event.slug}/agenda/people/search?q=muller JUR").get_json()["results"]
    assert [(r["label"], r["detail"].split(" · ")[:2]) for r in results] == [
        ("Jurgen Muller", ["BASF SE", "Austria"]),
        ("Jürgen Müller", ["Siemens AG", "Germany"]),
    ]
    by_organization = client.get(f"/events/{event.slug}/agenda/people/search?q=siemens").get_json()["results"]
    assert [(r["kind"], r["label"]) for r in by_organization] == [
        ("person", "Jürgen Müller"),
        ("organization", "Siemens AG"),
    ]
    states = client.get(f"/events/{event.slug}/agenda/people/search?q=korea").get_json()["results"]
    assert [(r["value"], r["label"]) for r in states] == [
        ("state:KP", "Democratic People's Republic of Korea"),
        ("state:KR", "Republic of Korea"),
    ]


def _import_people(event, count: int) -> None:
    """`count` people in the directory, through the participant import."""
    from eventmgr.registry.imports import import_participants

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["given_name", "family_name", "email", "organization", "organization_kind", "country"])
    for n in range(count):
        writer.writerow([f"Ann{n}", f"Müller-{n}", f"ann{n}@example.org", f"Org {n % 40}", "company", "DE"])
    assert import_participants(event, buffer.getvalue().encode(), "people.csv").applied
    db.session.commit()


def forget_loaded_rows() -> None:
    """Empty the session so every row a request needs is queried, and drop the signed-in
    user Flask-Login keeps in `g` (it would be detached): both sizes then count alike."""
    db.session.expunge_all()
    g.pop("_login_user", None)


def test_the_picker_runs_the_same_queries_for_3_and_3000_people(client, auth, app_ctx, count_queries):
    small, large = make_event(), make_event()
    _import_people(small, 3)
    auth.login(Role.ORGANIZER)
    counts = []
    for slug, people in ((small.slug, 3), (large.slug, 3000)):
        if people > 3:
            _import_people(large, people)
        forget_loaded_rows()
        with count_queries() as statements:
            response = client.get(f"/events/{slug}/agenda/people/search?q=muller ann1")
        assert response.status_code == 200 and response.get_json()["results"]
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_adding_an_organization_a_state_a_function_alone_and_a_person_without_email(client, auth, app_ctx):
    event = make_event()
    toshiba = make_organization("Toshiba", country="JP")
    session = add(event, "Panel", "09:00", "10:00")
    db.session.commit()
    auth.login(Role.ORGANIZER)
    url = f"/events/{event.slug}/agenda/sessions/{session.id}/people"
    for data in (
        {"role": "panelist", "holder": f"organization:{toshiba.id}", "function": "a representative"},
        {"role": "panelist", "holder": "state:KR"},
        {"role": "chair", "function": "Chair of the TEM"},
        {
            "role": "speaker",
            "family_name": "WALLRAFF",
            "honorific": "Dr.",
            "function": "President",
            "organization": "Federal Office for Economic Affairs and Export Control",
        },
        {"role": "moderator", "query": "tosh"},
    ):  # typed without the picker: one match
        assert client.post(url, data=data).status_code == 302, data
    db.session.expire_all()
    assert [
        (r.role.value, r.organization_id, r.state, r.function, r.person.family_name if r.person else None)
        for r in session.roles
    ] == [
        ("panelist", toshiba.id, None, "a representative", None),
        ("panelist", None, "KR", "", None),
        ("chair", None, None, "Chair of the TEM", None),
        ("speaker", None, None, "President", "WALLRAFF"),
        ("moderator", toshiba.id, None, "", None),
    ]
    new = session.roles[3].person
    assert (new.email, new.email_key, new.given_name, new.position, new.organization.kind.value) == (
        "",
        None,
        "",
        "President",
        "government",
    )


def test_typed_text_with_several_matches_asks_which_one(client, auth, app_ctx):
    event = make_event()
    make_person(given_name="Anna", family_name="Keller", organization=make_organization("Siemens AG"))
    make_person(given_name="Anna", family_name="Keller", organization=make_organization("BASF SE"))
    session = add(event, "Panel", "09:00", "10:00")
    db.session.commit()
    auth.login(Role.ORGANIZER)
    response = client.post(
        f"/events/{event.slug}/agenda/sessions/{session.id}/people",
        data={"role": "speaker", "query": "anna keller"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Several match “anna keller”: choose one." in page
    assert page.count('name="holder"') == 2 and "Siemens AG" in page and "BASF SE" in page


def test_a_function_is_edited_per_appearance(client, auth, app_ctx):
    event = make_event()
    person = make_person(position="Director")
    session = add(event, "Panel", "09:00", "10:00")
    link = service.add_person(session, person, SessionRoleKind.SPEAKER, None)
    db.session.commit()
    assert link.function == "Director"
    auth.login(Role.ORGANIZER)
    client.post(
        f"/events/{event.slug}/agenda/sessions/{session.id}/people/{link.id}/function",
        data={"function": "President of BAFA"},
    )
    db.session.expire_all()
    assert (link.function, person.position) == ("President of BAFA", "Director")


def test_publishing_says_when_the_public_sees_it_and_what_has_no_time(client, auth, app_ctx):
    draft = make_event()
    add(draft, "Registration")
    add(draft, "Opening", "09:00", "10:00")
    public = make_event(status=EventStatus.PUBLISHED)
    db.session.commit()
    auth.login(Role.ORGANIZER)
    page = client.post(f"/events/{draft.slug}/agenda/publish", follow_redirects=True).get_data(as_text=True)
    assert "Agenda published — visible to the public once the event is published." in page
    assert "1 item has no time yet: shown as “time to be confirmed”" in page
    assert "The agenda is visible to the public once the event is published." in page
    page = client.post(f"/events/{public.slug}/agenda/publish", follow_redirects=True).get_data(as_text=True)
    assert (
        "Agenda published." in page
        and "once the event is published" not in page
        and "no time yet" not in page
    )


def test_the_timetable_shows_rooms_times_and_clashes(client, auth, app_ctx):
    event = make_event()
    hall, room = service.add_room(event, "Hall", None), service.add_room(event, "Room 2", None)
    person = make_person(given_name="Ada", family_name="Lovelace")
    first = add(event, "Opening", "09:00", "10:00", room_id=hall.id)
    second = add(event, "Group B", "09:30", "10:30", room_id=room.id)
    service.add_person(first, person, SessionRoleKind.SPEAKER, None)
    service.add_person(second, person, SessionRoleKind.SPEAKER, None, accept_person_conflicts=True)
    add(event, "Coffee")
    db.session.commit()
    auth.login(Role.ORGANIZER)
    page = client.get(f"/events/{event.slug}/agenda/timetable?day=2014-11-20").get_data(as_text=True)
    assert '<th scope="col">Hall</th><th scope="col">Room 2</th>' in page
    assert page.count("Ada Lovelace is also on") == 2 and "2 items clash" in page
    assert 'rowspan="12" data-room="' in page  # an hour is twelve five-minute rows
    assert "No time yet" in page and "Coffee" in page
    assert "/static/js/timetable.js" in page and "cdn" not in page.lower()


def test_moving_and_resizing_with_the_move_to_control(client, auth, app_ctx):
    event = make_event()
    hall, room = service.add_room(event, "Hall", None), service.add_room(event, "Room 2", None)
    opening = add(event, "Opening", "09:00", "10:00", room_id=hall.id)
    panel = add(event, "Panel", "10:00", "11:00", room_id=hall.id)
    coffee = add(event, "Coffee", kind=SessionKind.BREAK)
    db.session.commit()
    auth.login(Role.ORGANIZER)

    def place(session, **values):
        return client.post(f"/events/{event.slug}/agenda/sessions/{session.id}/place", data=values)

    moved = place(panel, day="2014-11-21", starts_at="14:00", minutes="45", room_id=str(room.id))
    assert moved.status_code == 302 and moved.location.endswith(f"day=2014-11-21#item-{panel.id}")
    refused = place(coffee, day="2014-11-20", starts_at="09:30", minutes="", room_id=str(hall.id))
    assert refused.status_code == 302
    timed = place(coffee, day="2014-11-20", starts_at="10:00", minutes="", room_id=str(hall.id))
    db.session.expire_all()
    assert timed.status_code == 302
    assert [(s.title, s.day, s.starts_at, s.ends_at, s.room_id) for s in (opening, panel, coffee)] == [
        ("Opening", dt.date(2014, 11, 20), at(event, "09:00"), at(event, "10:00"), hall.id),
        ("Panel", dt.date(2014, 11, 21), at(event, "14:00", 1), at(event, "14:45", 1), room.id),
        ("Coffee", dt.date(2014, 11, 20), at(event, "10:00"), at(event, "10:30"), hall.id),
    ]  # a break: 30 min
    page = client.get(f"/events/{event.slug}/agenda/timetable?day=2014-11-20").get_data(as_text=True)
    assert "“Coffee” was not moved: The room is taken by “Opening” at that time." in page
    form = client.get(f"/events/{event.slug}/agenda/sessions/{panel.id}/place").get_data(as_text=True)
    assert '<option selected value="2014-11-21">' in form and 'value="14:00"' in form and 'value="45"' in form


def test_the_timetable_runs_the_same_queries_for_10_and_300_items(client, auth, app_ctx, count_queries):
    small, large = make_event(status=EventStatus.PUBLISHED), make_event(status=EventStatus.PUBLISHED)
    make_published_agenda(small, 10)
    make_published_agenda(large, 300)
    auth.login(Role.ORGANIZER)
    counts = []
    for slug in (small.slug, large.slug):
        forget_loaded_rows()
        with count_queries() as statements:
            assert client.get(f"/events/{slug}/agenda/timetable?day=2014-11-20").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_importing_a_programme_through_the_web(client, auth, app_ctx):
    event = make_event()
    make_person(given_name="Anna", family_name="Keller", organization=make_organization("Siemens AG"))
    other = make_person(given_name="Anna", family_name="Keller", organization=make_organization("BASF SE"))
    db.session.commit()
    auth.login(Role.ORGANIZER)
    data = (
        b"title,day,start,end,chair\nOpening,2014-11-20,09:00,10:00,Anna Keller\nDinner,2014-11-19,19:00,,\n"
    )
    preview = client.post(
        f"/events/{event.slug}/agenda/import",
        data={"file": (io.BytesIO(data), "programme.csv")},
        content_type="multipart/form-data",
    )
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "choose" in page and "Side event" in page
    assert db.session.query(AgendaSession).count() == 0
    upload = page.split('name="upload" type="hidden" value="')[1].split('"')[0]
    unchosen = client.post(f"/events/{event.slug}/agenda/import/confirm", data={"upload": upload})
    assert unchosen.status_code == 400 and "Choose who is meant" in unchosen.get_data(as_text=True)
    done = client.post(
        f"/events/{event.slug}/agenda/import/confirm",
        data={"upload": upload, "choice-r2.chair.1": f"person:{other.id}"},
    )
    assert done.status_code == 302
    assert [(s.title, [r.person_id for r in s.roles]) for s in queries.all_sessions(event)] == [
        ("Dinner", []),
        ("Opening", [other.id]),
    ]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organization)) == 2
    assert roles  # the holders module serves the view
