"""Composition figures of an event's participants, for the Lists tab and the report.

Counts the same registrations as the enclosure (`counted_registrations_filter`), in
three queries whatever their number.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from eventmgr.countries import country_name
from eventmgr.extensions import db
from eventmgr.registry.enclosure import counted_registrations_filter
from eventmgr.registry.enums import (
    Attendance,
    ListCategory,
    OrganizationKind,
    OrganizationSize,
    ParticipantRole,
    RegistrationStatus,
    Sector,
)
from eventmgr.registry.models import Organization, OrganizationSector, Person, Registration
from eventmgr.registry.service import alphabetical_key
from eventmgr.series.models import Event

EXAMPLES_PER_CATEGORY = 3


@dataclass
class Composition:
    """Who took part. Counts of people unless the name says organizations.

    `by_country` counts people by the State of a government authority (as for the
    enclosure), else their organization's country, else their own; people with no
    country known are left out. `by_sector` counts organizations (one may have
    several sectors). New and returning organizations compare with the counted
    registrations (confirmed or attended) of earlier events of the same series.

    The figures a report's composition sentence needs ("representatives of 39 States"):
    `states` are the States represented — taking part as such or through their
    authorities, as the enclosure's first paragraph lists them — by UN name;
    `government_authorities`, `international_organizations`, `companies_and_associations`
    and `other_entities` count organizations per enclosure paragraph (a State taking part
    as such is no authority); `companies_by_size` counts companies (kind company) by size,
    None for those whose size is not recorded. `examples` name, for the States paragraph,
    the States (UN names), for the others their organizations.
    """

    participants: int = 0
    organizations: int = 0
    without_organization: int = 0
    by_category: dict[ListCategory, int] = field(default_factory=dict)
    organizations_by_category: dict[ListCategory, int] = field(default_factory=dict)
    by_kind: dict[OrganizationKind, int] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)
    by_sector: dict[Sector, int] = field(default_factory=dict)
    by_role: dict[ParticipantRole, int] = field(default_factory=dict)
    examples: dict[ListCategory, list[str]] = field(default_factory=dict)
    new_organizations: list[str] = field(default_factory=list)
    returning_organizations: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    government_authorities: int = 0
    companies_by_size: dict[OrganizationSize | None, int] = field(default_factory=dict)

    @property
    def countries(self) -> int:
        return len(self.by_country)

    @property
    def international_organizations(self) -> int:
        return self.organizations_by_category.get(ListCategory.ORGANIZATIONS, 0)

    @property
    def companies_and_associations(self) -> int:
        return self.organizations_by_category.get(ListCategory.INDUSTRY, 0)

    @property
    def other_entities(self) -> int:
        return self.organizations_by_category.get(ListCategory.OTHERS, 0)

    @property
    def companies_by_size_label(self) -> dict[str, int]:
        return {size.label if size else "Size not recorded": count
                for size, count in self.companies_by_size.items()}

    @property
    def smes(self) -> int:
        return self.companies_by_size.get(OrganizationSize.SME, 0)

    @property
    def large_enterprises(self) -> int:
        return self.companies_by_size.get(OrganizationSize.LARGE, 0)


def _ordered(counter: Counter, order) -> dict:
    """Counts in the enum's order, zeros dropped."""
    return {member: counter[member] for member in order if counter[member]}


def _by_count(counter: Counter) -> dict:
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def compute_composition(event: Event) -> Composition:
    # People counted per distinct combination: far fewer rows than registrations.
    columns = (Registration.role, Registration.state, Person.country.label("person_country"),
               Organization.id.label("organization_id"), Organization.name, Organization.kind,
               Organization.country, Organization.state.label("organization_state"), Organization.size)
    rows = db.session.execute(
        select(*columns, func.count().label("people"))
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Organization, Organization.id == Registration.organization_id)
        .where(counted_registrations_filter(event))
        .group_by(*columns)
    ).all()
    counted_organizations = (select(Registration.organization_id)
                             .where(counted_registrations_filter(event)).scalar_subquery())
    sectors = db.session.execute(
        select(OrganizationSector.organization_id, OrganizationSector.sector)
        .where(OrganizationSector.organization_id.in_(counted_organizations))
    ).all()
    earlier = set(db.session.scalars(
        select(Registration.organization_id).distinct()
        .join(Event, Event.id == Registration.event_id)
        .where(Event.series_id == event.series_id, Event.start_date < event.start_date,
               Registration.organization_id.is_not(None),
               or_(Registration.status == RegistrationStatus.CONFIRMED,
                   Registration.attendance == Attendance.ATTENDED))
    ))

    composition = Composition(participants=sum(row.people for row in rows))
    by_category, by_kind, by_country, by_role = Counter(), Counter(), Counter(), Counter()
    people_per_organization: Counter = Counter()
    people_per_state: Counter = Counter()
    organizations: dict[int, tuple[str, ListCategory]] = {}
    authorities: set[int] = set()
    company_sizes: dict[int, OrganizationSize | None] = {}
    for row in rows:
        by_role[row.role] += row.people
        if row.organization_id is None:
            composition.without_organization += row.people
            country = row.person_country
        else:
            kind = OrganizationKind(row.kind)
            by_category[kind.category] += row.people
            by_kind[kind] += row.people
            people_per_organization[row.organization_id] += row.people
            organizations[row.organization_id] = (row.name, kind.category)
            if kind is OrganizationKind.COMPANY:
                company_sizes[row.organization_id] = row.size
            if kind.category is ListCategory.STATES:
                country = row.state or row.organization_state or row.country
                if kind is OrganizationKind.STATE:
                    country = row.organization_state or row.country
                else:
                    authorities.add(row.organization_id)
                if country:
                    people_per_state[country] += row.people
            else:
                country = row.country or row.person_country
        if country:
            by_country[country] += row.people

    composition.organizations = len(organizations)
    composition.by_category = _ordered(by_category, ListCategory)
    composition.by_kind = _ordered(by_kind, OrganizationKind)
    composition.by_role = _ordered(by_role, ParticipantRole)
    composition.by_country = _by_count(by_country)
    composition.organizations_by_category = _ordered(
        Counter(category for _, category in organizations.values()), ListCategory)
    composition.by_sector = _ordered(Counter(Sector(sector) for _, sector in sectors), Sector)
    composition.states = sorted(people_per_state, key=lambda code: alphabetical_key(country_name(code)))
    composition.government_authorities = len(authorities)
    composition.companies_by_size = _ordered(Counter(company_sizes.values()), [*OrganizationSize, None])
    by_people = sorted(people_per_state, key=lambda code: (-people_per_state[code],
                                                           alphabetical_key(country_name(code))))
    if by_people:
        composition.examples[ListCategory.STATES] = [country_name(code)
                                                     for code in by_people[:EXAMPLES_PER_CATEGORY]]
    for category in ListCategory:
        if category is ListCategory.STATES and by_people:
            continue
        # The organizations that sent the most people, then alphabetically.
        members = sorted((org_id for org_id, (_, cat) in organizations.items() if cat is category),
                         key=lambda org_id: (-people_per_organization[org_id],
                                             alphabetical_key(organizations[org_id][0])))
        if members:
            composition.examples[category] = [organizations[org_id][0]
                                              for org_id in members[:EXAMPLES_PER_CATEGORY]]
    names = sorted(organizations.items(), key=lambda item: alphabetical_key(item[1][0]))
    composition.returning_organizations = [name for org_id, (name, _) in names if org_id in earlier]
    composition.new_organizations = [name for org_id, (name, _) in names if org_id not in earlier]
    return composition
