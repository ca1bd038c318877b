"""What the home page lists for each signed-in role: the work waiting for them, with its links.

Organizers see the events under way with their next steps; rapporteurs the sessions they
write up and the reports; participants their registrations. A fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.registry import queries as registry_queries
from eventmgr.registry.enums import RegistrationStatus
from eventmgr.registry.models import Registration
from eventmgr.reports.queries import SessionToWriteUp, sessions_to_write_up
from eventmgr.series import overview, queries
from eventmgr.series.enums import EventStatus
from eventmgr.series.models import Event, Series

# Events whose report rapporteurs work on: from the last days of registration to the report.
REPORTING = (EventStatus.REGISTRATION_CLOSED, EventStatus.HELD, EventStatus.REGISTRATION_OPEN)


@dataclass
class EventWork:
    event: Event
    actions: list[overview.NextAction]


@dataclass
class YourWork:
    events: list[EventWork] = field(default_factory=list)
    sessions: list[SessionToWriteUp] = field(default_factory=list)
    reports: list[Event] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.events or self.sessions or self.reports or self.registrations)


def your_work(user) -> YourWork:
    """The signed-in user's work, by role, in the series they hold rights in."""
    work = YourWork()
    writer = user.has_role(Role.RAPPORTEUR, Role.ORGANIZER)
    series_ids = user.granted_series_ids
    in_progress = queries.events_in_progress(series_ids) if writer else []
    managed = [event for event in in_progress if user.manages(event.series_id)]
    figures = queries.figures_of(managed)
    work.events = [EventWork(event, overview.next_actions(event, figures[event.id])) for event in managed]
    work.reports = [event for event in in_progress
                    if not user.manages(event.series_id) and event.status in REPORTING]
    if writer:
        series = select(Series).order_by(Series.name)
        if series_ids is not None:
            series = series.where(Series.id.in_(series_ids))
        work.series = list(db.session.scalars(series))
        if user.person_id is not None:
            work.sessions = sessions_to_write_up(user.person_id, series_ids)
    if user.person is not None:
        work.registrations = [registration for registration in registry_queries.person_history(user.person)
                              if registration.status is not RegistrationStatus.CANCELLED
                              and registration.event.status is not EventStatus.REPORTED]
    return work
