"""Eager-loaded queries of an event's registrations: the organizer's list, exports, check-in, badges.

Each runs a fixed number of SQL statements whatever the number of registrations.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Row, Select, func, select
from sqlalchemy.orm import contains_eager

from eventmgr.extensions import db
from eventmgr.gcpause import collector_paused
from eventmgr.keyset import Cursor, KeysetPage, beyond, in_reading_direction, page_of
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

# Sort keys end in a unique id (a person registers once per event), so equal names keep one
# order and a keyset page can start after any row; none is NULL, so a row-value comparison
# sees every row (and NULLs sort alike on SQLite and PostgreSQL). The name order is the
# index ix_person_sort_name, which a page walks (_page_ids).
family_key, given_key = func.lower(Person.family_name), func.lower(Person.given_name)
organization_key = func.coalesce(func.lower(Organization.name), "")
SORTS = {
    "name": (family_key, given_key, Person.id),
    "organization": (organization_key, family_key, given_key, Person.id),
    "country": (func.coalesce(country_column, ""), organization_key, family_key, given_key, Person.id),
    "status": (Registration.status, family_key, given_key, Person.id),
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
    return query.where(*_conditions(filters)).order_by(*SORTS[filters.sort])


def _conditions(filters: RegistrationFilter) -> list[ColumnElement[bool]]:
    conditions = [_search(filters.q)]
    if filters.status == "attended":
        conditions.append(Registration.attendance == Attendance.ATTENDED)
    elif filters.status:
        conditions.append(Registration.status == RegistrationStatus(filters.status))
    if filters.category:
        kinds = [kind for kind, category in KIND_CATEGORY.items() if category.value == filters.category]
        conditions.append(Organization.kind.in_(kinds))
    if filters.country:
        conditions.append(country_column == filters.country)
    if filters.role:
        conditions.append(Registration.role == ParticipantRole(filters.role))
    return conditions


def _search(text: str):
    """Name (accents and case aside), organization (as at the event) or email address."""
    return text_matches(text, [Person.search_key, Organization.search_key], email_column=Person.email_key)


def _joined(*columns) -> Select:
    return (select(*columns).select_from(Registration)
            .join(Person, Person.id == Registration.person_id)
            .outerjoin(Organization, Organization.id == Registration.organization_id))


def registrations_page(event: Event, filters: RegistrationFilter, cursor: Cursor | None,
                       per_page: int, *, event_total: int) -> KeysetPage:
    """One keyset page of the filtered list: the cursor row's sort key (with a cursor), the
    rows, and the count of matching rows when a filter narrows the list (1 to 3 queries);
    `event_total`, the event's registrations, is the count of the whole list."""
    keys = SORTS[filters.sort]
    position = cursor and db.session.execute(
        _joined(*keys).where(Registration.id == cursor.row_id, Registration.event_id == event.id)).first()
    if position is None:
        cursor = None
    id_column, ids = _page_ids(event, filters, keys, position, cursor, per_page + 1)
    rows = list(db.session.scalars(filtered(event, filters).where(id_column.in_(ids))))
    total = _count(event, filters) if filters.narrows else event_total
    return page_of(rows, per_page, cursor, total)


def _page_ids(event: Event, filters: RegistrationFilter, keys, position, cursor: Cursor | None,
              limit: int) -> tuple[ColumnElement, Select]:
    """The ids of the page's rows, read in sort order from the cursor.

    In name order the page walks the people's name index and keeps those registered as
    asked (an EXISTS per person, on the registrations' (event, person) key), so it reads
    about a page of index entries whatever the event's size: an index cannot serve an
    ORDER BY on a joined table, and both planners sorted every registration's name. The
    registration date is the index ix_registration_event_id_registered_at; the other
    orders sort the matching rows (the search is a scan in every order).
    """
    if filters.sort == "name":
        registered = (select(Registration.id).select_from(Registration)
                      .outerjoin(Organization, Organization.id == Registration.organization_id)
                      .where(Registration.person_id == Person.id, Registration.event_id == event.id,
                             *_conditions(filters))
                      .correlate(Person))
        query, id_column = select(Person.id).where(registered.exists()), Person.id
    else:
        query = _joined(Registration.id).where(Registration.event_id == event.id, *_conditions(filters))
        id_column = Registration.id
    if position is not None:
        query = query.where(beyond(keys, position, cursor))
    return id_column, query.order_by(*in_reading_direction(keys, cursor)).limit(limit).correlate(None)


def _count(event: Event, filters: RegistrationFilter) -> int:
    matching = _joined(Registration.id).where(Registration.event_id == event.id,
                                              *_conditions(filters)).subquery()
    return db.session.scalar(select(func.count()).select_from(matching))


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
    query = _joined(*EXPORT_FIELDS).where(Registration.event_id == event.id)
    return list(db.session.execute(_narrowed(query, filters)))


def status_counts(event: Event) -> dict[str, int]:
    """Registrations by status, and how many attended (1 query); see `event_total`."""
    rows = db.session.execute(
        select(Registration.status, func.count(),
               func.count().filter(Registration.attendance == Attendance.ATTENDED))
        .where(Registration.event_id == event.id).group_by(Registration.status))
    counts = {status.value: 0 for status in RegistrationStatus} | {"attended": 0}
    for status, count, attended in rows:
        counts[status.value] = count
        counts["attended"] += attended
    return counts


def event_total(counts: dict[str, int]) -> int:
    """The event's registrations, from its status_counts."""
    return sum(counts[status.value] for status in RegistrationStatus)


def checkin_matches(event: Event, text: str, limit: int) -> list[Registration]:
    """The first `limit` confirmed registrations, by name, whose name, email or organization
    contains `text` (1 query; read from the name index as a list page is)."""
    filters = RegistrationFilter(q=text, status=RegistrationStatus.CONFIRMED.value)
    id_column, ids = _page_ids(event, filters, SORTS["name"], None, None, limit)
    return list(db.session.scalars(filtered(event, filters).where(id_column.in_(ids))))


def badge_registrations(event: Event) -> list[Registration]:
    """Everyone confirmed, by family name: one badge each (1 query)."""
    query = _registrations(event).where(Registration.status == RegistrationStatus.CONFIRMED)
    return list(db.session.scalars(query.order_by(*SORTS["name"])))
