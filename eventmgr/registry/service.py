"""The directory of people: creation, editing and merging (of organizations too); registrations
set by organizers. Organizations are created and matched in organizations.py, whose
functions are also reachable from here."""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from eventmgr.agenda import service as agenda_service
from eventmgr.countries import is_country_code
from eventmgr.errors import Conflict, ValidationFailed
from eventmgr.extensions import db
from eventmgr.normalize import acronym_key, normalize_email
from eventmgr.registry.enums import (
    Attendance,
    NameOrder,
    OrganizationKind,
    ParticipantRole,
    RegistrationStatus,
)
from eventmgr.registry.matching import OrganizationIndex as OrganizationIndex
from eventmgr.registry.matching import match_organization as match_organization  # the directory's lookup
from eventmgr.registry.models import Organization, Person, Registration
from eventmgr.registry.organizations import GOVERNMENT_KINDS as GOVERNMENT_KINDS
from eventmgr.registry.organizations import Placement as Placement
from eventmgr.registry.organizations import add_aliases
from eventmgr.registry.organizations import clean_organization_fields as clean_organization_fields
from eventmgr.registry.organizations import create_organization as create_organization
from eventmgr.registry.organizations import find_or_create_organization as find_or_create_organization
from eventmgr.registry.organizations import place_organization as place_organization
from eventmgr.registry.organizations import update_organization as update_organization
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


def create_person(**fields) -> Person:
    """A new person (new_person's arguments); an email given (normalised) must not belong to anyone yet."""
    person = new_person(**fields)
    if person.email_key is not None and email_taken(person.email_key):
        raise ValidationFailed({"email": [f"{person.email} already belongs to someone in the directory."]})
    db.session.add(person)
    db.session.flush()
    return person


def new_person(*, email: str = "", given_name: str = "", family_name: str, honorific: str = "",
               position: str = "", organization: Organization | None = None,
               country: str | None = None, consent_to_list: bool = False,
               name_order: NameOrder = NameOrder.GIVEN_FAMILY) -> Person:
    """A person made of checked fields, not yet in the session: for a caller that checks the
    address is free (email_taken) when it adds them, e.g. under a lock it takes after this work."""
    cleaned = clean_person_fields({
        "email": email, "given_name": given_name, "family_name": family_name, "name_order": name_order,
        "honorific": honorific, "position": position, "country": country,
        "consent_to_list": consent_to_list,
    })
    return Person(email_key=email_key(cleaned["email"]), organization=organization, **cleaned)


def email_taken(key: str) -> bool:
    """Whether a person in the directory has this email key (one indexed lookup, no object)."""
    return db.session.scalar(select(Person.id).where(Person.email_key == key)) is not None


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
    # The duplicate's names stay findable: its name, acronym and aliases become the kept one's aliases.
    names = [duplicate.name, *duplicate.alias_names]
    if duplicate.acronym and keep.acronym and acronym_key(duplicate.acronym) != acronym_key(keep.acronym):
        names.append(duplicate.acronym)
    keep.acronym = keep.acronym or duplicate.acronym
    keep.country = keep.country or duplicate.country
    keep.state = keep.state or duplicate.state
    keep.size = keep.size or duplicate.size
    duplicate.aliases = []
    db.session.flush()
    add_aliases(keep, names)
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

    The State is kept for organizations listed under a State only (default: the
    organization's State or country); a State taking part as such is always its own.
    """
    if organization is not None and organization.kind is OrganizationKind.STATE:
        state = organization.state
    elif organization is not None and organization.kind is OrganizationKind.GOVERNMENT:
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
