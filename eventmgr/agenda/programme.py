"""What a programme import holds: its items, their people entries, what matching made of
each entry, and the problems found (each naming its row, or item, and column)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from eventmgr.agenda.entries import PERSON, Entry
from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.registry.imports import Validation
from eventmgr.registry.models import Person

# The organizer's choice for an ambiguous entry: a new person rather than a namesake.
NEW = "new"


@dataclass
class PeopleEntry:
    """An entry of a people cell, and what matching made of it."""

    key: str  # "r12.speakers.2": names the entry for the organizer's choice
    row: int
    column: str
    role: SessionRoleKind
    entry: Entry
    kind: str = PERSON
    status: str = "new"  # matched | new | ambiguous | chosen
    person_id: int | None = None
    candidates: list[int] = field(default_factory=list)
    organization_id: int | None = None
    new_organization: str = ""  # name of an organization the import creates
    function: str = ""
    new_key: tuple = ()  # entries with the same key make one new person

    @property
    def needs_choice(self) -> bool:
        return self.status == "ambiguous"


@dataclass
class Item:
    row: int
    kind: SessionKind
    title: str
    description: str = ""
    day: dt.date | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    room: str = ""
    is_side_event: bool = False
    is_cancelled: bool = False
    people: list[PeopleEntry] = field(default_factory=list)
    # Filled while applying, for the programme order.
    position: int = 0
    id: int | None = None

    @property
    def is_timed(self) -> bool:
        return self.starts_at is not None


@dataclass
class AgendaImport(Validation):
    """What was read and checked (the issues, errors and warnings of a participant import's
    Validation; its `rows` stay empty) and what applying made of it."""

    items: list[Item] = field(default_factory=list)
    unit: str = "row"  # what Issue.row counts: spreadsheet rows, or items of a schedule file
    source: str = "spreadsheet"
    applied: bool = False
    new_rooms: list[str] = field(default_factory=list)
    people_created: int = 0
    organizations_created: int = 0
    candidates: dict[int, Person] = field(default_factory=dict)

    @property
    def entries(self) -> list[PeopleEntry]:
        return [entry for item in self.items for entry in item.people]

    def count(self, status: str) -> int:
        return sum(1 for entry in self.entries if entry.status == status)

    @property
    def untimed(self) -> int:
        return sum(1 for item in self.items if not item.is_timed)

    @property
    def side_events(self) -> int:
        return sum(1 for item in self.items if item.is_side_event)
