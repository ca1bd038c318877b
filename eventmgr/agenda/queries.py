"""Eager-loaded agenda queries: a fixed number of SQL statements whatever the agenda's size."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import aliased, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from eventmgr.agenda.models import (
    AgendaChange,
    AgendaSession,
    AgendaState,
    PersonalAgendaItem,
    PersonalFeed,
    Room,
    SessionRole,
)
from eventmgr.extensions import db
from eventmgr.gcpause import collector_paused
from eventmgr.registry.enums import NameOrder
from eventmgr.registry.models import Organization, Person
from eventmgr.series.enums import EventStatus
from eventmgr.series.models import Event

# The programme's order: by day (undated items last), then place in the day (agenda.timing).
PROGRAMME_ORDER = (AgendaSession.day.is_(None), AgendaSession.day, AgendaSession.position, AgendaSession.id)


# What the exports and the page show of the event itself: editing any of it makes a new revision.
EVENT_DETAILS = ("slug", "title", "theme", "timezone", "venue_name", "venue_city", "start_date", "end_date")


@dataclass(frozen=True)
class AgendaRevision:
    """An event's agenda as the cache needs it: whether it is out, and which revision it is."""

    event_id: int
    series_id: int
    status: EventStatus
    slug: str
    title: str
    details: tuple
    published_at: dt.datetime | None
    version: int | None
    updated_at: dt.datetime | None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_public(self) -> bool:
        return self.status.is_public


@functools.cache
def _revision_query() -> Select:
    """The revision's columns in Core terms, built once: a cached hit's only statement."""
    event, state = Event.__table__, AgendaState.__table__
    return (select(event.c.id, event.c.series_id, event.c.status, *(event.c[name] for name in EVENT_DETAILS),
                   state.c.published_at, state.c.version, state.c.updated_at)
            .select_from(event.outerjoin(state, state.c.event_id == event.c.id)))


@functools.cache
def _revision_by_slug() -> Select:
    return _revision_query().where(Event.__table__.c.slug == bindparam("slug"))


def _revisions(statement, parameters: dict) -> list[AgendaRevision]:
    """Plain rows on a connection of its own: no ORM objects, no session transaction."""
    with db.engine.connect() as connection:
        rows = connection.execute(statement, parameters).all()
    width = len(EVENT_DETAILS)
    return [AgendaRevision(event_id=row[0], series_id=row[1], status=row[2], slug=row[3], title=row[4],
                           details=tuple(row[3:3 + width]), published_at=row[3 + width],
                           version=row[4 + width], updated_at=row[5 + width]) for row in rows]


def agenda_revision(slug: str) -> AgendaRevision | None:
    found = _revisions(_revision_by_slug(), {"slug": slug})
    return found[0] if found else None


def _with_people(sessions: list[AgendaSession], role_filter) -> list[AgendaSession]:
    roles: dict[int, list[SessionRole]] = {session.id: [] for session in sessions}
    for role in db.session.scalars(
            select(SessionRole).join(AgendaSession).where(role_filter)
            .options(joinedload(SessionRole.person).joinedload(Person.organization),
                     joinedload(SessionRole.organization))
            .order_by(SessionRole.session_id, SessionRole.position, SessionRole.id)):
        if role.session_id in roles:
            roles[role.session_id].append(role)
    for session in sessions:
        set_committed_value(session, "roles", roles[session.id])
    return sessions


def _sessions(event: Event, *, published_only: bool) -> list[AgendaSession]:
    """Sessions with room, people and their organizations in two queries, whatever their number.

    The people are loaded with one join on the event rather than selectinload, whose IN lists
    are split into batches (and so more queries) on large agendas.
    """
    query = (select(AgendaSession).where(AgendaSession.event_id == event.id)
             .options(joinedload(AgendaSession.room)).order_by(*PROGRAMME_ORDER))
    if published_only:
        query = query.where(AgendaSession.is_published.is_(True))
    return _with_people(list(db.session.scalars(query)), AgendaSession.event_id == event.id)


# Plain rows for the exports: a bulk build makes no ORM objects (identity map, attribute
# instrumentation and the garbage collector's rescans of them were most of an export's time).
# They carry the attribute names of the models, so agenda.people and the writers read both.

@dataclass(slots=True)
class OrganizationRow:
    name: str
    acronym: str
    country: str | None
    state: str | None


@dataclass(slots=True)
class PersonRow:
    honorific: str
    given_name: str
    family_name: str
    name_order: NameOrder
    country: str | None
    organization: OrganizationRow | None

    name_in = Person.name_in


@dataclass(slots=True)
class RoleRow:
    role: object  # SessionRoleKind
    function: str
    person_id: int | None
    person: PersonRow | None
    organization_id: int | None
    organization: OrganizationRow | None
    state: str | None


@dataclass(slots=True)
class RoomRow:
    name: str


@dataclass(slots=True)
class SessionRow:
    id: int
    kind: object  # SessionKind
    title: str
    description: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    is_side_event: bool
    is_cancelled: bool
    sequence: int
    created_at: dt.datetime
    updated_at: dt.datetime
    room: RoomRow | None
    event: Event
    roles: list[RoleRow]
    # Where the public page puts the item: its day (None: date to be confirmed), and the
    # session whose break-out group it is.
    day: dt.date | None = None
    parent_id: int | None = None


_SESSION_COLUMNS = ("id", "kind", "title", "description", "starts_at", "ends_at", "is_side_event",
                    "is_cancelled", "sequence", "created_at", "updated_at", "room_id")
_ORGANIZATION_COLUMNS = ("id", "name", "acronym", "country", "state")


@functools.cache
def _export_statements() -> tuple[Select, Select]:
    """The published sessions with their room's name, and the people of an event's agenda:
    one Core statement each, built once."""
    session, room, role = AgendaSession.__table__, Room.__table__, SessionRole.__table__
    person = Person.__table__
    of_role, of_person = aliased(Organization.__table__), aliased(Organization.__table__)
    published = (session.c.event_id == bindparam("event_id")) & session.c.is_published.is_(True)
    sessions = (select(*(session.c[name] for name in _SESSION_COLUMNS), room.c.name, session.c.day,
                       session.c.parent_id)
                .select_from(session.outerjoin(room, room.c.id == session.c.room_id)).where(published)
                .order_by(session.c.day.is_(None), session.c.day, session.c.position, session.c.id))
    people = (select(role.c.session_id, role.c.role, role.c.function, role.c.state,
                     role.c.person_id, person.c.honorific, person.c.given_name, person.c.family_name,
                     person.c.name_order, person.c.country,
                     *(of_person.c[name] for name in _ORGANIZATION_COLUMNS),
                     *(of_role.c[name] for name in _ORGANIZATION_COLUMNS))
              .select_from(role.join(session, session.c.id == role.c.session_id)
                           .outerjoin(person, person.c.id == role.c.person_id)
                           .outerjoin(of_person, of_person.c.id == person.c.organization_id)
                           .outerjoin(of_role, of_role.c.id == role.c.organization_id))
              .where(published).order_by(role.c.session_id, role.c.position, role.c.id))
    return sessions, people


def event_by_slug(slug: str) -> Event | None:
    """The event alone, without its series, organizers or goals: one statement."""
    return db.session.scalars(select(Event).where(Event.slug == slug)).one_or_none()


def export_event(event_id: int) -> Event:
    """The event alone (its columns are all an export shows of it): one statement."""
    return db.session.scalars(select(Event).where(Event.id == event_id)).one()


@collector_paused()
def export_sessions(event: Event) -> list[SessionRow]:
    """The published sessions (cancelled included) with room and people as plain rows, in
    programme order: two statements whatever the agenda's size."""
    sessions_query, people_query = _export_statements()
    parameters = {"event_id": event.id}
    organizations: dict[int, OrganizationRow] = {}

    def organization(row, offset: int) -> OrganizationRow | None:
        key = row[offset]
        if key is None:
            return None
        if key not in organizations:
            organizations[key] = OrganizationRow(*row[offset + 1:offset + 5])
        return organizations[key]

    roles: dict[int, list[RoleRow]] = {}
    # By position: the two organizations' columns share their names.
    for row in db.session.execute(people_query, parameters):
        person = PersonRow(*row[5:10], organization(row, 10)) if row[4] is not None else None
        roles.setdefault(row[0], []).append(RoleRow(
            role=row[1], function=row[2], person_id=row[4], person=person,
            organization_id=row[15], organization=organization(row, 15), state=row[3]))
    return [SessionRow(*row[:11], room=None if row[12] is None else RoomRow(row[12]), event=event,
                       roles=roles.get(row[0], []), day=row[13], parent_id=row[14])
            for row in db.session.execute(sessions_query, parameters)]


def all_sessions(event: Event) -> list[AgendaSession]:
    """Every session, drafts and cancelled included, for the editor."""
    return _sessions(event, published_only=False)


def public_sessions(event: Event) -> list[AgendaSession]:
    """Published sessions (cancelled ones included: exports mark them cancelled)."""
    return _sessions(event, published_only=True)


def day_sessions(event: Event, day, *, with_people: bool = False) -> list[AgendaSession]:
    """The items of one day (None: the undated ones) in programme order; with their people
    and organizations in one more query."""
    condition = AgendaSession.day.is_(None) if day is None else AgendaSession.day == day
    sessions = list(db.session.scalars(
        select(AgendaSession).where(AgendaSession.event_id == event.id, condition)
        .options(joinedload(AgendaSession.room)).order_by(*PROGRAMME_ORDER)))
    if with_people:
        _with_people(sessions, (AgendaSession.event_id == event.id) & condition)
    return sessions


def used_days(event: Event) -> dict:
    """Each day with items (None for undated ones) and how many it has (1 query)."""
    return dict(db.session.execute(
        select(AgendaSession.day, func.count()).where(AgendaSession.event_id == event.id)
        .group_by(AgendaSession.day)).all())


def rooms(event: Event) -> list[Room]:
    return list(db.session.scalars(select(Room).where(Room.event_id == event.id)
                                   .order_by(Room.position, Room.name)))


def state(event: Event) -> AgendaState | None:
    return db.session.get(AgendaState, event.id)


def changes(event: Event, limit: int = 50) -> list[AgendaChange]:
    return list(db.session.scalars(
        select(AgendaChange).where(AgendaChange.event_id == event.id)
        .options(selectinload(AgendaChange.user))
        .order_by(AgendaChange.changed_at.desc(), AgendaChange.id.desc()).limit(limit)))


def earlier_events(event: Event) -> list[Event]:
    return list(db.session.scalars(select(Event).where(
        Event.series_id == event.series_id, Event.id != event.id, Event.start_date < event.start_date)
        .order_by(Event.start_date.desc())))


def personal_session_ids(user_id: int, event: Event) -> set[int]:
    return set(db.session.scalars(
        select(PersonalAgendaItem.session_id).join(AgendaSession)
        .where(PersonalAgendaItem.user_id == user_id, AgendaSession.event_id == event.id)))


def published_sessions(event_id: int, session_ids: set[int]) -> list[AgendaSession]:
    """Some published sessions of an event with room, people and organizations (three queries)."""
    chosen = AgendaSession.id.in_(list(session_ids))
    sessions = list(db.session.scalars(
        select(AgendaSession).where(AgendaSession.event_id == event_id, AgendaSession.is_published.is_(True),
                                    chosen)
        .options(joinedload(AgendaSession.room), joinedload(AgendaSession.event))
        .order_by(*PROGRAMME_ORDER)))
    return _with_people(sessions, chosen)


def personal_choices(user_id: int) -> list[tuple[int, int]]:
    """(session id, event id) of a user's chosen sessions of published agendas, in time order."""
    return [tuple(row) for row in db.session.execute(
        select(AgendaSession.id, AgendaSession.event_id)
        .join(PersonalAgendaItem, PersonalAgendaItem.session_id == AgendaSession.id)
        .join(AgendaState, AgendaState.event_id == AgendaSession.event_id)
        .where(PersonalAgendaItem.user_id == user_id, AgendaSession.is_published.is_(True),
               AgendaState.published_at.is_not(None))
        .order_by(AgendaSession.starts_at.is_(None), AgendaSession.starts_at, AgendaSession.id))]


def agenda_revisions(event_ids: set[int]) -> dict[int, AgendaRevision]:
    statement = _revision_query().where(Event.__table__.c.id.in_(bindparam("ids", expanding=True)))
    return {revision.event_id: revision for revision in _revisions(statement, {"ids": list(event_ids)})}


def has_personal_feed(user_id: int) -> bool:
    return db.session.get(PersonalFeed, user_id) is not None
