import datetime as dt

from eventmgr.agenda import service
from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.agenda.models import AgendaChange, AgendaSession, AgendaState
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.registry.models import Person
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, make_person


def session_form(room_id="", **overrides):
    return {"kind": "panel", "title": "Panel", "description": "", "day": "2014-11-20", "starts_at": "09:00",
            "ends_at": "10:00", "room_id": str(room_id), "parent_id": ""} | overrides


def test_editor_shows_zone_label_and_creates_a_session(client, auth, app_ctx):
    event = make_event()
    auth.login(Role.ORGANIZER)
    page = client.get(f"/events/{event.slug}/agenda/sessions/new").get_data(as_text=True)
    assert "Starts (Europe/Berlin (CET, UTC+01:00))" in page
    response = client.post(f"/events/{event.slug}/agenda/sessions/new", data=session_form())
    assert response.status_code == 302
    session = db.session.query(AgendaSession).one()
    assert session.starts_at == dt.datetime(2014, 11, 20, 8, 0, tzinfo=dt.UTC)


def test_bad_times_give_400_with_messages_and_write_nothing(client, auth, app_ctx):
    event = make_event()
    auth.login(Role.ORGANIZER)
    response = client.post(f"/events/{event.slug}/agenda/sessions/new",
                           data=session_form(title="Kept title", ends_at="08:00"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The end must be after the start." in page and 'value="Kept title"' in page
    assert db.session.query(AgendaSession).count() == 0


def test_room_overlap_message_on_the_room_field(client, auth, app_ctx):
    event = make_event()
    room = service.add_room(event, "Hall", None)
    db.session.commit()
    auth.login(Role.ORGANIZER)
    client.post(f"/events/{event.slug}/agenda/sessions/new", data=session_form(room.id, title="First"))
    response = client.post(f"/events/{event.slug}/agenda/sessions/new",
                           data=session_form(room.id, title="Second", starts_at="09:30", ends_at="10:30"))
    assert response.status_code == 400
    assert 'id="room_id-error">The room is taken by “First” at that time.' in response.get_data(as_text=True)


def test_add_person_created_on_the_spot_and_from_directory(client, auth, app_ctx):
    event = make_event()
    known = make_person(organization=make_organization("Known Org"))
    session = service.create_session(event, None, kind=SessionKind.PANEL, title="Panel",
                                     starts_at=dt.datetime(2014, 11, 20, 8, tzinfo=dt.UTC),
                                     ends_at=dt.datetime(2014, 11, 20, 9, tzinfo=dt.UTC),
                                     room_id=None, parent_id=None)
    db.session.commit()
    auth.login(Role.ORGANIZER)
    url = f"/events/{event.slug}/agenda/sessions/{session.id}/people"
    assert client.post(url, data={"role": "chair", "holder": f"person:{known.id}"}).status_code == 302
    assert client.post(url, data={"role": "speaker", "email": "new@example.org",
                                  "given_name": "Nia", "family_name": "New"}).status_code == 302
    db.session.expire_all()
    assert [(r.role.value, r.person.email) for r in session.roles] == [
        ("chair", known.email), ("speaker", "new@example.org")]
    assert db.session.query(Person).filter_by(email="new@example.org").count() == 1


def test_person_conflict_warning_accepted_with_the_checkbox(client, auth, app_ctx):
    event = make_event()
    person = make_person()
    times = {"starts_at": dt.datetime(2014, 11, 20, 8, tzinfo=dt.UTC),
             "ends_at": dt.datetime(2014, 11, 20, 9, tzinfo=dt.UTC)}
    first = service.create_session(event, None, kind=SessionKind.PANEL, title="First", room_id=None,
                                   parent_id=None, **times)
    second = service.create_session(event, None, kind=SessionKind.PANEL, title="Second", room_id=None,
                                    parent_id=None, **times)
    service.add_person(first, person, SessionRoleKind.SPEAKER, None)
    db.session.commit()
    auth.login(Role.ORGANIZER)
    url = f"/events/{event.slug}/agenda/sessions/{second.id}/people"
    refused = client.post(url, data={"role": "speaker", "holder": f"person:{person.id}"})
    assert refused.status_code == 400
    assert "is also on “First” at that time" in refused.get_data(as_text=True)
    accepted = client.post(url, data={"role": "speaker", "holder": f"person:{person.id}",
                                      "accept_person_conflicts": "y"})
    assert accepted.status_code == 302


def test_draft_agenda_hidden_until_published_then_changes_logged(client, auth, app_ctx):
    event = make_event(status=EventStatus.PUBLISHED)
    service.create_session(event, None, kind=SessionKind.PANEL, title="Hidden panel", room_id=None,
                           parent_id=None, starts_at=dt.datetime(2014, 11, 20, 8, tzinfo=dt.UTC),
                           ends_at=dt.datetime(2014, 11, 20, 9, tzinfo=dt.UTC))
    db.session.commit()
    assert "Hidden panel" not in client.get(f"/events/{event.slug}/agenda").get_data(as_text=True)
    auth.login(Role.ORGANIZER)
    assert "Hidden panel" in client.get(f"/events/{event.slug}/agenda").get_data(as_text=True)
    assert client.post(f"/events/{event.slug}/agenda/publish").status_code == 302
    auth.logout()
    page = client.get(f"/events/{event.slug}/agenda").get_data(as_text=True)
    assert "Hidden panel" in page and "Last updated" in page
    assert db.session.get(AgendaState, event.id).published_at is not None
    auth.login(Role.ORGANIZER)
    assert "Agenda published" in client.get(f"/events/{event.slug}/agenda/manage").get_data(as_text=True)
    assert db.session.query(AgendaChange).count() == 1


def test_public_filters(client, app_ctx):
    event = make_event(status=EventStatus.PUBLISHED)
    for title, kind, day in (("Panel one", SessionKind.PANEL, 20), ("Lunch", SessionKind.BREAK, 21)):
        service.create_session(event, None, kind=kind, title=title, room_id=None, parent_id=None,
                               starts_at=dt.datetime(2014, 11, day, 8, tzinfo=dt.UTC),
                               ends_at=dt.datetime(2014, 11, day, 9, tzinfo=dt.UTC))
    service.publish_agenda(event, None)
    db.session.commit()
    by_kind = client.get(f"/events/{event.slug}/agenda?kind=break").get_data(as_text=True)
    by_day = client.get(f"/events/{event.slug}/agenda?day=2014-11-20").get_data(as_text=True)
    assert ("Lunch" in by_kind, "Panel one" in by_kind) == (True, False)
    assert ("Lunch" in by_day, "Panel one" in by_day) == (False, True)


def test_anonymous_readers_share_one_built_page_that_follows_every_change(client, auth, app_ctx):
    event = make_event(status=EventStatus.PUBLISHED)
    session = service.create_session(event, None, kind=SessionKind.PANEL, title="Panel on brokering",
                                     room_id=None, parent_id=None,
                                     starts_at=dt.datetime(2014, 11, 20, 8, tzinfo=dt.UTC),
                                     ends_at=dt.datetime(2014, 11, 20, 9, tzinfo=dt.UTC))
    service.publish_agenda(event, None)
    db.session.commit()
    url = f"/events/{event.slug}/agenda"
    assert "Panel on brokering" in client.get(url).get_data(as_text=True)

    fields = {key: getattr(session, key) for key in service.SESSION_FIELDS}
    service.update_session(session, None, **(fields | {"title": "Panel on export controls"}))
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert ("Panel on export controls" in page, "Panel on brokering" in page, "Add to my agenda" in page) == \
        (True, False, False)

    auth.login(Role.PARTICIPANT)
    assert "Add to my agenda" in client.get(url).get_data(as_text=True)


def test_a_person_conflict_names_the_box_beside_it(client, auth, app_ctx):
    """The error sits under the box it asks to tick, whichever form it is on ("Save anyway…" or
    "Add anyway…"): it never names a box that is not there."""
    import datetime as dt

    from eventmgr.agenda import service
    from eventmgr.agenda.enums import SessionKind, SessionRoleKind
    from eventmgr.auth.enums import Role
    from eventmgr.extensions import db
    from tests.builders import make_event, make_person

    event = make_event()
    person = make_person(given_name="Ada", family_name="Lovelace")
    starts = service.local_to_utc(event, dt.datetime.combine(event.start_date, dt.time(9)))
    first, second = (service.create_session(event, None, kind=SessionKind.PANEL, title=title,
                                            starts_at=starts, ends_at=starts + dt.timedelta(hours=1),
                                            room_id=None, parent_id=None)
                     for title in ("First", "Second"))
    service.add_person(first, person, SessionRoleKind.SPEAKER, None)
    db.session.commit()
    auth.login(Role.ORGANIZER)

    page = client.post(f"/events/{event.slug}/agenda/sessions/{second.id}/people",
                       data={"role": "chair", "holder": f"person:{person.id}"}).get_data(as_text=True)

    person_form = page.split(f'action="/events/{event.slug}/agenda/sessions/{second.id}/people"')[1]
    box = person_form.split('id="accept_person_conflicts"')[1].split("</div>")[0]
    assert "Add anyway" in box and "Tick the box to keep it anyway." in box
    assert "Save anyway" not in person_form.split("</form>")[0]


def test_cancelling_a_session_says_first_whom_the_cancellation_is_mailed_to(client, auth, app_ctx):
    import datetime as dt

    import sqlalchemy as sa

    from eventmgr.agenda import service
    from eventmgr.agenda.enums import SessionKind, SessionRoleKind
    from eventmgr.auth.enums import Role
    from eventmgr.extensions import db
    from eventmgr.mail.models import Message
    from tests.builders import make_event, make_person

    event = make_event()
    starts = service.local_to_utc(event, dt.datetime.combine(event.start_date, dt.time(9)))
    session = service.create_session(event, None, kind=SessionKind.PANEL, title="Panel on brokering",
                                     starts_at=starts, ends_at=starts + dt.timedelta(hours=1), room_id=None,
                                     parent_id=None)
    for given in ("Ada", "Grace"):
        service.add_person(session, make_person(given_name=given, family_name="Speaker"),
                           SessionRoleKind.SPEAKER, None)
    service.publish_agenda(event, None)
    db.session.commit()
    auth.login(Role.ORGANIZER)
    url = f"/events/{event.slug}/agenda/sessions/{session.id}/cancel"

    editor = client.get(f"/events/{event.slug}/agenda/manage").get_data(as_text=True)
    asked = client.get(url).get_data(as_text=True)
    mailed_before = db.session.scalar(sa.select(sa.func.count()).select_from(Message))
    client.post(url)
    db.session.refresh(session)

    assert f'href="{url}"' in editor
    assert "Cancel “Panel on brokering”?" in asked
    assert "2 people named on it receive a calendar cancellation" in asked
    assert mailed_before == 0 and session.is_cancelled
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 2
