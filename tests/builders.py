"""Builders that create test data through the same services users go through."""

from __future__ import annotations

import datetime as dt
import itertools

from eventmgr.extensions import db
from eventmgr.normalize import name_key
from eventmgr.registry.enums import OrganizationKind
from eventmgr.registry.models import Organization
from eventmgr.series import service as series_service
from eventmgr.series.enums import EventStatus, RegistrationMode
from eventmgr.series.models import Event, Series

_counter = itertools.count(1)


def make_series(**overrides) -> Series:
    n = next(_counter)
    fields = {"slug": f"series-{n}", "name": f"Series {n}"} | overrides
    series = series_service.create_series(**fields)
    db.session.commit()
    return series


def make_event(series: Series | None = None, *, status: EventStatus = EventStatus.DRAFT,
               **overrides) -> Event:
    """An event in `series` (a new one by default), moved step by step to `status`."""
    series = series or make_series()
    n = next(_counter)
    fields = {
        "slug": f"event-{n}", "title": f"Conference {n}", "theme": "Compliance",
        "start_date": dt.date(2014, 11, 20), "end_date": dt.date(2014, 11, 21),
        "timezone": "Europe/Berlin", "venue_city": "Frankfurt am Main", "venue_country": "DE",
        "registration_mode": RegistrationMode.OPEN, "capacity": None,
    } | overrides
    event = series_service.create_event(series, **fields)
    order = list(EventStatus)
    for step in order[1:order.index(status) + 1]:
        series_service.change_event_status(event, step)
    db.session.commit()
    return event


def make_organization(name: str | None = None, *, kind=OrganizationKind.COMPANY,
                      country: str | None = "DE", **overrides) -> Organization:
    """A directory organization (the registry service replaces this once it exists)."""
    name = name or f"Organization {next(_counter)}"
    organization = Organization(name=name, name_key=name_key(name), kind=kind, country=country,
                                **overrides)
    db.session.add(organization)
    db.session.commit()
    return organization
