"""Import of people (and their registrations) from CSV or XLSX: read, check, then apply.

Rows are numbered as a spreadsheet shows them: the header is row 1. Reading and
checking the person columns (`tabular.read_table`, `validate_people`) work without the
registration columns, so invitation lists can be read with the same rules.
An import with any error writes nothing; re-importing a file updates the same
people, organizations and registrations.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select

from eventmgr.countries import country_name, parse_country, unknown_country_message
from eventmgr.errors import ValidationFailed
from eventmgr.extensions import db
from eventmgr.normalize import name_key, normalize_email
from eventmgr.registry import service
from eventmgr.registry.enums import (
    Attendance,
    OrganizationKind,
    OrganizationSize,
    ParticipantRole,
    RegistrationStatus,
    Sector,
)
from eventmgr.registry.matching import OrganizationIndex
from eventmgr.registry.models import Organization, Person, Registration, person_search_key
from eventmgr.registry.naming import read_organization
from eventmgr.registry.organizations import GOVERNMENT_KINDS, clean_organization_fields, place_organization
from eventmgr.registry.registration import lock_event
from eventmgr.series.models import Event
from eventmgr.tabular import Table, TableProblems, column_key, read_table

PERSON_COLUMNS = ("given_name", "family_name", "email", "honorific", "position", "organization",
                  "organization_kind", "acronym", "aliases", "organization_size", "country", "state",
                  "sectors")
REGISTRATION_COLUMNS = ("role", "status")
REQUIRED_COLUMNS = ("given_name", "family_name", "email", "organization", "organization_kind")
# "attended" is a status in import files; it means a confirmed registration marked attended.
IMPORT_STATUSES = (*(s.value for s in RegistrationStatus), "attended")
# Person-field errors from the service name the field; the file calls it a column.
FIELD_COLUMNS = {"name": "organization", "kind": "organization_kind", "size": "organization_size"}
# What people write in the organization_size column.
SIZE_WORDS = {
    OrganizationSize.SME: {"sme", "smes", "small", "medium", "micro", "small or medium", "kmu", "pme",
                           "pyme", "mittelstand"},
    OrganizationSize.LARGE: {"large", "big", "multinational", "large enterprise", "grand", "grande",
                             "gross", "groß", "grossunternehmen", "großunternehmen"},
}
EMAIL_CHUNK = 500


@dataclass(frozen=True)
class Issue:
    """A problem or a remark about a row. Levels: "error" (nothing is imported), "warning"
    (imported, but look), "note" (what the import did with a name: matched, moved, filed)."""

    row: int
    column: str | None
    message: str
    level: str = "error"

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class PersonRow:
    row: int
    person: dict
    organization: dict
    role: ParticipantRole | None = None
    status: RegistrationStatus | None = None
    attendance: Attendance | None = None


@dataclass
class Validation:
    rows: list[PersonRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "warning"]

    @property
    def notes(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "note"]

    def note(self, row: int, column: str | None, message: str, level: str = "note") -> None:
        """A remark about a name, once however many rows repeat it (the first row is named)."""
        if all(issue.message != message for issue in self.issues):
            self.issues.append(Issue(row, column, message, level))


@dataclass(frozen=True)
class DuplicateQuestion:
    """A new organization that may be one already in the directory: the organizer chooses."""

    row: int
    typed_name: str
    created_name: str
    candidates: tuple[tuple[int, str], ...]  # (id, name) of the similar directory entries

    @property
    def key(self) -> str:
        """How the answer names the typed organization (see `same_as` of import_participants)."""
        return name_key(self.typed_name)


@dataclass
class ImportResult:
    validation: Validation
    applied: bool = False
    people_created: int = 0
    people_updated: int = 0
    organizations_created: int = 0
    registrations_created: int = 0
    registrations_updated: int = 0
    questions: list[DuplicateQuestion] = field(default_factory=list)

    @property
    def issues(self) -> list[Issue]:
        return self.validation.issues

    @property
    def errors(self) -> list[Issue]:
        return self.validation.errors

    @property
    def warnings(self) -> list[Issue]:
        return self.validation.warnings

    @property
    def notes(self) -> list[Issue]:
        return self.validation.notes


# ---------------------------------------------------------------- checking

def _parse_sectors(text: str) -> set[Sector] | None:
    """Sectors named by value or label ("IT / telecom"), separated by ";"; None if one is unknown."""
    values = {s.value for s in Sector}
    sectors = set()
    for part in text.split(";"):
        key = re.sub(r"[^a-z0-9]+", "_", part.casefold()).strip("_")
        if not key:
            continue
        if key not in values:
            return None
        sectors.add(Sector(key))
    return sectors


def _parse_size(text: str) -> OrganizationSize | None:
    word = " ".join(text.casefold().replace("-", " ").split())
    return next((size for size, words in SIZE_WORDS.items() if word in words), None)


def _organization_notes(fields: dict) -> list[tuple[str, str]]:
    """What filing a typed organization changes, for the preview; raises ValidationFailed."""
    typed = read_organization(fields["name"], fields["kind"], country=fields["country"],
                              state=fields["state"], acronym=fields["acronym"])
    cleaned = clean_organization_fields(
        name=typed.name, kind=typed.kind, country=typed.country, state=typed.state,
        acronym=typed.acronym, sectors=fields["sectors"], size=fields["size"], aliases=fields["aliases"])
    notes = [("organization", note) for note in typed.notes]
    given = OrganizationKind(fields["kind"])
    typed_name = " ".join(fields["name"].split())
    if cleaned["kind"] is OrganizationKind.STATE:
        if typed.typed_name and not typed.notes:
            notes.append(("organization", f"“{typed_name}” is the State {cleaned['name']} taking part "
                                          "as such: listed as " + cleaned["name"] + "."))
    elif cleaned["state"]:
        state = country_name(cleaned["state"])
        if given not in GOVERNMENT_KINDS:
            notes.append(("organization_kind", f"“{cleaned['name']}” belongs to {state}: listed under "
                                               f"{state} and counted as a government authority (the file "
                                               f"says {given.label.lower()})."))
        if typed.typed_name:
            notes.append(("organization", f"“{typed_name}” is filed as “{cleaned['name']}” under {state}."))
    return notes


def validate_people(table: Table, *, with_registration: bool) -> Validation:
    """Every row checked; issues name the row and the column. Nothing touches the database."""
    validation = Validation()
    issues = validation.issues
    known = PERSON_COLUMNS + (REGISTRATION_COLUMNS if with_registration else ())
    for column in table.columns:
        if column and column not in known:
            issues.append(Issue(1, column, "Unknown column, ignored.", "warning"))
    for column in REQUIRED_COLUMNS:
        if column not in table.columns:
            issues.append(Issue(1, column, "This required column is missing."))
    if validation.errors:
        return validation
    if not table.rows:
        issues.append(Issue(1, None, "The file has a header but no rows."))
        return validation

    seen_emails: dict[str, int] = {}
    for number, cells in table.rows:
        row_issues: list[Issue] = []

        def error(column: str | None, message: str, level: str = "error") -> None:
            row_issues.append(Issue(number, column, message, level))  # noqa: B023

        for column in REQUIRED_COLUMNS:
            if not cells.get(column, "").strip():
                error(column, "Required: this cell is empty.")
        country_text, state_text = cells.get("country", ""), cells.get("state", "")
        country, state = parse_country(country_text), parse_country(state_text)
        if country_text and country is None:
            error("country", unknown_country_message(country_text))
        if state_text and state is None:
            error("state", unknown_country_message(state_text, "State"))
        kind_text = column_key(cells.get("organization_kind", ""))
        kind = kind_text if kind_text in {k.value for k in OrganizationKind} else None
        if kind_text and kind is None:
            error("organization_kind", f"Unknown kind “{cells['organization_kind']}”: use one of "
                  + ", ".join(k.value for k in OrganizationKind) + ".")
        sectors = _parse_sectors(cells.get("sectors", ""))
        if sectors is None:
            error("sectors", "Unknown sector: use " + ", ".join(s.value for s in Sector)
                  + ", separated by “;”.")
        size_text = cells.get("organization_size", "").strip()
        size = _parse_size(size_text)
        if size_text and size is None:
            error("organization_size", f"Unknown size “{size_text}”: use SME or large.")
        # Only the columns the file has: re-importing a narrower file keeps the other fields.
        person_fields = {key: cells.get(key, "") for key in
                         ("given_name", "family_name", "email", "honorific", "position")
                         if key in table.columns}
        try:
            person = service.clean_person_fields(person_fields)
        except ValidationFailed as failure:
            person = {}
            for key, messages in failure.errors.items():
                if key in REQUIRED_COLUMNS and not cells.get(key, "").strip():
                    continue  # already reported as empty
                for message in messages:
                    error(key, message)
        organization = {}
        notes: list[tuple[str, str]] = []
        if kind and cells.get("organization", "").strip():
            organization = {"name": cells["organization"], "kind": kind, "country": country,
                            "state": state, "acronym": cells.get("acronym", ""),
                            "aliases": [a for a in cells.get("aliases", "").split(";") if a.strip()],
                            "sectors": sectors or (), "size": size}
            try:
                notes = _organization_notes(organization)
            except ValidationFailed as failure:
                for key, messages in failure.errors.items():
                    for message in messages:
                        error(FIELD_COLUMNS.get(key, key), message)
        # None: the file has no such column, so a re-import keeps what is recorded.
        role = ParticipantRole.PARTICIPANT if "role" in table.columns else None
        status = RegistrationStatus.CONFIRMED if "status" in table.columns else None
        attendance = None
        if with_registration:
            role_text = column_key(cells.get("role", ""))
            if role_text:
                if role_text in {r.value for r in ParticipantRole}:
                    role = ParticipantRole(role_text)
                else:
                    error("role", f"Unknown role “{cells['role']}”: use one of "
                          + ", ".join(r.value for r in ParticipantRole) + ".")
            status_text = column_key(cells.get("status", ""))
            if status_text == "attended":
                status, attendance = RegistrationStatus.CONFIRMED, Attendance.ATTENDED
            elif status_text in IMPORT_STATUSES:
                status = RegistrationStatus(status_text)
            elif status_text:
                error("status", f"Unknown status “{cells['status']}”: use one of "
                      + ", ".join(IMPORT_STATUSES) + ".")
        email = person.get("email")
        if email:
            key = normalize_email(email)
            if key in seen_emails:
                error("email", f"{email} is already on row {seen_emails[key]}.")
            else:
                seen_emails[key] = number
        issues.extend(row_issues)
        for column, message in notes:
            validation.note(number, column, message)
        if not any(i.level == "error" for i in row_issues):
            if "country" in table.columns:
                person["country"] = country
            validation.rows.append(PersonRow(number, person, organization, role, status, attendance))
    return validation


# ---------------------------------------------------------------- applying

def _people_by_email(keys: list[str]) -> dict[str, Person]:
    found: dict[str, Person] = {}
    for start in range(0, len(keys), EMAIL_CHUNK):
        chunk = keys[start:start + EMAIL_CHUNK]
        found.update((p.email_key, p) for p in db.session.scalars(
            select(Person).where(Person.email_key.in_(chunk))))
    return found


def _by_name_then_acronym(rows: list[PersonRow]) -> list[int]:
    """Row positions, rows giving an acronym or aliases first: a later "UNODA" then matches the
    "United Nations Office for Disarmament Affairs" of the same file that gives it."""
    return sorted(range(len(rows)), key=lambda i: not (rows[i].organization.get("acronym")
                                                      or rows[i].organization.get("aliases")))


def apply_directory(rows: list[PersonRow], result: ImportResult, *,
                    progress: Callable[[int], None] | None = None,
                    same_as: dict[str, int | None] | None = None) -> list[tuple[Person, Organization]]:
    """Create or update the people and organizations of checked rows (no registrations).

    Returns each row's person and organization, in row order; counts, notes, warnings
    and the questions about possible duplicates go into `result`. `same_as` holds the
    organizer's answers to those questions: the typed name's key (DuplicateQuestion.key)
    to the id of the directory entry it is, or None for "a new organization".
    Invitation lists use this with rows checked without registration columns.
    New people go in with one bulk INSERT: flushing them one by one costs a statement each.
    """
    same_as = same_as or {}
    index = OrganizationIndex.whole_directory()
    known = list(index.organizations)
    known_ids = {o.id for o in known}
    chosen = {o.id: o for o in known}
    organizations: list[Organization | None] = [None] * len(rows)
    asked: set[int] = set()
    directory = OrganizationIndex(known)
    for position in _by_name_then_acronym(rows):
        row = rows[position]
        typed_name = " ".join(row.organization["name"].split())
        answer = same_as.get(name_key(typed_name))
        placement = place_organization(index=index, same_as=chosen.get(answer), **row.organization)
        organization = placement.organization
        organizations[position] = organization
        if placement.match is not None and placement.match.by not in ("choice", "state"):
            if placement.match.by != "name" or organization.name_key != name_key(placement.typed.name):
                result.validation.note(row.row, "organization", placement.match.describe(typed_name))
            if organization.state and organization.kind is not placement.kind:
                state = country_name(organization.state)
                result.validation.note(row.row, "organization_kind",
                                       f"“{organization.name}” belongs to {state}: listed under {state} "
                                       f"(the file says {placement.kind.label.lower()}).")
            elif organization.kind is not placement.kind:
                result.validation.note(row.row, "organization_kind",
                                       f"“{organization.name}” is in the directory as "
                                       f"“{organization.kind.label}”; kept as such.", "warning")
        elif placement.created and name_key(typed_name) not in same_as and id(organization) not in asked:
            asked.add(id(organization))
            similar = directory.similar(organization)
            if similar:
                names = " or ".join(f"“{o.name}” (no. {o.id})" for o in similar)
                result.validation.note(row.row, "organization",
                                       f"“{typed_name}” may be a duplicate of {names}.", "warning")
                result.questions.append(DuplicateQuestion(row.row, typed_name, organization.name,
                                                          tuple((o.id, o.name) for o in similar)))
    db.session.flush()  # new organizations get their ids
    keys = [normalize_email(row.person["email"]) for row in rows]
    people = _people_by_email(keys)
    new_people = []
    for number, (row, key, organization) in enumerate(zip(rows, keys, organizations, strict=True), start=1):
        person = people.get(key)
        if person is None:
            new_people.append({"email_key": key, **row.person, "organization_id": organization.id,
                               "search_key": person_search_key(row.person["given_name"],
                                                               row.person["family_name"])})
        else:
            for name, value in row.person.items():
                setattr(person, name, value if name != "country" else value or person.country)
            person.organization = organization
        if progress is not None:
            progress(number)
    if new_people:
        # RETURNING hands back the new rows: selecting them again by email cost PostgreSQL
        # a scan per chunk (its statistics still think the table is empty).
        people.update((p.email_key, p) for p in db.session.scalars(insert(Person).returning(Person),
                                                                  new_people))
    db.session.flush()
    result.people_created += len(new_people)
    result.people_updated += len(rows) - len(new_people)
    result.organizations_created = sum(1 for o in index.organizations if o.id not in known_ids)
    return [(people[key], organization) for key, organization in zip(keys, organizations, strict=True)]


def apply_people(event: Event, rows: list[PersonRow], result: ImportResult, *,
                 progress: Callable[[int], None] | None = None,
                 same_as: dict[str, int | None] | None = None) -> None:
    """Create or update the people, organizations and registrations of checked rows."""
    applied = apply_directory(rows, result, progress=progress, same_as=same_as)
    registrations = {r.person_id: r for r in db.session.scalars(
        select(Registration).where(Registration.event_id == event.id))}
    new_registrations = []
    for row, (person, organization) in zip(rows, applied, strict=True):
        registration = registrations.get(person.id)
        if registration is None:
            new_registrations.append({
                "event_id": event.id, "person_id": person.id, "consent_to_list": person.consent_to_list,
                **service.registration_fields(
                    organization=organization, state=row.organization.get("state"),
                    role=row.role or ParticipantRole.PARTICIPANT,
                    status=row.status or RegistrationStatus.CONFIRMED, attendance=row.attendance)})
        else:
            result.registrations_updated += 1
            service.set_registration_values(
                registration, organization=organization, state=row.organization.get("state"),
                role=row.role or registration.role, status=row.status or registration.status,
                attendance=row.attendance)
    if new_registrations:
        db.session.execute(insert(Registration), new_registrations)
    result.registrations_created += len(new_registrations)
    db.session.flush()


def import_participants(event: Event, data: bytes, filename: str, *, dry_run: bool = False,
                        progress: Callable[[int], None] | None = None,
                        same_as: dict[str, int | None] | None = None) -> ImportResult:
    """Read, check and (unless a dry run or any error) apply a participant file. The caller commits.

    `same_as`: the organizer's answers to the preview's possible-duplicate questions.
    """
    try:
        table = read_table(data, filename)
    except TableProblems as refused:
        # Shown row by row in the preview, like the checks of the columns below.
        return ImportResult(validation=Validation(
            issues=[Issue(p.row, p.column, p.message) for p in refused.problems]))
    result = ImportResult(validation=validate_people(table, with_registration=True))
    if not result.validation.errors:
        apply_rows(event, result, dry_run=dry_run, progress=progress, same_as=same_as)
    return result


def apply_rows(event: Event, result: ImportResult, *, dry_run: bool,
               progress: Callable[[int], None] | None = None,
               same_as: dict[str, int | None] | None = None) -> None:
    """Apply checked rows in a savepoint; a dry run rolls it back, so its counts are a real run's.

    A real run holds the event's seat lock, as registration does, so the confirmed count
    it reports is exact. Statuses are set as the file gives them: no waiting-list
    promotion and no message follows an import.
    """
    if not dry_run:
        lock_event(event)
    savepoint = db.session.begin_nested()
    apply_people(event, result.validation.rows, result, progress=progress, same_as=same_as)
    if event.capacity is not None:
        confirmed = db.session.scalar(select(func.count()).where(
            Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED))
        if confirmed > event.capacity:
            result.validation.issues.append(Issue(
                1, "status", f"The event will have {confirmed} confirmed registrations for "
                f"{event.capacity} seats.", "warning"))
    result.validation.issues.sort(key=lambda issue: issue.row)  # notes made while applying join their rows
    if dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
        result.applied = True
