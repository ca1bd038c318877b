"""Eager-loaded lists of the participant area: a fixed number of queries whatever the row count."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from eventmgr.auth.models import User
from eventmgr.extensions import db
from eventmgr.portal.enums import DataRequestStatus
from eventmgr.portal.models import DataRequest, Document, Post
from eventmgr.registry.enums import Attendance, RegistrationStatus
from eventmgr.registry.models import Organization, Person, Registration
from eventmgr.search import text_matches
from eventmgr.series.models import Event


def member_events(person_id: int) -> list[Event]:
    """Events whose participant area the person may enter, latest first."""
    return list(db.session.scalars(
        select(Event).join(Registration, Registration.event_id == Event.id)
        .where(Registration.person_id == person_id,
               (Registration.status == RegistrationStatus.CONFIRMED)
               | (Registration.attendance == Attendance.ATTENDED))
        .order_by(Event.start_date.desc())))


def documents(event: Event) -> list[Document]:
    return list(db.session.scalars(
        select(Document).where(Document.event_id == event.id)
        .options(joinedload(Document.session)).order_by(Document.created_at.desc(), Document.id.desc())))


def directory(event: Event, q: str = "") -> list[Registration]:
    """Confirmed (or attending) registrants who agreed to be listed, by family name; `q` narrows
    by name or organization (accents and case aside; never by an address not shared)."""
    return list(db.session.scalars(
        select(Registration).join(Person, Person.id == Registration.person_id)
        .outerjoin(Organization, Organization.id == Registration.organization_id)
        .where(Registration.event_id == event.id, Registration.consent_to_list.is_(True),
               (Registration.status == RegistrationStatus.CONFIRMED)
               | (Registration.attendance == Attendance.ATTENDED),
               text_matches(q, [Person.search_key, Organization.search_key]))
        .options(joinedload(Registration.person), joinedload(Registration.organization))
        .order_by(Person.family_name, Person.given_name, Registration.id)))


def posts(event: Event) -> list[Post]:
    """Top-level posts, newest first, with their replies and every author."""
    author = joinedload(Post.author).joinedload(User.person)
    return list(db.session.scalars(
        select(Post).where(Post.event_id == event.id, Post.parent_id.is_(None))
        .options(author, selectinload(Post.replies).options(author))
        .order_by(Post.created_at.desc(), Post.id.desc())).unique())


def open_requests(event: Event) -> list[DataRequest]:
    """Open requests of the people registered at this event."""
    registered = select(Registration.person_id).where(Registration.event_id == event.id)
    return list(db.session.scalars(
        select(DataRequest).where(DataRequest.person_id.in_(registered),
                                  DataRequest.status == DataRequestStatus.REQUESTED)
        .options(joinedload(DataRequest.person)).order_by(DataRequest.requested_at, DataRequest.id)))
