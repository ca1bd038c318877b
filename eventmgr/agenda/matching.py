"""Matching the people of an imported programme to the directory: by email, else by name
(accents ignored, either name order) and organization. A person the directory does not
have will be created; several namesakes make the entry ambiguous, for the organizer to
choose. A fixed number of queries, whatever the file's size.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import select

from eventmgr.agenda import directory
from eventmgr.agenda.entries import FUNCTION, ORGANIZATION, PERSON, Entry, of_organization
from eventmgr.agenda.programme import NEW, AgendaImport, PeopleEntry
from eventmgr.extensions import db
from eventmgr.normalize import name_key, normalize_email, search_key
from eventmgr.registry.imports import Issue
from eventmgr.registry.models import Organization, Person, person_search_key


class _Directory:
    """The directory people, loaded once as plain rows, by email key and by name key; by
    family name too, the first time an entry gives a family name alone."""

    def __init__(self) -> None:
        self.by_email: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        self.organization_of: dict[int, int | None] = {}
        self.families: list[tuple[str, int]] = []
        self._by_family: dict[str, list[int]] | None = None
        for person_id, key, email, family, organization_id in db.session.execute(
                select(Person.id, Person.search_key, Person.email_key, Person.family_name,
                       Person.organization_id)):
            if email:
                self.by_email[email] = person_id
            self.by_name.setdefault(key, []).append(person_id)
            self.organization_of[person_id] = organization_id
            self.families.append((family, person_id))

    def namesakes(self, entry: Entry) -> list[int]:
        if not entry.given_name:
            if self._by_family is None:
                self._by_family = {}
                for family, person_id in self.families:
                    self._by_family.setdefault(_key(family), []).append(person_id)
            return list(self._by_family.get(_key(entry.family_name), []))
        keys = {_key(f"{entry.given_name} {entry.family_name}"),
                _key(f"{entry.family_name} {entry.given_name}")}
        return sorted({person_id for key in keys for person_id in self.by_name.get(key, [])})


# Names repeat across a programme: transliterate each once.
_key = cache(search_key)


def _organization(lookup, name: str, acronym: str):
    """The organization an entry names: "Federal Office … (BAFA)" may be in the directory
    under its name, its acronym, or the name with the parenthesis."""
    if not name:
        return None
    return lookup(name, acronym) or (lookup(f"{name} ({acronym})", "") if acronym else None)


def match_people(result: AgendaImport, choices: dict[str, str] | None = None) -> None:
    """Find every entry in the directory: a fixed number of queries, whatever the file's size.

    An organization named in an entry is matched by `directory.organization_lookup`; a
    known organization or State named alone is a body on the panel, not a person.
    """
    choices = choices or {}
    people = _Directory()
    lookup = directory.organization_lookup()
    new_organizations: set[str] = set()
    for entry in result.entries:
        parsed = entry.entry
        entry.function = parsed.function
        organization = _organization(lookup, parsed.organization, parsed.acronym)
        if parsed.organization_id is not None:
            organization = db.session.get(Organization, parsed.organization_id) or organization
        if parsed.kind == FUNCTION and of_organization(parsed.function):
            body = lookup(of_organization(parsed.function), "")
            if body is not None:
                parsed.kind, organization = ORGANIZATION, body
        if parsed.kind == PERSON and parsed.maybe_organization and parsed.person_id is None:
            body = lookup(parsed.family_name, "")
            if body is not None and not people.namesakes(parsed):
                parsed.kind, organization = ORGANIZATION, body
        entry.kind = parsed.kind
        if organization is not None:
            entry.organization_id = organization.id
        elif parsed.organization:
            entry.new_organization = parsed.organization
            new_organizations.add(name_key(parsed.organization))
        if entry.kind == PERSON:
            _match_person(entry, people, choices.get(entry.key))
    result.organizations_created = len(new_organizations)
    wanted = {candidate for entry in result.entries for candidate in entry.candidates}
    if wanted:
        result.candidates = {p.id: p for p in db.session.scalars(
            select(Person).where(Person.id.in_(wanted)))}
    for entry in result.entries:
        if entry.needs_choice:
            result.issues.append(Issue(entry.row, entry.column, (
                f"“{entry.entry.text}”: {len(entry.candidates)} people in the directory have this name; "
                "choose one, or a new person."), "choice"))
    result.people_created = len(_new_people_keys(result))


def _match_person(entry: PeopleEntry, people: _Directory, choice: str | None) -> None:
    parsed = entry.entry
    if parsed.person_id is not None and parsed.person_id in people.organization_of:
        entry.status, entry.person_id = "matched", parsed.person_id
        return
    if parsed.email and normalize_email(parsed.email) in people.by_email:
        entry.status, entry.person_id = "matched", people.by_email[normalize_email(parsed.email)]
        return
    namesakes = people.namesakes(parsed)
    if entry.organization_id is not None:
        same_body = [p for p in namesakes if people.organization_of[p] == entry.organization_id]
        if len(same_body) == 1:
            entry.status, entry.person_id = "matched", same_body[0]
            return
        namesakes = same_body or namesakes
    elif not parsed.organization and not parsed.email and len(namesakes) == 1:
        entry.status, entry.person_id = "matched", namesakes[0]
        return
    if not namesakes:
        entry.status = "new"
        return
    entry.candidates = namesakes
    key = (choice or "").removeprefix("person:")
    chosen = int(key) if key.isdigit() else None
    if choice == NEW:
        entry.status = "new"
    elif chosen is not None and chosen in namesakes:
        entry.status, entry.person_id = "chosen", chosen
    else:
        entry.status = "ambiguous"


def _new_person_key(entry: PeopleEntry) -> tuple:
    """Entries naming the same new person (same name, organization and email) make one."""
    parsed = entry.entry
    return (person_search_key(parsed.given_name, parsed.family_name), entry.organization_id,
            name_key(entry.new_organization), normalize_email(parsed.email) if parsed.email else "")


def _new_people_keys(result: AgendaImport) -> set[tuple]:
    """Key each entry that makes a new person; a surname alone ("Wallraff") is the one new
    person of the file with that family name, if there is exactly one."""
    new = [entry for entry in result.entries if entry.kind == PERSON and entry.person_id is None]
    for entry in new:
        entry.new_key = _new_person_key(entry)
    full: dict[str, set[tuple]] = {}
    for entry in new:
        if entry.entry.given_name:
            full.setdefault(search_key(entry.entry.family_name), set()).add(entry.new_key)
    for entry in new:
        parsed = entry.entry
        alone = not (parsed.given_name or parsed.organization or parsed.email or entry.organization_id)
        same = full.get(search_key(parsed.family_name), set())
        if alone and len(same) == 1:
            entry.new_key = next(iter(same))
    return {entry.new_key for entry in new}
