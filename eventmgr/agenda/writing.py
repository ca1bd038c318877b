"""Writing an imported programme: rooms, new organizations and people, the items in their
places in the programme, and who holds which role, in bulk and in one savepoint."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from sqlalchemy import func, insert, select

from eventmgr.agenda import directory, service, timing
from eventmgr.agenda.entries import ORGANIZATION, PERSON, STATE
from eventmgr.agenda.models import AgendaSession, Room, SessionRole
from eventmgr.agenda.programme import AgendaImport, Item, PeopleEntry
from eventmgr.errors import DomainError
from eventmgr.extensions import db
from eventmgr.normalize import name_key, normalize_email
from eventmgr.registry import service as registry_service
from eventmgr.registry.imports import Issue
from eventmgr.registry.models import Person, person_search_key
from eventmgr.registry.registration import lock_event
from eventmgr.series.models import Event
from eventmgr.sqltypes import utcnow


def _function(entry: PeopleEntry, person_id: int | None, positions: dict[int, str]) -> str:
    """The function on the item; a person's defaults to their position."""
    if entry.function or person_id is None or entry.entry.exact_function:
        return entry.function
    return positions.get(person_id, "")


def apply(event: Event, result: AgendaImport, actor, *, dry_run: bool = False) -> None:
    """Write the items, their rooms, new organizations and people, and the roles, in one
    savepoint; a dry run rolls it back (so its counts are a real run's)."""
    if result.errors:
        return
    if not dry_run and any(entry.needs_choice for entry in result.entries):
        raise DomainError("Choose who is meant for every entry marked “choose” first.")
    if not dry_run:
        # The event's lock: nothing else adds items while their ids are read back by place.
        lock_event(event)
    savepoint = db.session.begin_nested()
    try:
        _write(event, result, actor)
    except Exception:
        savepoint.rollback()
        raise
    if dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
        result.applied = True


def _write(event: Event, result: AgendaImport, actor) -> None:
    published = service.agenda_state(event).is_published
    rooms = {room.name: room for room in db.session.scalars(select(Room).where(Room.event_id == event.id))}
    for item in result.items:
        if item.room and item.room not in rooms:
            rooms[item.room] = Room(event_id=event.id, name=item.room, position=len(rooms))
            db.session.add(rooms[item.room])
            result.new_rooms.append(item.room)
    db.session.flush()
    organizations = _new_organizations(result)
    person_ids = _new_people(result, organizations)
    # A role without a function takes its person's position: a known person's from the
    # directory, a new person's from their first appearance with one.
    positions = dict(db.session.execute(select(Person.id, Person.position).where(
        Person.id.in_({e.person_id for e in result.entries if e.person_id is not None and not e.function})))
        .all())
    for entry in result.entries:
        if entry.new_key in person_ids and entry.function:
            positions.setdefault(person_ids[entry.new_key], entry.function)
    _order(event, result.items)
    now = utcnow()
    rows = [{"event_id": event.id, "kind": item.kind, "title": item.title[:300],
             "description": item.description,
             "day": item.day, "starts_at": item.starts_at, "ends_at": item.ends_at,
             "room_id": rooms[item.room].id if item.room else None, "position": item.position,
             "is_side_event": item.is_side_event, "is_published": published,
             "is_cancelled": item.is_cancelled,
             "sequence": 0, "created_at": now, "updated_at": now, "parent_id": None} for item in result.items]
    if rows:
        # One executemany, then the ids by each item's place (unique within a day): RETURNING
        # in parameter order would cost a statement per row on SQLite.
        after = _last_id(AgendaSession)
        db.session.execute(insert(AgendaSession.__table__), rows)
        ids = {(day, position): identifier for identifier, day, position in db.session.execute(
            select(AgendaSession.id, AgendaSession.day, AgendaSession.position).where(
                AgendaSession.event_id == event.id, AgendaSession.id > after))}
        for item in result.items:
            item.id = ids[(item.day, item.position)]
    roles = []
    for item in result.items:
        seen: set[tuple] = set()
        position = 0
        for entry in item.people:
            person_id = entry.person_id if entry.kind == PERSON else None
            if entry.kind == PERSON and person_id is None:
                person_id = person_ids[entry.new_key]
            organization_id = (entry.organization_id or organizations.get(name_key(entry.new_organization))
                               if entry.kind == ORGANIZATION else None)
            state = entry.entry.state if entry.kind == STATE else None
            holder = (entry.role, person_id, organization_id, state, entry.function)
            if holder in seen or (person_id is not None and (entry.role, person_id) in seen):
                result.issues.append(Issue(entry.row, entry.column, f"“{entry.entry.text}” is twice in "
                                                                    "this cell; kept once.", "warning"))
                continue
            seen |= {holder, (entry.role, person_id)} if person_id else {holder}
            roles.append({"session_id": item.id, "person_id": person_id, "organization_id": organization_id,
                          "state": state, "function": _function(entry, person_id, positions)[:300],
                          "role": entry.role,
                          "position": position})
            position += 1
    if roles:
        db.session.execute(insert(SessionRole.__table__), roles)
    db.session.flush()
    service.record_change(event, None, f"Agenda imported: {len(result.items)} items", actor)


def _new_organizations(result: AgendaImport) -> dict[str, int]:
    """Create the organizations entries name that the directory lacks; name key → id."""
    wanted: dict[str, PeopleEntry] = {}
    for entry in result.entries:
        if entry.new_organization and entry.kind in (PERSON, ORGANIZATION):
            wanted.setdefault(name_key(entry.new_organization), entry)
    if not wanted:
        return {}
    index = registry_service.OrganizationIndex.whole_directory()
    made = {}
    for key, entry in wanted.items():
        made[key] = registry_service.find_or_create_organization(
            entry.new_organization[:300], kind=directory.guess_kind(entry.new_organization),
            country=entry.entry.country if entry.kind == ORGANIZATION else None,
            acronym=entry.entry.acronym[:40], index=index)
    db.session.flush()
    return {key: organization.id for key, organization in made.items()}


def _new_people(result: AgendaImport, organizations: dict[str, int]) -> dict[tuple, int]:
    """Insert the new people in one statement; their key → id."""
    wanted: dict[tuple, PeopleEntry] = {}
    for entry in result.entries:
        if entry.kind == PERSON and entry.person_id is None:
            known = wanted.get(entry.new_key)
            # The fullest entry names the person: "Dr. Arnold Wallraff" rather than "Wallraff".
            if known is None or (entry.entry.given_name and not known.entry.given_name):
                wanted[entry.new_key] = entry
    if not wanted:
        return {}
    now = utcnow()
    rows = []
    for entry in wanted.values():
        parsed = entry.entry
        email = registry_service.check_email(parsed.email) if parsed.email else ""
        rows.append({
            "honorific": parsed.honorific[:40], "given_name": parsed.given_name[:120],
            "family_name": parsed.family_name[:120], "name_order": parsed.name_order, "email": email,
            "email_key": normalize_email(email) if email else None, "position": entry.function[:200],
            "organization_id": entry.organization_id or organizations.get(name_key(entry.new_organization)),
            "country": parsed.country, "consent_to_list": False, "created_at": now,
            "search_key": person_search_key(parsed.given_name, parsed.family_name)})
    after = _last_id(Person)
    db.session.execute(insert(Person.__table__), rows)
    ids = {(key, organization_id, email_key): identifier
           for identifier, key, organization_id, email_key in db.session.execute(
               select(Person.id, Person.search_key, Person.organization_id, Person.email_key)
               .where(Person.id > after))}
    return {new_key: ids[(row["search_key"], row["organization_id"], row["email_key"])]
            for new_key, row in zip(wanted, rows, strict=True)}


def _last_id(model) -> int:
    return db.session.scalar(select(func.max(model.id))) or 0


def _order(event: Event, items: list[Item]) -> None:
    """Programme positions: the imported items after the agenda's own, in file order, timed
    ones among timed ones by their start (agenda.timing.insert_in_day). The agenda's items
    are read as plain rows; those whose place changes are written in one statement."""
    days = {item.day for item in items}
    existing: dict[dt.date | None, list] = {day: [] for day in days}
    for row in db.session.execute(
            select(AgendaSession.id, AgendaSession.day, AgendaSession.starts_at, AgendaSession.position)
            .where(AgendaSession.event_id == event.id).order_by(AgendaSession.position, AgendaSession.id)):
        if row.day in existing:
            existing[row.day].append(SimpleNamespace(id=row.id, starts_at=row.starts_at,
                                                     position=row.position))
    for item in items:
        timing.insert_in_day(existing[item.day], item)
    moved = {}
    for order in existing.values():
        for position, entry in enumerate(order):
            if isinstance(entry, Item):
                entry.position = position
            elif entry.position != position:
                moved[entry.id] = position
    service.set_positions(moved)
