"""Eager-loaded queries of an event's registrations: the organizer's list, exports, check-in, badges.

Each runs a fixed number of SQL statements whatever the number of registrations.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import contains_eager

from eventmgr.extensions import db
from eventmgr.gcpause import collector_paused
from eventmgr.registry.enums import (
    KIND_CATEGORY,
    Attendance,
    ListCategory,
    ParticipantRole,
    RegistrationStatus,
)
from eventmgr.registry.models import Organization, Person, Registration
from eventmgr.search import text_matches
from eventmgr.series.models import Event

# The State of a government authority, else the organization's country.
country_column = func.coalesce(Registration.state, Organization.country)

SORTS = {
    "name": (func.lower(Person.family_name), func.lower(Person.given_name), Registration.id),
    "organization": (func.lower(Organization.name), func.lower(Person.family_name), Registration.id),
    "country": (country_column, func.lower(Organization.name), func.lower(Person.family_name),
                Registration.id),
    "status": (Registration.status, func.lower(Person.family_name), Registration.id),
    "registered": (Registration.registered_at, Registration.id),
}


@dataclass(frozen=True)
class RegistrationFilter:
    """What the organizer narrowed the list to; empty strings mean "any"."""

    q: str = ""
    status: str = ""
    category: str = ""
    country: str = ""
    role: str = ""
    sort: str = "name"

    @classmethod
    def from_args(cls, args) -> RegistrationFilter:
        values = {key: (args.get(key) or "").strip() for key in
                  ("q", "status", "category", "country", "role", "sort")}
        if values["status"] not in {s.value for s in RegistrationStatus} | {"attended"}:
            values["status"] = ""
        if values["category"] not in {c.value for c in ListCategory}:
            values["category"] = ""
        if values["role"] not in {r.value for r in ParticipantRole}:
            values["role"] = ""
        if values["sort"] not in SORTS:
            values["sort"] = "name"
        values["country"] = values["country"].upper()[:2]
        return cls(**values)

    @property
    def narrows(self) -> bool:
        """Whether any filter is set (the sort order alone narrows nothing)."""
        return any((self.q, self.status, self.category, self.country, self.role))

    def as_args(self) -> dict[str, str]:
        return {key: value for key, value in vars(self).items() if value}


def _registrations(event: Event) -> Select:
    return (select(Registration)
            .join(Registration.person)
            .outerjoin(Registration.organization)
            .options(contains_eager(Registration.person), contains_eager(Registration.organization))
            .where(Registration.event_id == event.id))


def filtered(event: Event, filters: RegistrationFilter) -> Select:
    """The event's registrations narrowed and sorted as the organizer asked."""
    return _narrowed(_registrations(event), filters)


def _narrowed(query: Select, filters: RegistrationFilter) -> Select:
    """`query` (of an event's registrations joined to people and organizations) narrowed and sorted."""
    if filters.status == "attended":
        query = query.where(Registration.attendance == Attendance.ATTENDED)
    elif filters.status:
        query = query.where(Registration.status == RegistrationStatus(filters.status))
    if filters.category:
        kinds = [kind for kind, category in KIND_CATEGORY.items() if category.value == filters.category]
        query = query.where(Organization.kind.in_(kinds))
    if filters.country:
        query = query.where(country_column == filters.country)
    if filters.role:
        query = query.where(Registration.role == ParticipantRole(filters.role))
    return query.where(_search(filters.q)).order_by(*SORTS[filters.sort])


def _search(text: str):
    """Name (accents and case aside), organization (as at the event) or email address."""
    return text_matches(text, [Person.search_key, Organization.search_key], email_column=Person.email_key)


class _RegistrationsPage(SelectPagination):
    """A page sorted on the ids alone, then loaded: sorting every matching registration with
    its person and organization made a page cost grow with the event (17 → 52 ms from ×1 to
    ×10); the count reads the registrations' index when no filter needs the joins."""

    def _query_items(self) -> list[Registration]:
        event, filters = self._query_args["event"], self._query_args["filters"]
        ids = _matching_ids(event, filters).limit(self.per_page).offset(self._query_offset)
        return list(db.session.scalars(filtered(event, filters).where(Registration.id.in_(ids))))

    def _query_count(self) -> int:
        event, filters = self._query_args["event"], self._query_args["filters"]
        if filters.narrows:
            matching = _matching_ids(event, filters).order_by(None).subquery()
            return db.session.scalar(select(func.count()).select_from(matching))
        return db.session.scalar(select(func.count()).select_from(Registration)
                                 .where(Registration.event_id == event.id))


def _matching_ids(event: Event, filters: RegistrationFilter) -> Select:
    return _narrowed(select(Registration.id).select_from(Registration)
                     .join(Person, Person.id == Registration.person_id)
                     .outerjoin(Organization, Organization.id == Registration.organization_id)
                     .where(Registration.event_id == event.id), filters)


def registrations_page(event: Event, filters: RegistrationFilter, page: int, per_page: int):
    """One page of the filtered list (2 queries: the count and the rows)."""
    return _RegistrationsPage(page=page, per_page=per_page, error_out=False, event=event, filters=filters)


# What the exports show of a registration, read as plain rows: building ORM objects for
# thousands of registrations cost most of an export's time (bench/README.md).
EXPORT_FIELDS = (
    Person.honorific, Person.given_name, Person.family_name, Person.name_order, Person.email,
    Person.position,
    Organization.name.label("organization_name"), Organization.kind.label("organization_kind"),
    Organization.country.label("organization_country"), Registration.state, Registration.role,
    Registration.status, Registration.attendance, Registration.dietary_needs, Registration.access_needs,
    Registration.visa_letter, Registration.consent_to_list, Registration.registered_at,
    Registration.status_changed_at, Registration.checked_in_at,
)


@collector_paused()
def registrations_for_export(event: Event, filters: RegistrationFilter) -> list[Row]:
    """Every registration the filters match, as rows of EXPORT_FIELDS (1 query)."""
    query = (select(*EXPORT_FIELDS).select_from(Registration)
             .join(Person, Person.id == Registration.person_id)
             .outerjoin(Organization, Organization.id == Registration.organization_id)
             .where(Registration.event_id == event.id))
    return list(db.session.execute(_narrowed(query, filters)))


def status_counts(event: Event) -> dict[str, int]:
    """Registrations by status, and how many attended (1 query)."""
    rows = db.session.execute(
        select(Registration.status, func.count(),
               func.count().filter(Registration.attendance == Attendance.ATTENDED))
        .where(Registration.event_id == event.id).group_by(Registration.status))
    counts = {status.value: 0 for status in RegistrationStatus} | {"attended": 0}
    for status, count, attended in rows:
        counts[status.value] = count
        counts["attended"] += attended
    return counts


def checkin_matches(event: Event, text: str, limit: int) -> list[Registration]:
    """Confirmed registrations whose name, email or organization contains `text` (1 query)."""
    query = _registrations(event).where(Registration.status == RegistrationStatus.CONFIRMED)
    query = query.where(_search(text))
    return list(db.session.scalars(query.order_by(*SORTS["name"]).limit(limit)))


def badge_registrations(event: Event) -> list[Registration]:
    """Everyone confirmed, by family name: one badge each (1 query)."""
    query = _registrations(event).where(Registration.status == RegistrationStatus.CONFIRMED)
    return list(db.session.scalars(query.order_by(*SORTS["name"])))
