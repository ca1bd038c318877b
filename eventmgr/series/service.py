"""Series and events: creation, editing, organizers, goals and the status lifecycle."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import select

from eventmgr.countries import is_country_code
from eventmgr.errors import InvalidTransition, NotFound, ValidationFailed
from eventmgr.extensions import db
from eventmgr.normalize import search_key
from eventmgr.registry import registration
from eventmgr.registry.models import Organization
from eventmgr.series.enums import EVENT_STATUS_ORDER, EventStatus, OrganizerRole, RegistrationMode
from eventmgr.series.models import Event, EventGoal, EventOrganizer, Series
from eventmgr.templating import counted

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The dates an event may have: a typo (1914, 20144) must not become an event.
FIRST_DATE, LAST_DATE = dt.date(1990, 1, 1), dt.date(2100, 12, 31)

EVENT_FIELDS = (
    "title", "slug", "theme", "background", "start_date", "end_date", "timezone",
    "venue_name", "venue_city", "venue_country", "registration_mode", "capacity",
)


def is_valid_timezone(name: str) -> bool:
    if name not in available_timezones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _check_slug(slug: str, errors: dict[str, list[str]], *, taken: bool) -> None:
    if not SLUG_PATTERN.match(slug or "") or len(slug) > 80:
        errors.setdefault("slug", []).append(
            "Use lower-case letters, digits and single hyphens (e.g. wiesbaden-2014)."
        )
    elif taken:
        errors.setdefault("slug", []).append(f"The address “{slug}” is already used.")


def suggest_slug(text: str, model: type[Series] | type[Event], *, year: int | None = None) -> str:
    """A free web address made from a name: "Conférence de Genève" → "conference-de-geneve".

    If it is taken: the year added (events of a series often share a title), then a number.
    """
    base = "-".join(search_key(text).split())[:72].strip("-") or model.__name__.lower()
    candidates = [base] + ([f"{base}-{year}"] if year and str(year) not in base else [])
    taken = set(db.session.scalars(select(model.slug).where(model.slug.like(f"{base}%"))))
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    number = 2
    while f"{candidates[-1]}-{number}" in taken:
        number += 1
    return f"{candidates[-1]}-{number}"


def get_series(slug: str) -> Series:
    series = db.session.scalar(select(Series).where(Series.slug == slug))
    if series is None:
        raise NotFound(f"No series “{slug}”.")
    return series


def get_event(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise NotFound(f"No event “{slug}”.")
    return event


def create_series(*, slug: str, name: str, description: str = "",
                  mandate_references: str = "") -> Series:
    """Create a series (a process of recurring conferences)."""
    errors: dict[str, list[str]] = {}
    taken = db.session.scalar(select(Series.id).where(Series.slug == slug)) is not None
    _check_slug(slug, errors, taken=taken)
    if not name.strip():
        errors.setdefault("name", []).append("Give the series a name.")
    if errors:
        raise ValidationFailed(errors)
    series = Series(slug=slug, name=name.strip(), description=description.strip(),
                    mandate_references=mandate_references.strip())
    db.session.add(series)
    db.session.flush()
    return series


def update_series(series: Series, *, slug: str, name: str, description: str,
                  mandate_references: str) -> None:
    errors: dict[str, list[str]] = {}
    taken = db.session.scalar(
        select(Series.id).where(Series.slug == slug, Series.id != series.id)
    ) is not None
    _check_slug(slug, errors, taken=taken)
    if not name.strip():
        errors.setdefault("name", []).append("Give the series a name.")
    if errors:
        raise ValidationFailed(errors)
    series.slug, series.name = slug, name.strip()
    series.description, series.mandate_references = description.strip(), mandate_references.strip()


def _validate_event_fields(fields: dict, *, event_id: int | None) -> None:
    errors: dict[str, list[str]] = {}
    slug = fields.get("slug", "")
    query = select(Event.id).where(Event.slug == slug)
    if event_id is not None:
        query = query.where(Event.id != event_id)
    _check_slug(slug, errors, taken=db.session.scalar(query) is not None)
    if not (fields.get("title") or "").strip():
        errors.setdefault("title", []).append("Give the event a title.")
    start, end = fields.get("start_date"), fields.get("end_date")
    if not isinstance(start, dt.date):
        errors.setdefault("start_date", []).append("Enter the first day of the event.")
    if not isinstance(end, dt.date):
        errors.setdefault("end_date", []).append("Enter the last day of the event.")
    for key, day in (("start_date", start), ("end_date", end)):
        if isinstance(day, dt.date) and not FIRST_DATE <= day <= LAST_DATE:
            errors.setdefault(key, []).append(
                f"Enter a date between {FIRST_DATE.year} and {LAST_DATE.year}.")
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        if end < start:
            errors.setdefault("end_date", []).append("The event cannot end before it starts.")
        elif (end - start).days > 60:
            errors.setdefault("end_date", []).append("An event may last at most 60 days.")
    if not is_valid_timezone(fields.get("timezone") or ""):
        errors.setdefault("timezone", []).append(
            "Choose a time zone from the IANA list, e.g. Europe/Berlin."
        )
    country = fields.get("venue_country")
    if country and not is_country_code(country):
        errors.setdefault("venue_country", []).append("Choose a country from the list.")
    capacity = fields.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or capacity < 1):
        errors.setdefault("capacity", []).append(
            "Capacity is a whole number of seats, at least 1, or empty for no limit."
        )
    if errors:
        raise ValidationFailed(errors)


def _clean(fields: dict) -> dict:
    cleaned = {key: fields[key] for key in EVENT_FIELDS if key in fields}
    for key in ("title", "theme", "background", "venue_name", "venue_city"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    if cleaned.get("venue_country"):
        cleaned["venue_country"] = cleaned["venue_country"].upper()
    else:
        cleaned["venue_country"] = None
    cleaned["registration_mode"] = RegistrationMode(
        cleaned.get("registration_mode") or RegistrationMode.INVITATION_ONLY
    )
    return cleaned


def create_event(series: Series, **fields) -> Event:
    """Create a draft event in a series. Fields are those of EVENT_FIELDS."""
    _validate_event_fields(fields, event_id=None)
    event = Event(series=series, status=EventStatus.DRAFT, **_clean(fields))
    db.session.add(event)
    db.session.flush()
    return event


def update_event(event: Event, **fields) -> None:
    """Change an event's fields; all are checked before any is written.

    The capacity never drops below the confirmed registrations: counted under the
    event's seat lock (as registration counts), so a registration cannot slip in between.
    """
    if fields.get("capacity") is not None:
        registration.lock_event(event)
    merged = {key: getattr(event, key) for key in EVENT_FIELDS} | fields
    _validate_event_fields(merged, event_id=event.id)
    capacity = merged.get("capacity")
    if capacity is not None and capacity != event.capacity:
        confirmed = registration.confirmed_count(event)
        if capacity < confirmed:
            raise ValidationFailed({"capacity": [
                f"{counted(confirmed, 'registration is', 'registrations are')} confirmed: the capacity "
                f"cannot be lower than {confirmed}. Cancel registrations first, or keep at least "
                f"{confirmed} seats."]})
    for key, value in _clean(merged).items():
        setattr(event, key, value)


def set_event_goals(event: Event, goals: Sequence[str]) -> None:
    """Replace the event's goals by these texts, in this order (blank ones dropped)."""
    event.goals = [
        EventGoal(position=index, text=text.strip())
        for index, text in enumerate(g for g in goals if g.strip())
    ]


def set_event_organizers(event: Event, organizers: Sequence[tuple[int, OrganizerRole]]) -> None:
    """Replace the event's organizers by (organization id, role) pairs, in this order."""
    ids = [organization_id for organization_id, _ in organizers]
    if len(set(ids)) != len(ids):
        raise ValidationFailed({"organizers": ["Each organization may be listed once."]})
    found = set(db.session.scalars(select(Organization.id).where(Organization.id.in_(ids))))
    if missing := [i for i in ids if i not in found]:
        raise ValidationFailed({"organizers": [f"Unknown organization id {missing[0]}."]})
    existing = {link.organization_id: link for link in event.organizers}
    links = []
    for position, (organization_id, role) in enumerate(organizers):
        link = existing.get(organization_id) or EventOrganizer(organization_id=organization_id)
        link.role, link.position = OrganizerRole(role), position
        links.append(link)
    event.organizers = links
    db.session.flush()


def allowed_status_moves(event: Event) -> list[EventStatus]:
    """The statuses an event may move to: one step forward, or one step back."""
    index = EVENT_STATUS_ORDER.index(event.status)
    moves = []
    if index + 1 < len(EVENT_STATUS_ORDER):
        moves.append(EVENT_STATUS_ORDER[index + 1])
    if index > 0:
        moves.append(EVENT_STATUS_ORDER[index - 1])
    return moves


def change_event_status(event: Event, status: EventStatus) -> None:
    """Move the event along its lifecycle; jumps are refused."""
    if status not in allowed_status_moves(event):
        raise InvalidTransition(
            f"An event cannot go from “{event.status.label}” to “{status.label}”."
        )
    event.status = status
