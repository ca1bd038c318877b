"""The directory of organizations and people: creation, matching, editing and merging."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import and_, func, or_, select

from eventmgr.agenda import service as agenda_service
from eventmgr.countries import is_country_code
from eventmgr.errors import Conflict, ValidationFailed
from eventmgr.extensions import db
from eventmgr.normalize import name_key, normalize_email
from eventmgr.registry.enums import (
    Attendance,
    NameOrder,
    OrganizationKind,
    ParticipantRole,
    RegistrationStatus,
    Sector,
)
from eventmgr.registry.models import Organization, OrganizationSector, Person, Registration
from eventmgr.sqltypes import utcnow

PERSON_FIELDS = ("honorific", "given_name", "family_name", "name_order", "email", "position", "country",
                 "consent_to_list")
PERSON_LIMITS = {"honorific": 40, "given_name": 120, "family_name": 120, "email": 254,
                 "position": 200}

# When two people merged were both registered for one event, the stronger registration stays.
STATUS_STRENGTH = (RegistrationStatus.CANCELLED, RegistrationStatus.WAITLISTED,
                   RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED)


def alphabetical_key(text: str) -> tuple[str, str]:
    """Locale-independent, accent-insensitive, case-insensitive sort key (ties: the text itself)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split()), text


def check_email(email: str) -> str:
    """The address as typed (trimmed) if it is well formed; raises ValueError with a message."""
    email = (email or "").strip()
    if not email:
        raise ValueError("Enter an email address.")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(f"“{email}” is not a valid email address ({error}).") from None
    return email


# ---------------------------------------------------------------- organizations

def clean_organization_fields(*, name: str, kind, country: str | None = None,
                              state: str | None = None, acronym: str = "",
                              sectors: Iterable = ()) -> dict:
    """Checked and normalised organization fields; raises ValidationFailed naming each field."""
    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())
    if not name:
        errors.setdefault("name", []).append("Give the organization a name.")
    elif len(name) > 300:
        errors.setdefault("name", []).append("A name may have at most 300 characters.")
    acronym = (acronym or "").strip()
    if len(acronym) > 40:
        errors.setdefault("acronym", []).append("An acronym may have at most 40 characters.")
    try:
        kind = OrganizationKind(kind)
    except ValueError:
        errors.setdefault("kind", []).append("Choose a kind of organization.")
    codes = {}
    for field, value in (("country", country), ("state", state)):
        value = (value or "").strip().upper() or None
        if value and not is_country_code(value):
            errors.setdefault(field, []).append("Choose a country from the list.")
        codes[field] = value
    try:
        sector_set = {Sector(s) for s in sectors}
    except ValueError:
        errors.setdefault("sectors", []).append("Choose sectors from the list.")
        sector_set = set()
    if errors:
        raise ValidationFailed(errors)
    if kind is OrganizationKind.GOVERNMENT:
        codes["state"] = codes["state"] or codes["country"]
    else:
        codes["state"] = None
    return {"name": name, "acronym": acronym, "kind": kind, **codes, "sectors": sector_set}


def _set_sectors(organization: Organization, sectors: set[Sector]) -> None:
    existing = {link.sector: link for link in organization.sector_links}
    organization.sector_links = [existing.get(s) or OrganizationSector(sector=s)
                                 for s in sorted(sectors, key=list(Sector).index)]


def _acronym_keys(name: str, acronym: str) -> set[str]:
    return {a.strip().upper() for a in (acronym, name) if a.strip() and len(a.strip()) <= 40}


class OrganizationIndex:
    """Organizations by name key and acronym: the one rule deciding that two names are one body.

    A name matches an organization with the same name key; failing that, one whose
    acronym equals the acronym given or the name itself ("OPCW").
    """

    def __init__(self, organizations: Iterable[Organization] = ()) -> None:
        self.by_key: dict[str, Organization] = {}
        self.by_acronym: dict[str, Organization] = {}
        for organization in sorted(organizations, key=lambda o: o.id or 0):
            self.add(organization)

    @classmethod
    def candidates_for(cls, name: str, acronym: str = "") -> OrganizationIndex:
        """An index of the few directory rows that could match this name (1 query)."""
        acronyms = _acronym_keys(name, acronym)
        condition = Organization.name_key == name_key(name)
        if acronyms:
            condition = or_(condition, and_(func.upper(Organization.acronym).in_(acronyms),
                                            Organization.acronym != ""))
        return cls(db.session.scalars(select(Organization).where(condition)))

    def add(self, organization: Organization) -> None:
        self.by_key.setdefault(organization.name_key, organization)
        if organization.acronym:
            self.by_acronym.setdefault(organization.acronym.strip().upper(), organization)

    def match(self, name: str, acronym: str = "") -> Organization | None:
        found = self.by_key.get(name_key(name))
        if found is None:
            found = next((self.by_acronym[a] for a in sorted(_acronym_keys(name, acronym))
                          if a in self.by_acronym), None)
        return found


def match_organization(name: str, acronym: str = "") -> Organization | None:
    """The directory organization this name (and acronym) designates, if any."""
    return OrganizationIndex.candidates_for(name, acronym).match(name, acronym)


def create_organization(**fields) -> Organization:
    """A new directory organization (fields as clean_organization_fields takes them)."""
    cleaned = clean_organization_fields(**fields)
    if db.session.scalar(select(Organization.id).where(
            Organization.name_key == name_key(cleaned["name"]))) is not None:
        raise ValidationFailed({"name": [f"“{cleaned['name']}” is already in the directory."]})
    sectors = cleaned.pop("sectors")
    organization = Organization(name_key=name_key(cleaned["name"]), **cleaned)
    _set_sectors(organization, sectors)
    db.session.add(organization)
    db.session.flush()
    return organization


def find_or_create_organization(name: str, *, kind, country: str | None = None,
                                state: str | None = None, acronym: str = "",
                                sectors: Iterable = (),
                                index: OrganizationIndex | None = None) -> Organization:
    """The organization matched by name (or acronym), else a new one.

    A match keeps its own kind, name and codes; blanks (acronym, country, State) are
    filled from the arguments and sectors are added, never removed. Bulk callers pass
    an `index` of the directory (new organizations are added to it) to spare a query.
    """
    cleaned = clean_organization_fields(name=name, kind=kind, country=country, state=state,
                                        acronym=acronym, sectors=sectors)
    single = index is None
    if single:
        index = OrganizationIndex.candidates_for(cleaned["name"], cleaned["acronym"])
    organization = index.match(cleaned["name"], cleaned["acronym"])
    if organization is None:
        sector_set = cleaned.pop("sectors")
        organization = Organization(name_key=name_key(cleaned["name"]), **cleaned)
        _set_sectors(organization, sector_set)
        db.session.add(organization)
        index.add(organization)
        if single:
            db.session.flush()
        return organization
    organization.acronym = organization.acronym or cleaned["acronym"]
    organization.country = organization.country or cleaned["country"]
    if organization.kind is OrganizationKind.GOVERNMENT:
        organization.state = organization.state or cleaned["state"] or organization.country
    if not cleaned["sectors"] <= set(organization.sectors):
        _set_sectors(organization, set(organization.sectors) | cleaned["sectors"])
    return organization


def update_organization(organization: Organization, **fields) -> None:
    """Change an organization; every field is checked before any is written."""
    merged = {"name": organization.name, "kind": organization.kind, "country": organization.country,
              "state": organization.state, "acronym": organization.acronym,
              "sectors": organization.sectors} | fields
    cleaned = clean_organization_fields(**merged)
    if db.session.scalar(select(Organization.id).where(
            Organization.name_key == name_key(cleaned["name"]),
            Organization.id != organization.id)) is not None:
        raise ValidationFailed({"name": [f"“{cleaned['name']}” is already in the directory."]})
    _set_sectors(organization, cleaned.pop("sectors"))
    renamed = cleaned["name"] != organization.name
    for key, value in cleaned.items():
        setattr(organization, key, value)
    organization.name_key = name_key(cleaned["name"])
    db.session.flush()
    if renamed:
        agenda_service.speakers_changed(select(Person.id).where(Person.organization_id == organization.id),
                                        f"Organization renamed “{organization.name}”",
                                        organizations=[organization.id])


# ---------------------------------------------------------------- people

def email_key(email: str) -> str | None:
    """The key one person per address is kept by; None for a person without an address."""
    return normalize_email(email) if email else None


def clean_person_fields(fields: dict) -> dict:
    """Checked and trimmed person fields (those of PERSON_FIELDS present); ValidationFailed names each.

    Only the family name is required: a given name or an email may be unknown (a speaker
    taken from a printed programme); the forms of self-registration ask for both.
    """
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for key in PERSON_FIELDS:
        if key not in fields:
            continue
        value = fields[key]
        if key == "consent_to_list":
            cleaned[key] = bool(value)
            continue
        if key == "name_order":
            try:
                cleaned[key] = NameOrder(value or NameOrder.GIVEN_FAMILY)
            except ValueError:
                errors.setdefault(key, []).append("Choose a name order.")
            continue
        if key == "country":
            value = (value or "").strip().upper() or None
            if value and not is_country_code(value):
                errors.setdefault(key, []).append("Choose a country from the list.")
            cleaned[key] = value
            continue
        value = " ".join((value or "").split())
        if key == "email" and value:
            try:
                value = check_email(value)
            except ValueError as error:
                errors.setdefault(key, []).append(str(error))
        elif key == "family_name" and not value:
            errors.setdefault(key, []).append("Enter the family name.")
        if len(value) > PERSON_LIMITS[key]:
            errors.setdefault(key, []).append(f"At most {PERSON_LIMITS[key]} characters.")
        cleaned[key] = value
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def get_person_by_email(email: str) -> Person | None:
    if not email:
        return None
    return db.session.scalar(select(Person).where(Person.email_key == normalize_email(email)))


def create_person(*, email: str = "", given_name: str = "", family_name: str, honorific: str = "",
                  position: str = "", organization: Organization | None = None,
                  country: str | None = None, consent_to_list: bool = False,
                  name_order: NameOrder = NameOrder.GIVEN_FAMILY) -> Person:
    """A new person; an email given (normalised) must not belong to anyone yet."""
    cleaned = clean_person_fields({
        "email": email, "given_name": given_name, "family_name": family_name, "name_order": name_order,
        "honorific": honorific, "position": position, "country": country,
        "consent_to_list": consent_to_list,
    })
    if get_person_by_email(cleaned["email"]) is not None:
        raise ValidationFailed({"email": [f"{cleaned['email']} already belongs to someone in the "
                                          "directory."]})
    person = Person(email_key=email_key(cleaned["email"]), organization=organization, **cleaned)
    db.session.add(person)
    db.session.flush()
    return person


def find_or_create_person(email: str, **fields) -> Person:
    """The person with this email (normalised), else a new one made from `fields`.

    An existing person is returned unchanged: use update_person to change them.
    """
    return get_person_by_email(email) or create_person(email=email, **fields)


_UNCHANGED = object()


def update_person(person: Person, *, organization=_UNCHANGED, **fields) -> None:
    """Change a person's fields (those given); a changed email must stay unique."""
    cleaned = clean_person_fields(fields)
    if "email" in cleaned:
        key = email_key(cleaned["email"])
        if key is not None and db.session.scalar(select(Person.id).where(
                Person.email_key == key, Person.id != person.id)) is not None:
            raise ValidationFailed({"email": [f"{cleaned['email']} already belongs to someone "
                                              "else in the directory."]})
        person.email_key = key
    shown_before = _as_speaker(person)
    for key, value in cleaned.items():
        setattr(person, key, value)
    if organization is not _UNCHANGED:
        person.organization = organization
    db.session.flush()
    if _as_speaker(person) != shown_before:
        agenda_service.speakers_changed([person.id], f"Speaker details of {person.full_name} changed")


def _as_speaker(person: Person) -> tuple:
    """What agendas show of a person."""
    return person.display_name, person.organization_id, person.country


# ---------------------------------------------------------------- merging

def _repoint(table_column: str, keep_id: int, duplicate_id: int) -> None:
    """Point every foreign key to `table_column` from the duplicate to the kept row.

    A row that would then collide with the kept row's under a unique constraint is
    dropped (or its link cleared when the link is optional and alone in the constraint).
    """
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.target_fullname != table_column:
                continue
            column = fk.parent
            uniques = [list(c.columns) for c in table.constraints
                       if isinstance(c, (sa.UniqueConstraint, sa.PrimaryKeyConstraint))
                       and column.name in c.columns]
            uniques += [[column]] if column.unique else []
            for columns in uniques:
                others = [c for c in columns if c is not column]
                kept = table.alias("kept")
                clash = sa.exists().where(kept.c[column.name] == keep_id,
                                          *[kept.c[c.name] == c for c in others])
                if not others and column.nullable:
                    db.session.execute(sa.update(table).where(column == duplicate_id, clash)
                                       .values({column.name: None}))
                else:
                    db.session.execute(sa.delete(table).where(column == duplicate_id, clash))
            db.session.execute(sa.update(table).where(column == duplicate_id)
                               .values({column.name: keep_id}))


def merge_people(keep: Person, duplicate: Person) -> None:
    """Fold `duplicate` into `keep`: registrations, roles, invitations and account move over.

    Where both were registered for the same event, the stronger registration stays
    (confirmed over pending over waitlisted over cancelled; the kept person's on a tie).
    """
    if keep.id == duplicate.id:
        raise Conflict("Choose two different people to merge.")
    registrations = db.session.scalars(select(Registration).where(
        Registration.person_id.in_((keep.id, duplicate.id)))).all()
    by_event: dict[int, list[Registration]] = {}
    for registration in registrations:
        by_event.setdefault(registration.event_id, []).append(registration)
    for pair in by_event.values():
        if len(pair) == 2:
            pair.sort(key=lambda r: (STATUS_STRENGTH.index(r.status), r.person_id == keep.id))
            weaker = pair[0]
            if weaker.person_id == keep.id:
                # The duplicate's registration wins: drop the kept one's so it can move over.
                db.session.delete(weaker)
    db.session.flush()
    keep.consent_to_list = keep.consent_to_list or duplicate.consent_to_list
    for key in ("honorific", "position", "country"):
        setattr(keep, key, getattr(keep, key) or getattr(duplicate, key))
    if keep.organization_id is None:
        keep.organization_id = duplicate.organization_id
    db.session.flush()
    _repoint("person.id", keep.id, duplicate.id)
    db.session.expunge(duplicate)
    db.session.execute(sa.delete(Person).where(Person.id == duplicate.id))
    db.session.expire_all()
    agenda_service.speakers_changed([keep.id], f"{keep.full_name} merged with a duplicate")


def merge_organizations(keep: Organization, duplicate: Organization) -> None:
    """Fold `duplicate` into `keep`: people, registrations, invitations, sectors move over."""
    if keep.id == duplicate.id:
        raise Conflict("Choose two different organizations to merge.")
    keep.acronym = keep.acronym or duplicate.acronym
    keep.country = keep.country or duplicate.country
    keep.state = keep.state or duplicate.state
    db.session.flush()
    _repoint("organization.id", keep.id, duplicate.id)
    db.session.expunge(duplicate)
    db.session.execute(sa.delete(Organization).where(Organization.id == duplicate.id))
    db.session.expire_all()
    agenda_service.speakers_changed(select(Person.id).where(Person.organization_id == keep.id),
                                    f"{keep.name} merged with a duplicate", organizations=[keep.id])



# ---------------------------------------------------------------- registrations set by organizers

def record_registration(event, person: Person, *, organization: Organization | None,
                        state: str | None = None, role=None, status=RegistrationStatus.CONFIRMED,
                        attendance: Attendance | None = None) -> Registration:
    """Create or update `person`'s registration at `event` with exactly these values.

    For organizers' imports and corrections: the status is set as given, without the
    capacity and waiting-list rules of self-registration and without any message.
    """
    registration = db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.person_id == person.id))
    if registration is None:
        registration = Registration(event_id=event.id, person=person)
        db.session.add(registration)
    set_registration_values(registration, organization=organization, state=state, role=role,
                            status=status, attendance=attendance)
    db.session.flush()
    return registration


def registration_fields(*, organization: Organization | None, state: str | None, role, status,
                        attendance: Attendance | None) -> dict:
    """The column values an organizer sets on a registration.

    The State is kept for government authorities only (default: the organization's
    State or country).
    """
    if organization is not None and organization.kind is OrganizationKind.GOVERNMENT:
        state = state or organization.state or organization.country
    else:
        state = None
    return {"organization_id": organization.id if organization is not None else None, "state": state,
            "role": ParticipantRole(role or ParticipantRole.PARTICIPANT),
            "status": RegistrationStatus(status),
            "attendance": None if attendance is None else Attendance(attendance)}


def set_registration_values(registration: Registration, *, organization: Organization | None,
                            state: str | None, role, status, attendance: Attendance | None) -> None:
    """Set registration_fields on a registration; attendance None leaves the recorded one alone."""
    values = registration_fields(organization=organization, state=state, role=role, status=status,
                                 attendance=attendance)
    if registration.status is not values["status"]:
        registration.status_changed_at = utcnow()
    # The relationship, not organization_id: the organization may not have its id yet.
    registration.organization = organization
    registration.state, registration.role, registration.status = \
        values["state"], values["role"], values["status"]
    if values["attendance"] is not None:
        registration.attendance = values["attendance"]
    registration.consent_to_list = registration.consent_to_list or registration.person.consent_to_list
