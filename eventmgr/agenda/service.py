"""Building, validating and publishing an event's agenda.

Once the agenda is published every change is logged, bumps the session's `sequence`
(so calendar clients take the edit) and the agenda `version` (which keys the exports).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from types import SimpleNamespace

from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from eventmgr.agenda import timing
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
from eventmgr.agenda.timing import local_to_utc
from eventmgr.errors import DomainError, NotFound, ValidationFailed
from eventmgr.extensions import db
from eventmgr.localtime import LocalTimeError
from eventmgr.mail.service import queue_session_cancel
from eventmgr.series.models import Event
from eventmgr.sqltypes import utcnow


class PersonConflict(DomainError):
    """A person is on two overlapping sessions: a warning the organizer may accept."""


def agenda_state(event: Event) -> AgendaState:
    state = db.session.get(AgendaState, event.id)
    if state is None:
        state = AgendaState(event_id=event.id, version=1, updated_at=utcnow())
        db.session.add(state)
        db.session.flush()
    return state


def record_change(event: Event, session: AgendaSession | None, what: str, actor) -> None:
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
    record_change(event, None, f"Room “{room.name}” added", actor)
    return room


def rename_room(room: Room, name: str, actor) -> None:
    old = room.name
    room.name = _check_room_name(room.event, name, room)
    db.session.flush()
    record_change(room.event, None, f"Room “{old}” renamed “{room.name}”", actor)


def delete_room(room: Room, actor) -> None:
    used = db.session.scalar(select(func.count()).where(AgendaSession.room_id == room.id))
    if used:
        raise DomainError(f"“{room.name}” still has {used} session(s); move them first.")
    event = room.event
    db.session.delete(room)
    db.session.flush()
    record_change(event, None, f"Room “{room.name}” deleted", actor)


# Sessions

SESSION_FIELDS = ("kind", "title", "description", "day", "starts_at", "ends_at", "room_id", "parent_id",
                  "is_side_event")


def _validate(event: Event, session: AgendaSession | None, fields: dict) -> None:
    """Field errors for the session's title, day, times and parent."""
    errors: dict[str, list[str]] = {}
    if not (fields.get("title") or "").strip():
        errors["title"] = ["Enter a title."]
    starts, ends, day = fields["starts_at"], fields["ends_at"], fields["day"]
    if ends is not None and starts is None:
        errors["starts_at"] = ["Give the start too, or leave both times empty."]
    elif starts is not None and ends is not None and ends <= starts:
        errors["ends_at"] = ["The end must be after the start."]
    first, last = timing.agenda_window(event)
    if day is not None and not first <= day <= last:
        margin = timing.side_event_days()
        errors.setdefault("starts_at" if starts else "day", []).append(
            f"The day must be within the event's dates or, for a side event, at most "
            f"{margin} day{'s' if margin != 1 else ''} before or after them "
            f"({first.day} {first:%B} to {last.day} {last:%B %Y}).")
    elif ends is not None and timing.local_day(event, ends) > last + dt.timedelta(days=1):
        errors.setdefault("ends_at", []).append("The end is too long after the event.")
    own_id = session.id if session else None
    parent_id = fields.get("parent_id")
    if parent_id is not None:
        parent = db.session.get(AgendaSession, parent_id)
        if parent is None or parent.event_id != event.id or parent_id == own_id:
            errors["parent_id"] = ["Choose a session of this event as the parent."]
    if errors:
        raise ValidationFailed(errors)


def check_clashes(event: Event, session: AgendaSession, *, accept_person_conflicts: bool,
                   person_ids: dict[int, str]) -> None:
    """A room taken at that time is refused; a person on two items at once is a warning the
    organizer may accept ("Save anyway")."""
    if session.starts_at is None:
        return
    start, end = timing.interval(session)
    # Only the items overlapping it, however long the agenda (an open end lasts timing.OPEN_END).
    others = db.session.scalars(select(AgendaSession).where(
        AgendaSession.event_id == event.id, AgendaSession.is_cancelled.is_(False),
        AgendaSession.starts_at < end,
        or_(AgendaSession.ends_at > start,
            and_(AgendaSession.ends_at.is_(None), AgendaSession.starts_at > start - timing.OPEN_END)))).all()
    people: dict[int, set[int]] = {}
    if person_ids and others:
        for session_id, person_id in db.session.execute(
                select(SessionRole.session_id, SessionRole.person_id).where(
                    SessionRole.session_id.in_([o.id for o in others]),
                    SessionRole.person_id.in_(person_ids))):
            people.setdefault(session_id, set()).add(person_id)
    found = timing.clashes(session, others, room_id=session.room_id, person_ids=person_ids,
                           people_of=lambda other: people.get(other.id, set()))
    room = next((clash for clash in found if clash.room), None)
    if room is not None:
        raise ValidationFailed({"room_id": [f"The room is taken by “{room.other.title}” at that time."]})
    shared = [clash for clash in found if clash.people]
    if shared and not accept_person_conflicts:
        names = "; ".join(f"{name} is also on “{clash.other.title}”"
                          for clash in shared for name in clash.people)
        # The form's own box says what ticking it does ("Save anyway…", "Add anyway…").
        raise PersonConflict(f"{names} at that time. Tick the box to keep it anyway.",
                             field="accept_person_conflicts")


def _clean(event: Event, fields: dict) -> dict:
    cleaned = {key: fields.get(key) for key in SESSION_FIELDS}
    cleaned["kind"] = SessionKind(cleaned["kind"])
    cleaned["title"] = (cleaned.get("title") or "").strip()
    cleaned["description"] = (cleaned.get("description") or "").strip()
    if cleaned["starts_at"] is not None:
        cleaned["day"] = timing.local_day(event, cleaned["starts_at"])
    # Outside the event's dates an item is a side event; inside, the organizer says so.
    cleaned["is_side_event"] = (bool(cleaned["is_side_event"])
                                or timing.is_outside_event(event, cleaned["day"]))
    return cleaned


def _day_order(event: Event, day: dt.date | None) -> list:
    condition = AgendaSession.day.is_(None) if day is None else AgendaSession.day == day
    return list(db.session.scalars(
        select(AgendaSession).where(AgendaSession.event_id == event.id, condition)
        .order_by(AgendaSession.position, AgendaSession.id)))


def _place(event: Event, session: AgendaSession) -> None:
    """Give the session its place in its day's programme (agenda.timing.insert_in_day).

    The day's other items are read as plain rows and only the positions that change are
    written, so adding to a long agenda stays cheap.
    """
    condition = AgendaSession.day.is_(None) if session.day is None else AgendaSession.day == session.day
    order = [SimpleNamespace(id=row.id, starts_at=row.starts_at, position=row.position)
             for row in db.session.execute(
                 select(AgendaSession.id, AgendaSession.starts_at, AgendaSession.position)
                 .where(AgendaSession.event_id == event.id, condition)
                 .order_by(AgendaSession.position, AgendaSession.id))
             if session.id is None or row.id != session.id]
    timing.insert_in_day(order, session)
    session.position = order.index(session)
    set_positions({item.id: index for index, item in enumerate(order)
                   if item is not session and item.position != index})


def set_positions(moved: dict[int, int]) -> None:
    """Write new programme positions of items (by id) in one statement; items already loaded
    take them too."""
    if not moved:
        return
    db.session.execute(update(AgendaSession),
                       [{"id": key, "position": value} for key, value in moved.items()])
    for item in db.session.identity_map.values():
        if isinstance(item, AgendaSession) and item.id in moved:
            set_committed_value(item, "position", moved[item.id])


def create_session(event: Event, actor, *, accept_person_conflicts: bool = True, **fields) -> AgendaSession:
    """A new item, in its place in the programme; public at once if the agenda is published."""
    cleaned = _clean(event, fields)
    _validate(event, None, cleaned)
    session = AgendaSession(event_id=event.id, is_published=agenda_state(event).is_published, **cleaned)
    check_clashes(event, session, accept_person_conflicts=accept_person_conflicts, person_ids={})
    db.session.add(session)
    _place(event, session)
    db.session.flush()
    record_change(event, session, f"Session “{session.title}” added", actor)
    return session


def update_session(session: AgendaSession, actor, *, accept_person_conflicts: bool = False,
                   **fields) -> None:
    event = session.event
    cleaned = _clean(event, fields)
    _validate(event, session, cleaned)
    changed = [key for key, value in cleaned.items() if getattr(session, key) != value]
    moved = any(key in changed for key in ("day", "starts_at"))
    with db.session.no_autoflush:
        for key, value in cleaned.items():
            setattr(session, key, value)
        check_clashes(event, session, accept_person_conflicts=accept_person_conflicts,
                       person_ids=people_of(session))
        if moved:
            _place(event, session)
    db.session.flush()
    if changed:
        record_change(event, session, f"Session “{session.title}” changed: {', '.join(changed)}", actor)


def place_session(session: AgendaSession, actor, *, day: dt.date | None, starts_at: dt.datetime | None,
                  ends_at: dt.datetime | None, room_id: int | None,
                  accept_person_conflicts: bool = False) -> None:
    """Move or resize an item on the timetable: a new day, times and room, the rest unchanged."""
    fields = {key: getattr(session, key) for key in SESSION_FIELDS}
    update_session(session, actor, accept_person_conflicts=accept_person_conflicts,
                   **(fields | {"day": day, "starts_at": starts_at, "ends_at": ends_at, "room_id": room_id}))


def add_person(session: AgendaSession, person, role: SessionRoleKind, actor, *, function: str | None = None,
               accept_person_conflicts: bool = False) -> SessionRole:
    """Put a directory person on a session; their function defaults to their position.
    (Organizations, States and functions alone: agenda.roles.add_holder.)"""
    from eventmgr.agenda import roles  # roles builds on this module

    return roles.add_holder(session, role, actor, person=person, function=function,
                            accept_person_conflicts=accept_person_conflicts)


def untimed_count(event: Event) -> int:
    """Items with no time yet: shown "time to be confirmed", left out of calendars and schedules."""
    return db.session.scalar(select(func.count()).where(
        AgendaSession.event_id == event.id, AgendaSession.starts_at.is_(None),
        AgendaSession.is_cancelled.is_(False)))


def people_of(session: AgendaSession) -> dict[int, str]:
    """The people (not organizations or States) on a session, by id, with their names."""
    return {r.person_id: r.person.full_name for r in session.roles if r.person_id is not None}


def speakers_changed(people: list[int] | Select, what: str, *, organizations: list[int] = ()) -> None:
    """The directory changed how some speakers appear (name, organization, country).

    `people` is a list of person ids or a SELECT of them; `organizations` the ids of
    organizations that hold roles themselves. Every session showing one of them is
    recorded as changed, so the exports and the cached public page are rebuilt and
    calendar clients take the new description.
    """
    shown = or_(SessionRole.person_id.in_(people), SessionRole.organization_id.in_(list(organizations)))
    sessions = db.session.scalars(
        select(AgendaSession).where(AgendaSession.id.in_(select(SessionRole.session_id).where(shown)))
        .order_by(AgendaSession.event_id, AgendaSession.id)).all()
    for session in sessions:
        record_change(session.event, session, f"{what} (“{session.title}”)", None)


def move_session(session: AgendaSession, step: int, actor) -> None:
    """Move an item up (-1) or down (+1) in its day's programme.

    An item without a time may go anywhere; two timed items swap only if they start
    together, since the times decide their order.
    """
    order = _day_order(session.event, session.day)
    index = order.index(session)
    target = index + step
    if not 0 <= target < len(order):
        return
    other = order[target]
    if session.starts_at is not None and other.starts_at is not None and other.starts_at != session.starts_at:
        raise DomainError(f"“{other.title}” starts at another time: change the times to reorder them.")
    order[index], order[target] = other, session
    timing.renumber(order)
    db.session.flush()
    record_change(session.event, session, f"Session “{session.title}” moved {'up' if step < 0 else 'down'}",
            actor)


def _copied_roles(session: AgendaSession) -> list[SessionRole]:
    return [SessionRole(person_id=r.person_id, organization_id=r.organization_id, state=r.state,
                        function=r.function, role=r.role, position=r.position) for r in session.roles]


def duplicate_session(session: AgendaSession, actor) -> AgendaSession:
    """A copy without room (rooms may not overlap) and with the same people."""
    fields = {key: getattr(session, key) for key in SESSION_FIELDS}
    fields |= {"title": f"{session.title} (copy)", "room_id": None}
    copy = create_session(session.event, actor, **fields)
    copy.roles = _copied_roles(session)
    db.session.flush()
    return copy


def cancel_session(session: AgendaSession, actor) -> None:
    session.is_cancelled = True
    db.session.flush()
    record_change(session.event, session, f"Session “{session.title}” cancelled", actor)
    queue_session_cancel(session)


def delete_session(session: AgendaSession, actor) -> None:
    """Only a session never published may go; a published one is cancelled instead."""
    if session.is_published:
        raise DomainError("A published session cannot be deleted; cancel it instead.")
    event = session.event
    db.session.delete(session)
    db.session.flush()
    record_change(event, None, f"Draft session “{session.title}” deleted", actor)


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
    sources = list(db.session.scalars(select(AgendaSession).where(AgendaSession.event_id == source.id)
                                      .order_by(AgendaSession.day, AgendaSession.position, AgendaSession.id)))

    def shifted(session: AgendaSession, moment: dt.datetime | None) -> dt.datetime | None:
        # Shift the wall-clock time in the target's zone so 09:00 stays 09:00 across DST.
        if moment is None:
            return None
        local = moment.astimezone(source.zone).replace(tzinfo=None) + shift
        try:
            return local_to_utc(target, local)
        except LocalTimeError as error:
            raise DomainError(f"“{session.title}” cannot be copied: {error.message} Change its time "
                              f"in {source.title} first.", field="source_event_id") from None

    for session in sources:
        day = session.day + shift if session.day else None
        copies[session.id] = AgendaSession(
            event_id=target.id, kind=session.kind, title=session.title, description=session.description,
            day=day, starts_at=shifted(session, session.starts_at), ends_at=shifted(session, session.ends_at),
            is_side_event=session.is_side_event or timing.is_outside_event(target, day),
            room_id=rooms[session.room_id].id if session.room_id else None, position=session.position,
            is_published=published, roles=_copied_roles(session),
        )
        db.session.add(copies[session.id])
    db.session.flush()
    for session in sources:
        if session.parent_id:
            copies[session.id].parent_id = copies[session.parent_id].id
    db.session.flush()
    record_change(target, None, f"Agenda copied from {source.title}", actor)
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
