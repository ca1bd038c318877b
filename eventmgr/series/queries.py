"""Eager-loaded queries shared by the series and event pages (fixed query counts)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from eventmgr.extensions import db
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.models import Invitation
from eventmgr.mail.enums import MessageStatus
from eventmgr.mail.models import Message
from eventmgr.registry.enums import Attendance, RegistrationStatus
from eventmgr.registry.models import Registration
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


def event_figures(event: Event) -> dict[str, int | None]:
    """The numbers of the event overview: invitations, registrations, seats, mail."""
    invitations = dict(
        db.session.execute(
            select(Invitation.status, func.count())
            .where(Invitation.event_id == event.id)
            .group_by(Invitation.status)
        ).all()
    )
    registrations = dict(
        db.session.execute(
            select(Registration.status, func.count())
            .where(Registration.event_id == event.id)
            .group_by(Registration.status)
        ).all()
    )
    attended = db.session.scalar(
        select(func.count()).where(
            Registration.event_id == event.id, Registration.attendance == Attendance.ATTENDED
        )
    )
    messages = dict(
        db.session.execute(
            select(Message.status, func.count())
            .where(Message.event_id == event.id)
            .group_by(Message.status)
        ).all()
    )
    invited = sum(invitations.values())
    answered = sum(
        invitations.get(status, 0)
        for status in (InvitationStatus.ACCEPTED, InvitationStatus.DECLINED,
                       InvitationStatus.TENTATIVE, InvitationStatus.REGISTERED)
    )
    confirmed = registrations.get(RegistrationStatus.CONFIRMED, 0)
    return {
        "invited": invited,
        "answered": answered,
        "registered": confirmed,
        "pending": registrations.get(RegistrationStatus.PENDING, 0),
        "waitlisted": registrations.get(RegistrationStatus.WAITLISTED, 0),
        "attended": attended,
        "seats_left": None if event.capacity is None else max(event.capacity - confirmed, 0),
        "messages_queued": messages.get(MessageStatus.QUEUED, 0),
        "messages_failed": messages.get(MessageStatus.FAILED, 0),
    }
