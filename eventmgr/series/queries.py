"""Eager-loaded queries shared by the series and event pages (fixed query counts)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from eventmgr.extensions import db
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.models import Invitation
from eventmgr.mail.enums import MessageStatus
from eventmgr.mail.models import Message
from eventmgr.registry.enums import Attendance, RegistrationStatus
from eventmgr.registry.models import Registration
from eventmgr.reports.enums import ReportStatus
from eventmgr.reports.models import Report
from eventmgr.series.enums import EventStatus
from eventmgr.series.models import Event, EventOrganizer, Series


def series_with_public_events() -> list[Series]:
    """Every series that has a public event, with those events (2 queries)."""
    public = Event.status != EventStatus.DRAFT
    return list(
        db.session.scalars(
            select(Series)
            .where(Series.events.any(public))
            .options(selectinload(Series.events.and_(public)))
            .order_by(Series.name)
        )
    )


def all_series_with_events(series_ids: set[int] | None = None) -> list[Series]:
    """Every series (or those of `series_ids`) with all its events, drafts included (2 queries)."""
    query = select(Series).options(selectinload(Series.events)).order_by(Series.name)
    if series_ids is not None:
        query = query.where(Series.id.in_(series_ids))
    return list(db.session.scalars(query))


def event_with_details(slug: str) -> Event | None:
    """An event with its series, organizers and goals loaded."""
    return db.session.scalar(
        select(Event)
        .where(Event.slug == slug)
        .options(
            joinedload(Event.series),
            selectinload(Event.organizers).joinedload(EventOrganizer.organization),
            selectinload(Event.goals),
        )
    )


def event_figures(event: Event) -> dict:
    """The numbers of the event overview: invitations, registrations, seats, mail, report (4 queries)."""
    return figures_of([event])[event.id]


def figures_of(events: list[Event]) -> dict[int, dict]:
    """event_figures for several events at once, by event id (4 queries whatever their number)."""
    if not events:
        return {}
    ids = [event.id for event in events]
    invitations: dict[int, dict] = defaultdict(dict)
    held: dict[int, int] = defaultdict(int)
    for event_id, status, count, held_count in db.session.execute(
            select(Invitation.event_id, Invitation.status, func.count(),
                   func.count().filter(Invitation.held_at.is_not(None)))
            .where(Invitation.event_id.in_(ids), Invitation.removed_at.is_(None))
            .group_by(Invitation.event_id, Invitation.status)):
        invitations[event_id][status] = count
        held[event_id] += held_count if status is InvitationStatus.ACCEPTED else 0
    registrations: dict[int, dict] = defaultdict(dict)
    attended: dict[int, int] = defaultdict(int)
    for event_id, status, count, attending in db.session.execute(
            select(Registration.event_id, Registration.status, func.count(),
                   func.count().filter(Registration.attendance == Attendance.ATTENDED))
            .where(Registration.event_id.in_(ids)).group_by(Registration.event_id, Registration.status)):
        registrations[event_id][status] = count
        attended[event_id] += attending
    messages: dict[int, dict] = defaultdict(dict)
    for event_id, status, count in db.session.execute(
            select(Message.event_id, Message.status, func.count())
            .where(Message.event_id.in_(ids)).group_by(Message.event_id, Message.status)):
        messages[event_id][status] = count
    reports = dict(db.session.execute(select(Report.event_id, Report.status)
                                      .where(Report.event_id.in_(ids))).all())
    return {event.id: _figures(event, invitations[event.id], held[event.id], registrations[event.id],
                               attended[event.id], messages[event.id], reports.get(event.id))
            for event in events}


def _figures(event: Event, invitations: dict, held: int, registrations: dict, attended: int,
             messages: dict, report: ReportStatus | None) -> dict:
    answered = sum(invitations.get(status, 0)
                   for status in (InvitationStatus.ACCEPTED, InvitationStatus.DECLINED,
                                  InvitationStatus.TENTATIVE, InvitationStatus.REGISTERED))
    confirmed = registrations.get(RegistrationStatus.CONFIRMED, 0)
    return {
        "invited": sum(invitations.values()),
        "not_sent": invitations.get(InvitationStatus.DRAFT, 0),
        "unanswered": invitations.get(InvitationStatus.SENT, 0),
        "held": held,
        "answered": answered,
        "registered": confirmed,
        "pending": registrations.get(RegistrationStatus.PENDING, 0),
        "waitlisted": registrations.get(RegistrationStatus.WAITLISTED, 0),
        "attended": attended,
        "seats_left": None if event.capacity is None else max(event.capacity - confirmed, 0),
        "messages_queued": messages.get(MessageStatus.QUEUED, 0),
        "messages_failed": messages.get(MessageStatus.FAILED, 0),
        "report_status": report,
    }


def events_in_progress(series_ids: set[int] | None = None, limit: int = 20) -> list[Event]:
    """Events not yet reported (of `series_ids` when given), soonest first, with their series
    (1 query): the organizers' work."""
    query = select(Event).where(Event.status != EventStatus.REPORTED)
    if series_ids is not None:
        query = query.where(Event.series_id.in_(series_ids))
    return list(db.session.scalars(query.options(joinedload(Event.series))
                                   .order_by(Event.start_date, Event.id).limit(limit)))
