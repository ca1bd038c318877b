"""The invitation dashboard's queries: counts and the list, a fixed number of queries."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from eventmgr.extensions import db
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.models import Invitation
from eventmgr.registry.enums import ListCategory
from eventmgr.registry.models import Organization, Person, Registration
from eventmgr.registry.registration import ACTIVE_STATUSES


def status_counts(event_id: int) -> dict[InvitationStatus, int]:
    rows = db.session.execute(select(Invitation.status, func.count()).where(Invitation.event_id == event_id)
                              .group_by(Invitation.status)).all()
    counts = dict.fromkeys(InvitationStatus, 0)
    counts.update(dict(rows))
    return counts


def response_rate(counts: dict[InvitationStatus, int]) -> float | None:
    """Share of sent invitations that got an answer (registered counts as an answer)."""
    unanswered = (InvitationStatus.DRAFT, InvitationStatus.SENT)
    answered = sum(n for status, n in counts.items() if status not in unanswered)
    sent = answered + counts[InvitationStatus.SENT]
    return answered / sent if sent else None


def counts_by_category(event_id: int) -> list[tuple[ListCategory | None, int]]:
    """Invitations by the list category of the invited organization (or the invitee's), in the
    enclosure's order (None, no organization, last)."""
    organization_id = func.coalesce(Invitation.organization_id, Person.organization_id)
    by_kind = db.session.execute(
        select(Organization.kind, func.count()).select_from(Invitation)
        .join(Person, Invitation.person_id == Person.id)
        .outerjoin(Organization, Organization.id == organization_id)
        .where(Invitation.event_id == event_id).group_by(Organization.kind)
    ).all()
    counts: Counter[ListCategory | None] = Counter()
    for kind, count in by_kind:
        counts[kind.category if kind else None] += count
    return [(category, counts[category]) for category in (*ListCategory, None) if counts[category]]


def counts_by_country(event_id: int) -> list[tuple[str | None, int]]:
    """Invitations by the invited organization's country, or the invitee's."""
    country = func.coalesce(Organization.country, Organization.state, Person.country)
    return db.session.execute(
        select(country, func.count()).select_from(Invitation)
        .join(Person, Invitation.person_id == Person.id)
        .outerjoin(Organization, Invitation.organization_id == Organization.id)
        .where(Invitation.event_id == event_id).group_by(country)
        .order_by(func.count().desc(), country)
    ).all()


def invitation_list(event_id: int, status: InvitationStatus | None = None) -> list[Invitation]:
    query = (select(Invitation).where(Invitation.event_id == event_id)
             .options(joinedload(Invitation.person).joinedload(Person.organization),
                      joinedload(Invitation.organization))
             .join(Person, Invitation.person_id == Person.id)
             .order_by(Person.family_name, Person.given_name, Invitation.id))
    if status is not None:
        query = query.where(Invitation.status == status)
    return list(db.session.scalars(query).unique())


def delegates_named(event_id: int) -> dict[int, int]:
    """Active registrations made through each organization's invitation, by invitation id."""
    return dict(db.session.execute(
        select(Registration.invitation_id, func.count())
        .join(Invitation, Registration.invitation_id == Invitation.id)
        .where(Invitation.event_id == event_id, Invitation.organization_id.is_not(None),
               Registration.status.in_(ACTIVE_STATUSES))
        .group_by(Registration.invitation_id)).all())
