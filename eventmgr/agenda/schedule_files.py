"""Reading schedule files into programme items: frab XML and schedule JSON as pretalx and our
own exports write them (c3voc formats), and Indico's JSON export (its HTTP API: an event with
its contributions and sessions, or its timetable).

Our own exports read back exactly: their people carry ids and guids made with this
installation's namespace (so each is found again in the directory, functions and all), and
their descriptions list who holds which role ("Chair: …"). Another tool's people are read
from their names, as speakers.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from eventmgr.agenda import cells, frab
from eventmgr.agenda.entries import ORGANIZATION, PERSON, STATE, Entry, parse_entry
from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.agenda.people import holder_text
from eventmgr.agenda.programme import AgendaImport, Item, PeopleEntry
from eventmgr.errors import DomainError
from eventmgr.extensions import db
from eventmgr.registry.enums import NameOrder
from eventmgr.registry.imports import Issue
from eventmgr.registry.models import Organization, Person
from eventmgr.series.models import Event

CANCELLED = " (cancelled)"
ROLE_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z ]*?)\s*:\s*(.+?)\s*$")
ROLE_LABELS = {label.casefold(): role for role in SessionRoleKind for label in (role.label, role.plural)}
# No entities, no DTD, no network: a schedule file is data, never instructions to the parser.
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class UnreadableSchedule(DomainError):
    pass


def read_schedule(event: Event, data: bytes, filename: str) -> AgendaImport:
    if filename.lower().endswith(".xml"):
        return _from_frab(event, _frab_xml(data))
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableSchedule(f"The JSON file could not be read ({error}).", field="file") from None
    if isinstance(document, dict) and isinstance(document.get("schedule"), dict):
        return _from_frab(event, _frab_json(document))
    if isinstance(document, dict) and "results" in document:
        return _from_indico(event, document["results"])
    raise UnreadableSchedule("This JSON is neither a schedule.json (frab, pretalx) nor an Indico export.",
                             field="file")


# ---------------------------------------------------------------- frab XML and schedule JSON

def _frab_xml(data: bytes) -> dict:
    """The parts of a frab XML we read, in the shape of schedule.json."""
    try:
        root = etree.fromstring(data, SAFE_PARSER)
    except etree.XMLSyntaxError as error:
        raise UnreadableSchedule(f"The XML could not be read ({error}).", field="file") from None
    if root.tag != "schedule":
        raise UnreadableSchedule("This XML is not a schedule: its root element is not <schedule>.",
                                 field="file")
    generator = root.find("generator")
    conference = root.find("conference")
    talks = []
    for day in root.iter("day"):
        for room in day.iter("room"):
            for event in room.iter("event"):
                text = {child.tag: (child.text or "").strip() for child in event}
                talks.append({
                    "line": event.sourceline, "day": day.get("date", ""), **text,
                    "room": text.get("room") or room.get("name", ""),
                    "persons": [{"id": person.get("id"), "guid": person.get("guid"),
                                 "name": (person.text or "").strip()} for person in event.iter("person")],
                })
    return {"generator": generator.get("name", "") if generator is not None else "",
            "zone": conference.findtext("time_zone_name", "") if conference is not None else "",
            "talks": talks}


def _frab_json(document: dict) -> dict:
    conference = document["schedule"].get("conference") or {}
    talks = []
    number = 0
    for day in conference.get("days") or []:
        for room, events in (day.get("rooms") or {}).items():
            for event in events or []:
                number += 1
                talks.append({**{k: v for k, v in event.items() if isinstance(v, str)}, "line": number,
                              "day": day.get("date", ""), "room": event.get("room") or room,
                              "persons": [{"id": p.get("id"), "guid": p.get("guid"),
                                           "name": p.get("name") or p.get("public_name") or ""}
                                          for p in event.get("persons") or [] if isinstance(p, dict)]})
    return {"generator": (document.get("generator") or {}).get("name", ""),
            "zone": conference.get("time_zone_name", ""), "talks": talks}


def _zone(name: str, event: Event):
    try:
        return ZoneInfo(name) if name else event.zone
    except (ZoneInfoNotFoundError, ValueError):
        return event.zone


def _from_frab(event: Event, schedule: dict) -> AgendaImport:
    result = AgendaImport(unit="item", source="schedule")
    ours = schedule["generator"] == frab.GENERATOR["name"]
    zone = _zone(schedule["zone"], event)
    if ours:
        _preload(schedule["talks"])
    for number, talk in enumerate(schedule["talks"], start=1):
        item = _frab_item(event, talk, number, zone, result)
        if item is not None:
            _frab_people(item, talk, ours=ours)
            result.items.append(item)
    if not result.items and not result.errors:
        result.issues.append(Issue(0, None, "The schedule has no items."))
    return result


def _frab_item(event: Event, talk: dict, number: int, zone, result: AgendaImport) -> Item | None:
    def problem(column: str, message: str) -> None:
        result.issues.append(Issue(number, column, f"{message} (line {talk['line']})"
                                   if isinstance(talk["line"], int) and talk["line"] != number else message))

    title = " ".join(talk.get("title", "").split())
    cancelled = title.endswith(CANCELLED)
    title = title.removesuffix(CANCELLED)
    if not title:
        problem("title", "An item without a title.")
    starts_at = None
    try:
        if talk.get("date"):
            starts_at = dt.datetime.fromisoformat(talk["date"])
            if starts_at.tzinfo is None:
                starts_at = starts_at.replace(tzinfo=zone)
        elif talk.get("day") and talk.get("start"):
            starts_at = dt.datetime.combine(dt.date.fromisoformat(talk["day"]),
                                            cells.parse_time(talk["start"]), zone)
        minutes = _frab_minutes(talk.get("duration", ""))
    except (ValueError, TypeError) as error:
        problem("date", f"Unreadable date, start or duration ({error}).")
        return None
    if starts_at is None:
        problem("date", "An item without a date and start.")
        return None
    starts_at = starts_at.astimezone(dt.UTC)
    room = " ".join(talk.get("room", "").split())
    return Item(number, _kind(talk.get("type", ""), title), title, description=_abstract(talk),
                starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=minutes) if minutes else None,
                # Our schedules put an item without a room at the venue at large (agenda/frab.py).
                room="" if room in ("—", event.place or event.title) else room,
                is_side_event=talk.get("track") == frab.SIDE_EVENT_TRACK,
                is_cancelled=cancelled)


def _frab_minutes(text: str) -> int:
    """H:MM, HH:MM or HH:MM:SS; "00:00" for an open end."""
    parts = [int(part) for part in (text or "0:00").split(":")]
    if len(parts) not in (2, 3):
        raise ValueError(f"duration “{text}”")
    return parts[0] * 60 + parts[1]


def _kind(text: str, title: str) -> SessionKind:
    try:
        return cells.parse_kind(text, title)
    except ValueError:
        return cells.parse_kind("", title)


def _abstract(talk: dict) -> str:
    return (talk.get("abstract") or talk.get("description") or "").strip() if not _people_block(
        talk.get("description", "")) else (talk.get("abstract") or "").strip()


def _people_block(text: str) -> list[tuple[SessionRoleKind, list[str]]]:
    """'Chair: A\\nSpeakers: B; C' → [(chair, [A]), (speaker, [B, C])]; [] unless every line is so."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    block = []
    for line in lines:
        match = ROLE_LINE.match(line)
        if not match or match.group(1).casefold() not in ROLE_LABELS:
            return []
        entries = [entry.strip() for entry in match.group(2).split("; ")]
        block.append((ROLE_LABELS[match.group(1).casefold()], entries))
    return block


def _frab_people(item: Item, talk: dict, *, ours: bool) -> None:
    persons = list(talk.get("persons") or [])
    block = _people_block(talk.get("description", "")) if ours else []
    if not block:
        block = [(SessionRoleKind.SPEAKER, [person["name"] for person in persons if person["name"]])]
    index = 0
    for role, texts in block:
        for text in texts:
            # Our people are listed in the same order, with the same text, in both places.
            person = next((p for p in persons if p["name"] == text), None)
            if person is not None:
                persons.remove(person)
            entry = _known(text, person) if ours and person else None
            index += 1
            item.people.append(PeopleEntry(f"i{item.row}.{role.value}.{index}", item.row, "persons", role,
                                           entry or parse_entry(text)))


def _preload(talks: list[dict]) -> None:
    """Load the people and organizations our ids may name in two queries; _known then finds
    them in the session without one each."""
    ids = {int(p["id"]) for talk in talks for p in talk["persons"] if str(p.get("id") or "").isdigit()}
    db.session.scalars(select(Person).where(Person.id.in_(ids)).options(joinedload(Person.organization))).all()
    db.session.scalars(select(Organization).where(
        Organization.id.in_({i - frab.ORGANIZATION_ID_BASE for i in ids}))).all()


def _known(text: str, person: dict) -> Entry | None:
    """The holder an id and guid of this installation name, with the function the text gives."""
    try:
        identifier = int(person.get("id"))
    except (TypeError, ValueError):
        return None
    namespace = uuid.UUID(str(current_app.config["EVENTMGR_UID_NAMESPACE"]))

    def guid(kind: str, key) -> str:
        return str(uuid.uuid5(namespace, f"{kind}-{key}"))

    holder = None
    if person.get("guid") == guid("person", identifier):
        found = db.session.get(Person, identifier)
        holder = found and SimpleNamespace(person=found, organization=None, state=None)
    elif person.get("guid") == guid("organization", identifier - frab.ORGANIZATION_ID_BASE):
        found = db.session.get(Organization, identifier - frab.ORGANIZATION_ID_BASE)
        holder = found and SimpleNamespace(person=None, organization=found, state=None)
    else:
        code = next((c for c in _state_codes() if frab.state_person_id(c) == identifier), None)
        if code and person.get("guid") == guid("state", code):
            holder = SimpleNamespace(person=None, organization=None, state=code)
    if not holder:
        return None
    function = _function_in(text, holder)
    if function is None:
        return None
    entry = Entry(text=text, function=function, exact_function=True)
    if holder.person is not None:
        entry.kind, entry.person_id = PERSON, holder.person.id
        entry.family_name, entry.given_name = holder.person.family_name, holder.person.given_name
        entry.name_order = holder.person.name_order or NameOrder.GIVEN_FAMILY
    elif holder.organization is not None:
        entry.kind, entry.organization_id = ORGANIZATION, holder.organization.id
        entry.organization = holder.organization.name
    else:
        entry.kind, entry.state = STATE, holder.state
    return entry


def _state_codes() -> Iterator[str]:
    from eventmgr.countries import country_choices

    return (code for code, _ in country_choices())


def _function_in(text: str, holder) -> str | None:
    """The function that makes holder_text give exactly `text` (None if none does)."""
    def rendered(function: str) -> str:
        return holder_text(SimpleNamespace(function=function, person=holder.person,
                                           organization=holder.organization, state=holder.state))

    if rendered("") == text:
        return ""
    parts = text.split(", ")
    for start in range(len(parts)):
        for stop in range(len(parts), start, -1):
            function = ", ".join(parts[start:stop])
            if rendered(function) == text:
                return function
    return None


# ---------------------------------------------------------------- Indico

def _indico_moment(value) -> dt.datetime | None:
    if not isinstance(value, dict) or not value.get("date") or not value.get("time"):
        return None
    zone = ZoneInfo(value.get("tz") or "UTC")
    return dt.datetime.combine(dt.date.fromisoformat(value["date"]), dt.time.fromisoformat(value["time"]),
                               zone).astimezone(dt.UTC)


def _indico_entry(person: dict) -> Entry:
    given = person.get("first_name") or person.get("firstName") or ""
    family = person.get("last_name") or person.get("familyName") or ""
    if not family:
        return parse_entry(", ".join(part for part in (person.get("fullName") or person.get("name") or "",
                                                       person.get("affiliation") or "") if part))
    entry = Entry(text=" ".join(part for part in (given, family) if part), given_name=given,
                  family_name=family, email=person.get("email") or "")
    entry.organization = (person.get("affiliation") or "").strip()
    return entry


def _indico_order(entry: dict) -> tuple[str, str]:
    return str((entry.get("startDate") or {}).get("time")), str(entry.get("id"))


def _indico_entries(result) -> Iterator[tuple[dict, str]]:
    """(entry, kind) in order, from an event export (contributions, sessions with theirs) or a
    timetable export (days of entries, sessions with nested entries)."""
    if isinstance(result, list):
        for event in result:
            for contribution in event.get("contributions") or []:
                yield contribution, "contribution"
            for session in event.get("sessions") or []:
                yield session, "session"
                for contribution in session.get("contributions") or []:
                    yield contribution, "contribution"
    elif isinstance(result, dict):
        for days in result.values():
            for day in sorted(days or {}):
                for entry in sorted((days[day] or {}).values(), key=_indico_order):
                    yield entry, (entry.get("entryType") or "contribution").casefold()
                    for child in sorted((entry.get("entries") or {}).values(), key=_indico_order):
                        yield child, (child.get("entryType") or "contribution").casefold()


def _from_indico(event: Event, results) -> AgendaImport:
    result = AgendaImport(unit="item", source="schedule")
    for number, (entry, kind) in enumerate(_indico_entries(results), start=1):
        title = " ".join((entry.get("title") or "").split())
        if not title:
            result.issues.append(Issue(number, "title", "An item without a title."))
            continue
        try:
            starts_at, ends_at = _indico_moment(entry.get("startDate")), _indico_moment(entry.get("endDate"))
        except (ValueError, ZoneInfoNotFoundError) as error:
            result.issues.append(Issue(number, "startDate", f"Unreadable date or time ({error})."))
            continue
        session_kind = SessionKind.BREAK if kind == "break" else (
            SessionKind.PANEL if kind == "session" else _kind(entry.get("type") or "", title))
        item = Item(number, session_kind, title, description=(entry.get("description") or "").strip(),
                    starts_at=starts_at, ends_at=ends_at if starts_at else None,
                    room=" ".join((entry.get("room") or "").split()))
        chairs = entry.get("conveners") or entry.get("sessionConveners") or []
        speakers = entry.get("speakers") or entry.get("presenters") or []
        people = ([(SessionRoleKind.CHAIR, person) for person in chairs]
                  + [(SessionRoleKind.SPEAKER, person) for person in speakers])
        for index, (role, person) in enumerate(people, start=1):
            item.people.append(PeopleEntry(f"i{number}.{role.value}.{index}", number, role.plural.casefold(),
                                           role, _indico_entry(person)))
        result.items.append(item)
    if not result.items and not result.errors:
        result.issues.append(Issue(0, None, "The export has no contributions or sessions."))
    return result
