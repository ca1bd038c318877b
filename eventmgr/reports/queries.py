"""Eager-loaded queries shared by the report pages, exports and the process view."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import defer, joinedload, selectinload

from eventmgr.agenda import queries as agenda_queries
from eventmgr.agenda.enums import SessionRoleKind
from eventmgr.agenda.models import AgendaSession, SessionRole
from eventmgr.extensions import db
from eventmgr.registry.enclosure import counted_registrations_filter
from eventmgr.registry.enums import ListCategory, OrganizationKind
from eventmgr.registry.models import Organization, Registration
from eventmgr.registry.service import alphabetical_key
from eventmgr.reports.enums import ReportStatus
from eventmgr.reports.models import Finding, Recommendation, Report, ReportRevision, SessionNote
from eventmgr.series.enums import EventStatus
from eventmgr.series.models import Event, Series


@dataclass
class SessionRecords:
    """A session with what its rapporteurs recorded."""

    session: AgendaSession
    notes: list[SessionNote] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.notes or self.findings or self.recommendations)


def _event_sessions(event_id: int):
    return select(AgendaSession.id).where(AgendaSession.event_id == event_id).scalar_subquery()


def session_records(event: Event) -> list[SessionRecords]:
    """Every session of the event in agenda order with its people, notes, findings and
    recommendations (5 queries)."""
    # The agenda's own loader: its people come in one join, not selectinload's batches of ids.
    records = {s.id: SessionRecords(s) for s in agenda_queries.all_sessions(event)}
    in_event = _event_sessions(event.id)
    for note in db.session.scalars(select(SessionNote).where(SessionNote.session_id.in_(in_event))
                                   .options(joinedload(SessionNote.author))
                                   .order_by(SessionNote.created_at, SessionNote.id)):
        records[note.session_id].notes.append(note)
    for finding in db.session.scalars(select(Finding).where(Finding.session_id.in_(in_event))
                                      .order_by(Finding.created_at, Finding.id)):
        records[finding.session_id].findings.append(finding)
    for recommendation in db.session.scalars(
            select(Recommendation).where(Recommendation.session_id.in_(in_event))
            .order_by(Recommendation.created_at, Recommendation.id)):
        records[recommendation.session_id].recommendations.append(recommendation)
    return list(records.values())


@dataclass(frozen=True)
class SessionToWriteUp:
    """A session someone is rapporteur of, with how much is recorded on it yet."""

    session: AgendaSession
    notes: int
    findings: int
    recommendations: int

    @property
    def written_up(self) -> bool:
        return bool(self.notes)


def sessions_to_write_up(person_id: int, series_ids: set[int] | None = None) -> list[SessionToWriteUp]:
    """Sessions the person is rapporteur of at events not yet reported (in `series_ids` when
    given: where they hold a rapporteur's rights), in agenda order, with their record counts
    (1 query)."""
    def count(model):
        return (select(func.count()).where(model.session_id == AgendaSession.id)
                .correlate(AgendaSession).scalar_subquery())

    rows = db.session.execute(
        select(AgendaSession, count(SessionNote), count(Finding), count(Recommendation))
        .join(Event, Event.id == AgendaSession.event_id)
        .where(AgendaSession.id.in_(select(SessionRole.session_id).where(
                   SessionRole.person_id == person_id, SessionRole.role == SessionRoleKind.RAPPORTEUR)),
               AgendaSession.is_cancelled.is_(False), Event.status != EventStatus.REPORTED,
               true() if series_ids is None else Event.series_id.in_(series_ids))
        .options(joinedload(AgendaSession.event))
        .order_by(Event.start_date, AgendaSession.starts_at, AgendaSession.id))
    return [SessionToWriteUp(session, notes, findings, recommendations)
            for session, notes, findings, recommendations in rows]


def report_of(event: Event) -> Report | None:
    """The event's report with its sections (2 queries)."""
    return db.session.scalar(select(Report).where(Report.event_id == event.id)
                             .options(selectinload(Report.sections)))


def report_status(event: Event) -> ReportStatus | None:
    """The status of the event's report, if it has one (1 query)."""
    return db.session.scalar(select(Report.status).where(Report.event_id == event.id))


def revisions_of(report: Report) -> list[ReportRevision]:
    """Newest first, with their authors; what they store is deferred (1 query)."""
    return list(db.session.scalars(
        select(ReportRevision).where(ReportRevision.report_id == report.id)
        .options(joinedload(ReportRevision.author), defer(ReportRevision.snapshot),
                 defer(ReportRevision.changes))
        .order_by(ReportRevision.number.desc())))


def series_recommendations(series: Series) -> dict[int, list[Recommendation]]:
    """Recommendations of every event of the series, by event id, with their sessions and
    follow-up links (1 query)."""
    by_event: dict[int, list[Recommendation]] = defaultdict(list)
    rows = db.session.scalars(
        select(Recommendation).join(AgendaSession, AgendaSession.id == Recommendation.session_id)
        .join(Event, Event.id == AgendaSession.event_id).where(Event.series_id == series.id)
        .options(joinedload(Recommendation.session),
                 joinedload(Recommendation.follow_up_session).joinedload(AgendaSession.event),
                 joinedload(Recommendation.follow_up_report).joinedload(Report.event))
        .order_by(Event.start_date, *agenda_queries.PROGRAMME_ORDER, Recommendation.id))
    for recommendation in rows:
        by_event[recommendation.session.event_id].append(recommendation)
    return by_event


@dataclass
class Participation:
    """An event's counted participants by category, and the organizations that came back."""

    participants: int = 0
    by_category: dict[ListCategory, int] = field(default_factory=dict)
    returning_organizations: list[str] = field(default_factory=list)


def series_participation(events: list[Event]) -> dict[int, Participation]:
    """For each event of a series, counted as the enclosure counts (1 query for all events).

    An organization "came back" when it was counted at an earlier event of the list.
    """
    if not events:
        return {}
    rows = db.session.execute(
        select(Registration.event_id, Organization.id, Organization.name, Organization.kind,
               func.count().label("people"))
        .outerjoin(Organization, Organization.id == Registration.organization_id)
        .where(or_(*(counted_registrations_filter(event) for event in events)))
        .group_by(Registration.event_id, Organization.id, Organization.name, Organization.kind)
    ).all()
    rows_by_event = defaultdict(list)
    for row in rows:
        rows_by_event[row.event_id].append(row)
    participation: dict[int, Participation] = {}
    seen: set[int] = set()
    for event in sorted(events, key=lambda e: (e.start_date, e.id)):
        counts: Counter = Counter()
        result = participation[event.id] = Participation()
        for row in rows_by_event[event.id]:
            result.participants += row.people
            if row.id is not None:
                counts[OrganizationKind(row.kind).category] += row.people
        result.by_category = {category: counts[category] for category in ListCategory if counts[category]}
        present = {row.id: row.name for row in rows_by_event[event.id] if row.id is not None}
        result.returning_organizations = sorted((name for org_id, name in present.items() if org_id in seen),
                                                key=alphabetical_key)
        seen |= present.keys()
    return participation


def series_reports(series: Series) -> dict[int, Report]:
    """The series' reports, whatever their status, by event id (1 query)."""
    return {report.event_id: report for report in db.session.scalars(
        select(Report).join(Event, Event.id == Report.event_id).where(Event.series_id == series.id))}


def later_sessions(event: Event) -> list[AgendaSession]:
    """Sessions of later events of the same series: where a recommendation may be followed up."""
    return list(db.session.scalars(
        select(AgendaSession).join(Event, Event.id == AgendaSession.event_id)
        .where(Event.series_id == event.series_id, Event.start_date > event.start_date)
        .options(joinedload(AgendaSession.event))
        .order_by(Event.start_date, *agenda_queries.PROGRAMME_ORDER)))


def later_reports(event: Event) -> list[Report]:
    return list(db.session.scalars(
        select(Report).join(Event, Event.id == Report.event_id)
        .where(Event.series_id == event.series_id, Event.start_date > event.start_date)
        .options(joinedload(Report.event)).order_by(Event.start_date)))
