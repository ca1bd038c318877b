"""Building, validating and publishing an event's agenda.

Once the agenda is published every change is logged, bumps the session's `sequence`
(so calendar clients take the edit) and the agenda `version` (which keys the exports).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import Select, func, select

from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.agenda.models import (
    AgendaChange,
    AgendaSession,
    AgendaState,
    PersonalAgendaItem,
    PersonalFeed,
    Room,
    SessionRole,
)
from eventmgr.errors import DomainError, NotFound, ValidationFailed
from eventmgr.extensions import db
from eventmgr.localtime import LocalTimeError, to_utc
from eventmgr.mail.service import queue_session_cancel
from eventmgr.registry.models import Person
from eventmgr.series.models import Event
from eventmgr.sqltypes import utcnow


class PersonConflict(DomainError):
    """A person is on two overlapping sessions: a warning the organizer may accept."""


def local_to_utc(event: Event, local: dt.datetime, *, offset: str | None = None,
                 field: str | None = None) -> dt.datetime:
    """A naive wall-clock time in the event's zone as an aware UTC datetime, strictly:
    a time in a spring gap, or one of an autumn overlap without its `offset`, raises
    eventmgr.localtime's NonexistentTime / AmbiguousTime for `field`."""
    return to_utc(local, event.zone, offset=offset, field=field)


def agenda_state(event: Event) -> AgendaState:
    state = db.session.get(AgendaState, event.id)
    if state is None:
        state = AgendaState(event_id=event.id, version=1, updated_at=utcnow())
        db.session.add(state)
        db.session.flush()
    return state


def _record(event: Event, session: AgendaSession | None, what: str, actor) -> None:
    """After publication: log the change, bump the session's sequence and the agenda version."""
    state = agenda_state(event)
    now = utcnow()
    if session is not None:
        session.updated_at = now
    if not state.is_published:
        return
    if session is not None and session.is_published:
        session.sequence += 1
    state.version += 1
    state.updated_at = now
    db.session.add(AgendaChange(event_id=event.id, session_id=session.id if session else None,
                                what=what[:500], user_id=actor.id if actor else None, changed_at=now))
    db.session.flush()


def publish_agenda(event: Event, actor) -> AgendaState:
    """Publish the agenda: every session becomes public; later changes are logged."""
    state = agenda_state(event)
    now = utcnow()
    for session in db.session.scalars(select(AgendaSession).where(AgendaSession.event_id == event.id)):
        session.is_published = True
    if state.published_at is None:
        state.published_at = now
    state.version += 1
    state.updated_at = now
    db.session.add(AgendaChange(event_id=event.id, what="Agenda published",
                                user_id=actor.id if actor else None, changed_at=now))
    db.session.flush()
    return state


# Rooms

def _check_room_name(event: Event, name: str, room: Room | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": ["Enter the room's name."]})
    clash = db.session.scalar(select(Room).where(Room.event_id == event.id, Room.name == name))
    if clash is not None and clash is not room:
        raise ValidationFailed({"name": [f"There is already a room named “{name}”."]})
    return name


def add_room(event: Event, name: str, actor, capacity: int | None = None) -> Room:
    position = db.session.scalar(select(func.count()).where(Room.event_id == event.id))
    room = Room(event_id=event.id, name=_check_room_name(event, name), capacity=capacity,
                position=position)
    db.session.add(room)
    db.session.flush()
    _record(event, None, f"Room “{room.name}” added", actor)
    return room


def rename_room(room: Room, name: str, actor) -> None:
    old = room.name
    room.name = _check_room_name(room.event, name, room)
    db.session.flush()
    _record(room.event, None, f"Room “{old}” renamed “{room.name}”", actor)


def delete_room(room: Room, actor) -> None:
    used = db.session.scalar(select(func.count()).where(AgendaSession.room_id == room.id))
    if used:
        raise DomainError(f"“{room.name}” still has {used} session(s); move them first.")
    event = room.event
    db.session.delete(room)
    db.session.flush()
    _record(event, None, f"Room “{room.name}” deleted", actor)


# Sessions

SESSION_FIELDS = ("kind", "title", "description", "starts_at", "ends_at", "room_id", "parent_id", "position")


def _validate(event: Event, session: AgendaSession | None, fields: dict, accept_person_conflicts: bool,
              person_ids: set[int]) -> None:
    """Field errors for the session's times and room; a warning for people double-booked."""
    errors: dict[str, list[str]] = {}
    if not (fields.get("title") or "").strip():
        errors["title"] = ["Enter a title."]
    starts, ends = fields["starts_at"], fields["ends_at"]
    if ends <= starts:
        errors["ends_at"] = ["The end must be after the start."]
    first = dt.datetime.combine(event.start_date, dt.time(0), event.zone)
    last = dt.datetime.combine(event.end_date + dt.timedelta(days=1), dt.time(0), event.zone)
    if starts < first or starts >= last:
        errors.setdefault("starts_at", []).append("The start must be within the event's dates.")
    if ends > last or ends <= first:
        errors.setdefault("ends_at", []).append("The end must be within the event's dates.")
    own_id = session.id if session else None
    parent_id = fields.get("parent_id")
    if parent_id is not None:
        parent = db.session.get(AgendaSession, parent_id)
        if parent is None or parent.event_id != event.id or parent_id == own_id:
            errors["parent_id"] = ["Choose a session of this event as the parent."]
    if errors:
        raise ValidationFailed(errors)
    overlapping = db.session.scalars(select(AgendaSession).where(
        AgendaSession.event_id == event.id, AgendaSession.starts_at < ends, AgendaSession.ends_at > starts,
        AgendaSession.is_cancelled.is_(False),
    )).all()
    for other in overlapping:
        if other.id == own_id or other.id == parent_id or (own_id and other.parent_id == own_id):
            continue
        if fields.get("room_id") is not None and other.room_id == fields["room_id"]:
            raise ValidationFailed({"room_id": [
                f"The room is taken by “{other.title}” at that time."]})
    if accept_person_conflicts or not person_ids:
        return
    others = [o.id for o in overlapping if o.id != own_id]
    if not others:
        return
    clashes = db.session.execute(
        select(Person, AgendaSession.title).join(SessionRole, SessionRole.person_id == Person.id)
        .join(AgendaSession, AgendaSession.id == SessionRole.session_id)
        .where(SessionRole.session_id.in_(others), Person.id.in_(person_ids))
    ).all()
    if clashes:
        names = "; ".join(f"{person.full_name} is also on “{title}”" for person, title in clashes)
        # The form's own box says what ticking it does ("Save anyway…", "Add anyway…").
        raise PersonConflict(f"{names} at that time. Tick the box to keep it anyway.",
                             field="accept_person_conflicts")


def _clean(fields: dict) -> dict:
    cleaned = {key: fields[key] for key in SESSION_FIELDS if key in fields}
    cleaned["kind"] = SessionKind(cleaned["kind"])
    cleaned["title"] = (cleaned.get("title") or "").strip()
    cleaned["description"] = (cleaned.get("description") or "").strip()
    cleaned.setdefault("position", 0)
    return cleaned


def create_session(event: Event, actor, **fields) -> AgendaSession:
    """A new session; public at once if the agenda is already published."""
    cleaned = _clean(fields)
    _validate(event, None, cleaned, True, set())
    session = AgendaSession(event_id=event.id, is_published=agenda_state(event).is_published,
                            **cleaned)
    db.session.add(session)
    db.session.flush()
    _record(event, session, f"Session “{session.title}” added", actor)
    return session


def update_session(session: AgendaSession, actor, *, accept_person_conflicts: bool = False,
                   **fields) -> None:
    cleaned = _clean(fields)
    person_ids = {role.person_id for role in session.roles}
    _validate(session.event, session, cleaned, accept_person_conflicts, person_ids)
    changed = [key for key, value in cleaned.items() if getattr(session, key) != value]
    for key, value in cleaned.items():
        setattr(session, key, value)
    db.session.flush()
    if changed:
        _record(session.event, session, f"Session “{session.title}” changed: {', '.join(changed)}", actor)


def add_person(session: AgendaSession, person: Person, role: SessionRoleKind, actor, *,
               accept_person_conflicts: bool = False) -> SessionRole:
    if any(r.person_id == person.id and r.role is role for r in session.roles):
        raise ValidationFailed({"person_id": [f"{person.full_name} is already {role.label.lower()}."]})
    fields = {key: getattr(session, key) for key in SESSION_FIELDS}
    _validate(session.event, session, fields, accept_person_conflicts, {person.id})
    link = SessionRole(person=person, role=role, position=len(session.roles))
    session.roles.append(link)
    db.session.flush()
    _record(session.event, session, f"{person.full_name} added to “{session.title}” as {role.label}", actor)
    return link


def remove_person(session: AgendaSession, role_id: int, actor) -> None:
    link = next((r for r in session.roles if r.id == role_id), None)
    if link is None:
        raise NotFound("That person is not on this session.")
    session.roles.remove(link)
    db.session.flush()
    _record(session.event, session, f"{link.person.full_name} removed from “{session.title}”", actor)


def speakers_changed(people: list[int] | Select, what: str) -> None:
    """The directory changed how some speakers appear (name, organization, country).

    `people` is a list of person ids or a SELECT of them. Every session showing one of them
    is recorded as changed, so the exports and the cached public page are rebuilt and
    calendar clients take the new description.
    """
    sessions = db.session.scalars(
        select(AgendaSession).where(AgendaSession.id.in_(
            select(SessionRole.session_id).where(SessionRole.person_id.in_(people))))
        .order_by(AgendaSession.event_id, AgendaSession.id)).all()
    for session in sessions:
        _record(session.event, session, f"{what} (“{session.title}”)", None)


def _ordered(event: Event) -> list[AgendaSession]:
    return list(db.session.scalars(select(AgendaSession).where(AgendaSession.event_id == event.id)
                                   .order_by(AgendaSession.starts_at, AgendaSession.position,
                                             AgendaSession.id)))


def move_session(session: AgendaSession, step: int, actor) -> None:
    """Move a session up (-1) or down (+1) among those starting at the same time."""
    peers = [s for s in _ordered(session.event) if s.starts_at == session.starts_at]
    index = peers.index(session)
    target = index + step
    if not 0 <= target < len(peers):
        return
    peers[index], peers[target] = peers[target], peers[index]
    for position, peer in enumerate(peers):
        peer.position = position
    db.session.flush()
    _record(session.event, session, f"Session “{session.title}” moved {'up' if step < 0 else 'down'}",
            actor)


def duplicate_session(session: AgendaSession, actor) -> AgendaSession:
    """A copy without room (rooms may not overlap) and with the same people."""
    fields = {key: getattr(session, key) for key in SESSION_FIELDS}
    fields |= {"title": f"{session.title} (copy)", "room_id": None, "position": session.position + 1}
    copy = create_session(session.event, actor, **fields)
    copy.roles = [SessionRole(person_id=r.person_id, role=r.role, position=r.position)
                  for r in session.roles]
    db.session.flush()
    return copy


def cancel_session(session: AgendaSession, actor) -> None:
    session.is_cancelled = True
    db.session.flush()
    _record(session.event, session, f"Session “{session.title}” cancelled", actor)
    queue_session_cancel(session)


def delete_session(session: AgendaSession, actor) -> None:
    """Only a session never published may go; a published one is cancelled instead."""
    if session.is_published:
        raise DomainError("A published session cannot be deleted; cancel it instead.")
    event = session.event
    db.session.delete(session)
    db.session.flush()
    _record(event, None, f"Draft session “{session.title}” deleted", actor)


def copy_agenda(source: Event, target: Event, actor) -> int:
    """Copy rooms, sessions and people of an earlier event, shifted by the difference of start dates."""
    if source.series_id != target.series_id or source.id == target.id:
        raise DomainError("Choose another event of the same series.", field="source_event_id")
    if db.session.scalar(select(func.count()).where(AgendaSession.event_id == target.id)):
        raise DomainError("This agenda already has sessions; copy only into an empty agenda.",
                          field="source_event_id")
    shift = target.start_date - source.start_date
    rooms = {}
    existing = {room.name: room
                for room in db.session.scalars(select(Room).where(Room.event_id == target.id))}
    for room in db.session.scalars(select(Room).where(Room.event_id == source.id).order_by(Room.position)):
        rooms[room.id] = existing.get(room.name) or Room(event_id=target.id, name=room.name,
                                                          capacity=room.capacity, position=room.position)
        db.session.add(rooms[room.id])
    db.session.flush()
    published = agenda_state(target).is_published
    copies = {}
    sources = _ordered(source)

    def shifted(session: AgendaSession, moment: dt.datetime) -> dt.datetime:
        # Shift the wall-clock time in the target's zone so 09:00 stays 09:00 across DST.
        local = moment.astimezone(source.zone).replace(tzinfo=None) + shift
        try:
            return local_to_utc(target, local)
        except LocalTimeError as error:
            raise DomainError(f"“{session.title}” cannot be copied: {error.message} Change its time "
                              f"in {source.title} first.", field="source_event_id") from None

    for session in sources:
        copies[session.id] = AgendaSession(
            event_id=target.id, kind=session.kind, title=session.title, description=session.description,
            starts_at=shifted(session, session.starts_at), ends_at=shifted(session, session.ends_at),
            room_id=rooms[session.room_id].id if session.room_id else None, position=session.position,
            is_published=published,
            roles=[SessionRole(person_id=r.person_id, role=r.role, position=r.position)
                   for r in session.roles],
        )
        db.session.add(copies[session.id])
    db.session.flush()
    for session in sources:
        if session.parent_id:
            copies[session.id].parent_id = copies[session.parent_id].id
    db.session.flush()
    _record(target, None, f"Agenda copied from {source.title}", actor)
    return len(sources)


# The personal agenda and its feed

def add_to_personal_agenda(user, session: AgendaSession) -> None:
    if not session.is_published:
        raise NotFound("That session is not on the published agenda.")
    exists = db.session.scalar(select(PersonalAgendaItem).where(
        PersonalAgendaItem.user_id == user.id, PersonalAgendaItem.session_id == session.id))
    if exists is None:
        db.session.add(PersonalAgendaItem(user_id=user.id, session_id=session.id))
        db.session.flush()


def remove_from_personal_agenda(user, session: AgendaSession) -> None:
    item = db.session.scalar(select(PersonalAgendaItem).where(
        PersonalAgendaItem.user_id == user.id, PersonalAgendaItem.session_id == session.id))
    if item is not None:
        db.session.delete(item)
        db.session.flush()


def _feed_token(secret: str, user_id: int, salt: str) -> str:
    return hmac.new(secret.encode(), f"feed:{user_id}:{salt}".encode(), hashlib.sha256).hexdigest()[:40]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def personal_feed_token(user, secret: str, *, renew: bool = False) -> str:
    """The user's feed token, made on first use; `renew` revokes the old one."""
    feed = db.session.get(PersonalFeed, user.id)
    if feed is None:
        feed = PersonalFeed(user_id=user.id)
        db.session.add(feed)
        renew = True
    if renew:
        feed.salt = secrets.token_hex(16)
        feed.token_hash = _token_hash(_feed_token(secret, user.id, feed.salt))
        feed.created_at = utcnow()
        db.session.flush()
    return _feed_token(secret, user.id, feed.salt)


def user_id_for_feed_token(token: str) -> int | None:
    return db.session.scalar(select(PersonalFeed.user_id)
                             .where(PersonalFeed.token_hash == _token_hash(token)))
