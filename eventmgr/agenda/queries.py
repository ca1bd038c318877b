"""Eager-loaded agenda queries: a fixed number of SQL statements whatever the agenda's size."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from eventmgr.agenda.models import AgendaChange, AgendaSession, AgendaState, Room, SessionRole
from eventmgr.extensions import db
from eventmgr.registry.models import Person
from eventmgr.series.models import Event


def _sessions(event: Event, *, published_only: bool) -> list[AgendaSession]:
    """Sessions with room, people and their organizations in two queries, whatever their number.

    The people are loaded with one join on the event rather than selectinload, whose IN lists
    are split into batches (and so more queries) on large agendas.
    """
    query = (select(AgendaSession).where(AgendaSession.event_id == event.id)
             .options(joinedload(AgendaSession.room))
             .order_by(AgendaSession.starts_at, AgendaSession.position, AgendaSession.id))
    if published_only:
        query = query.where(AgendaSession.is_published.is_(True))
    sessions = list(db.session.scalars(query))
    roles: dict[int, list[SessionRole]] = {session.id: [] for session in sessions}
    for role in db.session.scalars(
            select(SessionRole).join(AgendaSession).where(AgendaSession.event_id == event.id)
            .options(joinedload(SessionRole.person).joinedload(Person.organization))
            .order_by(SessionRole.session_id, SessionRole.position, SessionRole.id)):
        if role.session_id in roles:
            roles[role.session_id].append(role)
    for session in sessions:
        set_committed_value(session, "roles", roles[session.id])
    return sessions


def all_sessions(event: Event) -> list[AgendaSession]:
    """Every session, drafts and cancelled included, for the editor."""
    return _sessions(event, published_only=False)


def public_sessions(event: Event) -> list[AgendaSession]:
    """Published sessions (cancelled ones included: exports mark them cancelled)."""
    return _sessions(event, published_only=True)


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


def person_choices() -> list[tuple[str, str]]:
    """Every person of the directory with their organization, for a select."""
    rows = db.session.execute(
        select(Person).options(selectinload(Person.organization))
        .order_by(Person.family_name, Person.given_name)).scalars()
    return [(str(p.id), f"{p.family_name}, {p.given_name}"
             + (f" — {p.organization.acronym or p.organization.name}" if p.organization else ""))
            for p in rows]


def earlier_events(event: Event) -> list[Event]:
    return list(db.session.scalars(select(Event).where(
        Event.series_id == event.series_id, Event.id != event.id, Event.start_date < event.start_date)
        .order_by(Event.start_date.desc())))
