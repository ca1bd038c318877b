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

from eventmgr.countries import parse_country
from eventmgr.errors import ValidationFailed
from eventmgr.extensions import db
from eventmgr.normalize import normalize_email
from eventmgr.registry import service
from eventmgr.registry.enums import (
    Attendance,
    OrganizationKind,
    ParticipantRole,
    RegistrationStatus,
    Sector,
)
from eventmgr.registry.models import Organization, Person, Registration, person_search_key
from eventmgr.registry.registration import lock_event
from eventmgr.series.models import Event
from eventmgr.tabular import Table, TableProblems, column_key, read_table

PERSON_COLUMNS = ("given_name", "family_name", "email", "honorific", "position", "organization",
                  "organization_kind", "country", "state", "sectors")
REGISTRATION_COLUMNS = ("role", "status")
REQUIRED_COLUMNS = ("given_name", "family_name", "email", "organization", "organization_kind")
# "attended" is a status in import files; it means a confirmed registration marked attended.
IMPORT_STATUSES = (*(s.value for s in RegistrationStatus), "attended")
# Person-field errors from the service name the field; the file calls it a column.
FIELD_COLUMNS = {"name": "organization", "kind": "organization_kind"}
EMAIL_CHUNK = 500


@dataclass(frozen=True)
class Issue:
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


@dataclass
class ImportResult:
    validation: Validation
    applied: bool = False
    people_created: int = 0
    people_updated: int = 0
    organizations_created: int = 0
    registrations_created: int = 0
    registrations_updated: int = 0

    @property
    def issues(self) -> list[Issue]:
        return self.validation.issues

    @property
    def errors(self) -> list[Issue]:
        return self.validation.errors

    @property
    def warnings(self) -> list[Issue]:
        return self.validation.warnings


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
            error("country", f"Unknown country “{country_text}”: use a code (DE) or an English name.")
        if state_text and state is None:
            error("state", f"Unknown State “{state_text}”: use a code (DE) or an English name.")
        kind_text = column_key(cells.get("organization_kind", ""))
        kind = kind_text if kind_text in {k.value for k in OrganizationKind} else None
        if kind_text and kind is None:
            error("organization_kind", f"Unknown kind “{cells['organization_kind']}”: use one of "
                  + ", ".join(k.value for k in OrganizationKind) + ".")
        if state and kind and kind != OrganizationKind.GOVERNMENT:
            error("state", "A State is kept for government bodies only; ignored.", "warning")
        sectors = _parse_sectors(cells.get("sectors", ""))
        if sectors is None:
            error("sectors", "Unknown sector: use " + ", ".join(s.value for s in Sector)
                  + ", separated by “;”.")
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
        if kind and cells.get("organization", "").strip():
            try:
                organization = service.clean_organization_fields(
                    name=cells["organization"], kind=kind, country=country, state=state,
                    sectors=sectors or ())
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


def apply_directory(rows: list[PersonRow], result: ImportResult, *,
                    progress: Callable[[int], None] | None = None) -> list[tuple[Person, Organization]]:
    """Create or update the people and organizations of checked rows (no registrations).

    Returns each row's person and organization, in row order; counts and warnings go
    into `result`. Invitation lists use this with rows checked without registration columns.
    New people go in with one bulk INSERT: flushing them one by one costs a statement each.
    """
    index = service.OrganizationIndex(db.session.scalars(select(Organization)))
    known_organizations = {o.id for o in index.by_key.values()}
    organizations = []
    for row in rows:
        organization = service.find_or_create_organization(index=index, **row.organization)
        if organization.kind.value != row.organization["kind"]:
            result.validation.issues.append(Issue(
                row.row, "organization_kind",
                f"“{organization.name}” is in the directory as “{organization.kind.label}”; "
                "kept as such.", "warning"))
        organizations.append(organization)
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
        db.session.execute(insert(Person), new_people)
        people.update(_people_by_email([fields["email_key"] for fields in new_people]))
    db.session.flush()
    result.people_created += len(new_people)
    result.people_updated += len(rows) - len(new_people)
    result.organizations_created = sum(1 for o in index.by_key.values()
                                       if o.id not in known_organizations)
    return [(people[key], organization) for key, organization in zip(keys, organizations, strict=True)]


def apply_people(event: Event, rows: list[PersonRow], result: ImportResult, *,
                 progress: Callable[[int], None] | None = None) -> None:
    """Create or update the people, organizations and registrations of checked rows."""
    applied = apply_directory(rows, result, progress=progress)
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
                        progress: Callable[[int], None] | None = None) -> ImportResult:
    """Read, check and (unless a dry run or any error) apply a participant file. The caller commits."""
    try:
        table = read_table(data, filename)
    except TableProblems as refused:
        # Shown row by row in the preview, like the checks of the columns below.
        return ImportResult(validation=Validation(
            issues=[Issue(p.row, p.column, p.message) for p in refused.problems]))
    result = ImportResult(validation=validate_people(table, with_registration=True))
    if not result.validation.errors:
        apply_rows(event, result, dry_run=dry_run, progress=progress)
    return result


def apply_rows(event: Event, result: ImportResult, *, dry_run: bool,
               progress: Callable[[int], None] | None = None) -> None:
    """Apply checked rows in a savepoint; a dry run rolls it back, so its counts are a real run's.

    A real run holds the event's seat lock, as registration does, so the confirmed count
    it reports is exact. Statuses are set as the file gives them: no waiting-list
    promotion and no message follows an import.
    """
    if not dry_run:
        lock_event(event)
    savepoint = db.session.begin_nested()
    apply_people(event, result.validation.rows, result, progress=progress)
    if event.capacity is not None:
        confirmed = db.session.scalar(select(func.count()).where(
            Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED))
        if confirmed > event.capacity:
            result.validation.issues.append(Issue(
                1, "status", f"The event will have {confirmed} confirmed registrations for "
                f"{event.capacity} seats.", "warning"))
    if dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
        result.applied = True
