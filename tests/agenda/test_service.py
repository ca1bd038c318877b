import datetime as dt

import pytest
import sqlalchemy as sa

from eventmgr.agenda import queries, roles, service
from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.agenda.models import AgendaChange, AgendaSession, AgendaState
from eventmgr.agenda.people import holder_text
from eventmgr.errors import DomainError, ValidationFailed
from eventmgr.extensions import db
from eventmgr.registry import service as registry_service
from eventmgr.registry.enums import OrganizationKind
from tests.builders import make_event, make_organization, make_person, make_series


def local(event, day: int, hhmm: str) -> dt.datetime:
    naive = dt.datetime.combine(event.start_date + dt.timedelta(days=day), dt.time.fromisoformat(hhmm))
    return service.local_to_utc(event, naive)


def new_session(event, title="Panel", *, day=0, start="09:00", end="10:00", **fields):
    return service.create_session(event, None, kind=fields.pop("kind", SessionKind.PANEL), title=title,
                                  starts_at=local(event, day, start), ends_at=local(event, day, end),
                                  room_id=fields.pop("room_id", None),
                                  parent_id=fields.pop("parent_id", None), **fields)


def test_dst_last_sunday_of_october_in_berlin(app_ctx):
    event = make_event(start_date=dt.date(2014, 10, 25), end_date=dt.date(2014, 10, 26))
    before = new_session(event, "Saturday", day=0, start="10:00", end="11:00")
    after = new_session(event, "Sunday", day=1, start="10:00", end="11:00")
    assert before.starts_at == dt.datetime(2014, 10, 25, 8, 0, tzinfo=dt.UTC)
    assert after.starts_at == dt.datetime(2014, 10, 26, 9, 0, tzinfo=dt.UTC)


def test_end_must_be_after_start(app_ctx):
    event = make_event()
    with pytest.raises(ValidationFailed) as error:
        new_session(event, start="10:00", end="09:30")
    assert error.value.errors == {"ends_at": ["The end must be after the start."]}


def test_a_session_outside_the_event_dates_is_a_side_event_within_the_margin(app_ctx):
    event = make_event()  # 20 and 21 November 2014
    dinner = new_session(event, "Opening dinner", day=-1, start="19:00", end="22:00",
                         kind=SessionKind.RECEPTION)
    visit = new_session(event, "Site visit", day=3, start="09:00", end="12:00")  # 23 November
    inside = new_session(event, "Panel")
    assert [(s.day, s.is_side_event) for s in (dinner, visit, inside)] == [
        (dt.date(2014, 11, 19), True), (dt.date(2014, 11, 23), True), (dt.date(2014, 11, 20), False)]
    with pytest.raises(ValidationFailed) as error:
        new_session(event, "Too late", day=4, start="09:00", end="10:00")
    assert error.value.errors == {"starts_at": [
        "The day must be within the event's dates or, for a side event, at most 2 days before or after "
        "them (18 November to 23 November 2014)."]}


def test_the_side_event_margin_is_configurable(make_app):
    app = make_app(AGENDA_SIDE_EVENT_DAYS=0)
    with app.app_context():
        event = make_event()
        with pytest.raises(ValidationFailed):
            new_session(event, "Opening dinner", day=-1, start="19:00", end="22:00")


def test_sessions_in_one_room_may_not_overlap(app_ctx):
    event = make_event()
    room = service.add_room(event, "Hall", None)
    new_session(event, "First", room_id=room.id)
    with pytest.raises(ValidationFailed) as error:
        new_session(event, "Second", start="09:30", end="10:30", room_id=room.id)
    assert error.value.errors == {"room_id": ["The room is taken by “First” at that time."]}


def test_a_breakout_may_share_its_parents_room_and_time(app_ctx):
    event = make_event()
    room = service.add_room(event, "Hall", None)
    parent = new_session(event, "Break-outs", room_id=room.id)
    child = new_session(event, "Group A", room_id=room.id, parent_id=parent.id, kind=SessionKind.BREAKOUT)
    assert child.parent is parent


def test_person_on_two_overlapping_sessions_is_a_warning_that_can_be_accepted(app_ctx):
    event = make_event()
    person = make_person()
    first = new_session(event, "First")
    second = new_session(event, "Second", start="09:30", end="10:30")
    service.add_person(first, person, SessionRoleKind.SPEAKER, None)
    with pytest.raises(DomainError) as error:
        service.add_person(second, person, SessionRoleKind.CHAIR, None)
    assert error.value.field == "accept_person_conflicts"
    assert error.value.message == (f"{person.full_name} is also on “First” at that time. "
                                   "Tick the box to keep it anyway.")
    service.add_person(second, person, SessionRoleKind.CHAIR, None, accept_person_conflicts=True)
    assert [r.person for r in second.roles] == [person]


def test_changes_are_logged_and_bump_sequence_only_after_publication(app_ctx):
    event = make_event()
    session = new_session(event)
    fields = {key: getattr(session, key) for key in service.SESSION_FIELDS}
    service.update_session(session, None, **(fields | {"title": "Draft edit"}))
    assert (session.sequence, db.session.query(AgendaChange).count()) == (0, 0)
    state = service.publish_agenda(event, None)
    version = state.version
    assert session.is_published is True
    service.update_session(session, None, **(fields | {"title": "Renamed"}))
    assert session.sequence == 1
    assert db.session.get(AgendaState, event.id).version == version + 1
    assert [c.what for c in db.session.query(AgendaChange).order_by(AgendaChange.id)] == [
        "Agenda published", "Session “Renamed” changed: title"]


def test_only_draft_sessions_may_be_deleted_published_ones_are_cancelled(app_ctx):
    event = make_event()
    draft = new_session(event, "Draft")
    service.delete_session(draft, None)
    assert db.session.query(AgendaSession).count() == 0
    published = new_session(event, "Published")
    service.publish_agenda(event, None)
    with pytest.raises(DomainError):
        service.delete_session(published, None)
    service.cancel_session(published, None)
    assert (published.is_cancelled, published.sequence) == (True, 1)


def test_duplicate_and_reorder(app_ctx):
    event = make_event()
    person = make_person()
    original = new_session(event, "Original")
    service.add_person(original, person, SessionRoleKind.SPEAKER, None)
    copy = service.duplicate_session(original, None)
    assert (copy.title, [r.person for r in copy.roles]) == ("Original (copy)", [person])
    service.move_session(copy, -1, None)
    assert (copy.position, original.position) == (0, 1)


def test_copy_agenda_of_an_earlier_event_shifts_dates(app_ctx):
    series = make_series()
    earlier = make_event(series, start_date=dt.date(2013, 6, 10), end_date=dt.date(2013, 6, 11))
    later = make_event(series, start_date=dt.date(2014, 11, 20), end_date=dt.date(2014, 11, 21))
    room = service.add_room(earlier, "Hall", None)
    parent = new_session(earlier, "Slot", day=1, start="14:00", end="15:00", room_id=room.id)
    new_session(earlier, "Group", day=1, start="14:00", end="15:00", parent_id=parent.id)
    assert service.copy_agenda(earlier, later, None) == 2
    copies = db.session.query(AgendaSession).filter_by(event_id=later.id).order_by(AgendaSession.id).all()
    # 14:00 summer time in June becomes 14:00 winter time in November.
    assert [c.starts_at for c in copies] == [dt.datetime(2014, 11, 21, 13, 0, tzinfo=dt.UTC)] * 2
    assert (copies[0].room.name, copies[1].parent_id) == ("Hall", copies[0].id)


def test_directory_edits_that_show_on_the_agenda_count_as_agenda_changes(app_ctx):
    event = make_event()
    organization = make_organization("Acme")
    speaker = make_person(given_name="Ada", family_name="Lovelace", organization=organization)
    session = new_session(event, "Panel on controls")
    other = new_session(event, "Closing", start="11:00", end="12:00")
    service.add_person(session, speaker, SessionRoleKind.SPEAKER, None)
    service.publish_agenda(event, None)
    state = db.session.get(AgendaState, event.id)

    def version_and_sequences():
        return state.version, session.sequence, other.sequence

    before = version_and_sequences()
    registry_service.update_person(speaker, position="Director")  # not shown on agendas
    assert version_and_sequences() == before

    registry_service.update_person(speaker, family_name="King")
    registry_service.update_organization(organization, name="Acme Chemicals")
    db.session.commit()

    assert version_and_sequences() == (before[0] + 2, before[1] + 2, before[2])
    assert [change.what for change in db.session.scalars(
        sa.select(AgendaChange).order_by(AgendaChange.id)).all()[-2:]] == [
        "Speaker details of Ada King changed (“Panel on controls”)",
        "Organization renamed “Acme Chemicals” (“Panel on controls”)"]


def untimed(event, title, *, day: int | None = 0, **fields):
    date = event.start_date + dt.timedelta(days=day) if day is not None else None
    return service.create_session(event, None, kind=fields.pop("kind", SessionKind.BREAK), title=title,
                                  day=date, starts_at=None, ends_at=None, room_id=None, parent_id=None,
                                  **fields)


def programme(event) -> list[str]:
    return [s.title for s in queries.all_sessions(event)]


def test_items_without_a_time_keep_their_place_and_items_without_a_day_come_last(app_ctx):
    event = make_event()
    untimed(event, "Registration")
    new_session(event, "Opening", start="09:00", end="09:30")
    untimed(event, "Coffee")
    new_session(event, "Panel 1", start="10:00", end="11:00")
    untimed(event, "Reception, place to be confirmed", day=None)
    untimed(event, "Dinner")
    # A timed item goes just before the first one starting later; untimed ones keep their place.
    new_session(event, "Keynote", start="09:30", end="10:00")
    new_session(event, "Parallel panel", start="10:00", end="11:00")
    new_session(event, "Panel 2", day=1, start="09:00", end="10:00")
    assert programme(event) == ["Registration", "Opening", "Coffee", "Keynote", "Panel 1", "Parallel panel",
                                "Dinner", "Panel 2", "Reception, place to be confirmed"]
    registration = db.session.query(AgendaSession).filter_by(title="Registration").one()
    assert (registration.day, registration.starts_at, registration.is_timed) == (
        event.start_date, None, False)
    assert service.untimed_count(event) == 4


def test_an_item_with_a_start_and_no_end_has_an_open_end(app_ctx):
    event = make_event()
    dinner = service.create_session(event, None, kind=SessionKind.RECEPTION, title="Dinner", day=None,
                                    starts_at=local(event, 0, "19:30"), ends_at=None, room_id=None,
                                    parent_id=None)
    assert (dinner.day, dinner.ends_at) == (event.start_date, None)
    with pytest.raises(ValidationFailed) as error:
        service.create_session(event, None, kind=SessionKind.PANEL, title="End only", day=event.start_date,
                               starts_at=None, ends_at=local(event, 0, "10:00"), room_id=None, parent_id=None)
    assert error.value.errors == {"starts_at": ["Give the start too, or leave both times empty."]}


def test_giving_an_untimed_item_a_time_puts_it_among_the_timed_ones(app_ctx):
    event = make_event()
    coffee = untimed(event, "Coffee")
    new_session(event, "Opening", start="09:00", end="09:30")
    new_session(event, "Panel", start="11:00", end="12:00")
    assert programme(event) == ["Coffee", "Opening", "Panel"]
    service.place_session(coffee, None, day=event.start_date, starts_at=local(event, 0, "10:30"),
                          ends_at=local(event, 0, "11:00"), room_id=None)
    assert programme(event) == ["Opening", "Coffee", "Panel"]
    service.place_session(coffee, None, day=None, starts_at=None, ends_at=None, room_id=None)
    assert (programme(event), coffee.day) == (["Opening", "Panel", "Coffee"], None)


def test_an_untimed_item_moves_up_and_down_among_its_days_items(app_ctx):
    event = make_event()
    new_session(event, "Opening", start="09:00", end="09:30")
    new_session(event, "Panel", start="10:00", end="11:00")
    coffee = untimed(event, "Coffee")
    service.move_session(coffee, -1, None)
    assert programme(event) == ["Opening", "Coffee", "Panel"]
    service.move_session(coffee, -1, None)
    assert programme(event) == ["Coffee", "Opening", "Panel"]


def test_timed_items_starting_at_different_times_do_not_swap(app_ctx):
    event = make_event()
    opening = new_session(event, "Opening", start="09:00", end="09:30")
    new_session(event, "Panel", start="10:00", end="11:00")
    with pytest.raises(DomainError) as error:
        service.move_session(opening, 1, None)
    assert error.value.message == "“Panel” starts at another time: change the times to reorder them."


def test_roles_held_by_a_person_an_organization_a_state_or_a_function_alone(app_ctx):
    event = make_event()
    bafa = make_organization("Federal Office for Economic Affairs and Export Control", acronym="BAFA",
                             kind=OrganizationKind.GOVERNMENT)
    toshiba = make_organization("Toshiba", country="JP")
    wallraff = make_person(given_name="Arnold", family_name="Wallraff", honorific="Dr.", position="President",
                           organization=bafa, country="DE")
    panel = new_session(event, "Opening")
    service.add_person(panel, wallraff, SessionRoleKind.SPEAKER, None)
    roles.add_holder(panel, SessionRoleKind.PANELIST, None, state="kr")
    roles.add_holder(panel, SessionRoleKind.PANELIST, None, organization=toshiba,
                     function="a representative of Toshiba")
    roles.add_holder(panel, SessionRoleKind.CHAIR, None, function="Chair of the TEM")
    assert [holder_text(r) for r in panel.roles] == [
        "Dr. Arnold Wallraff, President, Federal Office for Economic Affairs and Export Control (Germany)",
        "Republic of Korea", "a representative of Toshiba (Japan)", "Chair of the TEM"]
    # The function belongs to the session: changing it leaves the directory alone.
    roles.change_function(panel, panel.roles[0].id, "President of BAFA", None)
    assert (holder_text(panel.roles[0]), wallraff.position) == (
        "Dr. Arnold Wallraff, President of BAFA (Germany)", "President")
    with pytest.raises(ValidationFailed):
        roles.add_holder(panel, SessionRoleKind.SPEAKER, None)
    with pytest.raises(ValidationFailed):
        roles.add_holder(panel, SessionRoleKind.PANELIST, None, state="KR")


def test_duplicating_and_copying_keep_the_holders_and_their_functions(app_ctx):
    series = make_series()
    earlier = make_event(series, start_date=dt.date(2013, 6, 10), end_date=dt.date(2013, 6, 11))
    later = make_event(series, start_date=dt.date(2014, 11, 20), end_date=dt.date(2014, 11, 21))
    panel = new_session(earlier, "Panel")
    roles.add_holder(panel, SessionRoleKind.PANELIST, None, state="KR", function="Head of delegation")
    untimed(earlier, "Dinner", day=-1, kind=SessionKind.RECEPTION)
    copy = service.duplicate_session(panel, None)
    assert [(r.state, r.function) for r in copy.roles] == [("KR", "Head of delegation")]
    service.copy_agenda(earlier, later, None)
    copies = {s.title: s for s in queries.all_sessions(later)}
    assert [(r.state, r.function) for r in copies["Panel"].roles] == [("KR", "Head of delegation")]
    assert (copies["Dinner"].day, copies["Dinner"].is_side_event) == (dt.date(2014, 11, 19), True)


def test_an_organization_on_a_panel_renamed_in_the_directory_is_an_agenda_change(app_ctx):
    event = make_event()
    toshiba = make_organization("Toshiba", country="JP")
    panel = new_session(event, "Panel")
    roles.add_holder(panel, SessionRoleKind.PANELIST, None, organization=toshiba)
    service.publish_agenda(event, None)
    before = (service.agenda_state(event).version, panel.sequence)
    registry_service.update_organization(toshiba, name="Toshiba Corporation")
    assert (service.agenda_state(event).version, panel.sequence) == (before[0] + 1, before[1] + 1)
