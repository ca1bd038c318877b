"""Eager-loaded queries of the directory and the lists pages (fixed query counts)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from eventmgr.extensions import db
from eventmgr.keyset import Cursor, KeysetPage, beyond, in_reading_direction, page_of
from eventmgr.normalize import name_key
from eventmgr.registry.enclosure import counted_registrations_filter
from eventmgr.registry.enums import ListVisibility, OrganizationKind, RegistrationStatus, Sector
from eventmgr.registry.models import (
    Organization,
    OrganizationAlias,
    OrganizationSector,
    ParticipantListSetting,
    Person,
    Registration,
    person_name,
    person_search_key,
)
from eventmgr.search import escape_like, text_matches
from eventmgr.series.models import Event

PAGE_SIZE = 50


@dataclass
class DirectoryFilters:
    q: str = ""
    kind: OrganizationKind | None = None
    country: str | None = None
    sector: Sector | None = None


def _organization_conditions(filters: DirectoryFilters) -> list:
    # The search key holds the acronym and alternative names too: "1540 Committee" finds its entry.
    conditions = [text_matches(filters.q, [Organization.search_key])]
    if filters.kind:
        conditions.append(Organization.kind == filters.kind)
    if filters.country:
        conditions.append(or_(Organization.country == filters.country,
                              Organization.state == filters.country))
    if filters.sector:
        conditions.append(Organization.sector_links.any(OrganizationSector.sector == filters.sector))
    return conditions


def organizations_page(filters: DirectoryFilters, page: int):
    """A page of organizations with their sectors, and the number of people of each (4 queries)."""
    query = (select(Organization).where(*_organization_conditions(filters))
             .options(selectinload(Organization.sector_links))
             .order_by(Organization.name_key, Organization.id))
    pagination = db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
    people = dict(db.session.execute(
        select(Person.organization_id, func.count())
        .where(Person.organization_id.in_([o.id for o in pagination.items]))
        .group_by(Person.organization_id)).all())
    return pagination, people


# The index ix_person_sort_name: a keyset page reads a page of it instead of sorting the directory.
PEOPLE_ORDER = (func.lower(Person.family_name), func.lower(Person.given_name), Person.id)


def people_page(filters: DirectoryFilters, cursor: Cursor | None, per_page: int = PAGE_SIZE) -> KeysetPage:
    """A keyset page of people with their organization, by name (2 queries: the rows and the
    count; 3 with a cursor, whose row's sort key is read back)."""
    conditions = [text_matches(filters.q, [Person.search_key, Organization.search_key],
                               email_column=Person.email_key)]
    if filters.kind:
        conditions.append(Organization.kind == filters.kind)
    if filters.country:
        conditions.append(or_(Person.country == filters.country, Organization.country == filters.country))
    if filters.sector:
        conditions.append(Organization.sector_links.any(OrganizationSector.sector == filters.sector))
    position = cursor and db.session.execute(select(*PEOPLE_ORDER).where(Person.id == cursor.row_id)).first()
    if position is None:
        cursor = None
    query = (select(Person).outerjoin(Organization, Organization.id == Person.organization_id)
             .where(*conditions).options(joinedload(Person.organization)))
    if position is not None:
        query = query.where(beyond(PEOPLE_ORDER, position, cursor))
    rows = list(db.session.scalars(query.order_by(*in_reading_direction(PEOPLE_ORDER, cursor))
                                   .limit(per_page + 1)))
    if cursor is not None and not cursor.forward:
        rows.reverse()
    total = db.session.scalar(select(func.count()).select_from(
        select(Person.id).outerjoin(Organization, Organization.id == Person.organization_id)
        .where(*conditions).subquery()))
    return page_of(rows, per_page, cursor, total)


def registration_of(event: Event, person_id: int) -> Registration | None:
    """The person's registration at `event`, whatever its status (1 query)."""
    return db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.person_id == person_id))


def active_registration(event: Event, person_id: int) -> Registration | None:
    """The person's registration at `event` while it holds or waits for a seat (1 query)."""
    found = registration_of(event, person_id)
    return found if found is not None and found.status is not RegistrationStatus.CANCELLED else None


def person_history(person: Person) -> list[Registration]:
    """The person's registrations across every series, latest event first (1 query)."""
    return list(db.session.scalars(
        select(Registration).join(Event, Event.id == Registration.event_id)
        .where(Registration.person_id == person.id)
        .options(joinedload(Registration.event).joinedload(Event.series),
                 joinedload(Registration.organization))
        .order_by(Event.start_date.desc())
    ))


@dataclass
class OrganizationEventRow:
    event: Event
    registrations: list[Registration]


def organization_history(organization: Organization) -> list[OrganizationEventRow]:
    """The organization's registrations grouped by event, latest first (1 query)."""
    registrations = db.session.scalars(
        select(Registration).join(Event, Event.id == Registration.event_id)
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.organization_id == organization.id)
        .options(joinedload(Registration.event).joinedload(Event.series),
                 joinedload(Registration.person))
        .order_by(Event.start_date.desc(), Event.id, Person.family_name, Person.given_name)
    ).all()
    rows: dict[int, OrganizationEventRow] = {}
    for registration in registrations:
        rows.setdefault(registration.event_id,
                        OrganizationEventRow(registration.event, [])).registrations.append(registration)
    return list(rows.values())


def organization_people(organization: Organization) -> list[Person]:
    return list(db.session.scalars(select(Person).where(Person.organization_id == organization.id)
                                   .order_by(Person.family_name, Person.given_name)))


def similar_organizations(organization: Organization, limit: int = 10) -> list[Organization]:
    """Organizations that may be the same body: same first word of the name, same name or
    alternative name as matching reads them, or same acronym."""
    first_word = organization.name_key.split(" ", 1)[0]
    keys = [organization.match_key, *(alias.match_key for alias in organization.aliases)]
    conditions = [Organization.name_key.like(escape_like(first_word) + "%", escape="\\"),
                  Organization.match_key.in_(keys),
                  Organization.id.in_(select(OrganizationAlias.organization_id)
                                      .where(OrganizationAlias.match_key.in_(keys)))]
    if organization.acronym:
        conditions.append(func.upper(Organization.acronym) == organization.acronym.upper())
        conditions.append(Organization.name_key == name_key(organization.acronym))
    return list(db.session.scalars(
        select(Organization).where(or_(*conditions), Organization.id != organization.id)
        .order_by(Organization.name_key).limit(limit)))


def similar_people(person: Person, limit: int = 10) -> list[Person]:
    """People with the same name however accented or cased ("Muller" and "Müller"), other addresses."""
    return list(db.session.scalars(
        select(Person).where(Person.search_key == person_search_key(person.given_name, person.family_name),
                             Person.id != person.id)
        .options(joinedload(Person.organization)).limit(limit)))


def list_visibility(event: Event) -> ListVisibility:
    setting = db.session.get(ParticipantListSetting, event.id)
    return setting.visibility if setting else ListVisibility.NONE


class ListedPerson(NamedTuple):
    name: str
    organization: str
    country: str | None


def listed_persons(event: Event) -> list[ListedPerson]:
    """Counted registrations of people who consented to be listed, by name (1 query, plain rows).

    The country is the State of a government authority, else the organization's, else the person's.
    """
    rows = db.session.execute(
        select(Person.honorific, Person.given_name, Person.family_name, Person.name_order,
               Organization.name, Registration.state, Organization.country, Person.country)
        .select_from(Registration).join(Person, Person.id == Registration.person_id)
        .outerjoin(Organization, Organization.id == Registration.organization_id)
        .where(counted_registrations_filter(event), Registration.consent_to_list)
        .order_by(Person.family_name, Person.given_name, Person.id)
    )
    return [ListedPerson(person_name(honorific, given, family, order), organization or "",
                         state or organization_country or person_country)
            for honorific, given, family, order, organization, state, organization_country, person_country
            in rows]


def organization_exists(organization_id: int) -> bool:
    """Whether the directory has this organization (kept in the session for the caller's use)."""
    return db.session.get(Organization, organization_id) is not None


def organization_choices() -> list[tuple[str, str]]:
    """(id, name) of every organization, by name, for select fields; the acronym, if any, after
    the name, so a choice can be found by either."""
    rows = db.session.execute(select(Organization.id, Organization.name, Organization.acronym)
                              .order_by(Organization.name))
    return [(str(row.id), f"{row.name} ({row.acronym})" if row.acronym and row.acronym not in row.name
             else row.name) for row in rows]
