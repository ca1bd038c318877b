"""The invitation dashboard's queries: counts and the list, a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased, joinedload

from eventmgr.extensions import db
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.models import Invitation
from eventmgr.mail.enums import MessageStatus
from eventmgr.mail.models import Message
from eventmgr.registry.enums import ListCategory
from eventmgr.registry.models import Organization, Person, Registration
from eventmgr.registry.registration import ACTIVE_STATUSES
from eventmgr.search import text_matches

# Invitations on the list: removed ones are kept apart, to be restored.
ON_LIST = Invitation.removed_at.is_(None)
# Accepted before registration opened: waiting to be registered when it opens.
HELD = Invitation.held_at.is_not(None) & (Invitation.status == InvitationStatus.ACCEPTED)
# The mails an invitation list sends, whose delivery the dashboard follows.
INVITATION_MAILS = ("invitation", "reminder")


def status_counts(event_id: int) -> dict[InvitationStatus, int]:
    rows = db.session.execute(select(Invitation.status, func.count())
                              .where(Invitation.event_id == event_id, ON_LIST)
                              .group_by(Invitation.status)).all()
    counts = dict.fromkeys(InvitationStatus, 0)
    counts.update(dict(rows))
    return counts


@dataclass(frozen=True)
class ListFigures:
    """What the status counts leave out: acceptances waiting for registration, removed invitations,
    and the delivery of the invitation mails (queued ones not yet gone out)."""

    held: int
    removed: int
    mails_waiting: int
    mails_sent: int


def list_figures(event_id: int) -> ListFigures:
    """2 queries."""
    held, removed = db.session.execute(
        select(func.count().filter(HELD & ON_LIST), func.count().filter(Invitation.removed_at.is_not(None)))
        .where(Invitation.event_id == event_id)).one()
    waiting, sent = db.session.execute(
        select(func.count().filter(Message.status == MessageStatus.QUEUED),
               func.count().filter(Message.status == MessageStatus.SENT))
        .where(Message.event_id == event_id, Message.kind.in_(INVITATION_MAILS))).one()
    return ListFigures(held=held, removed=removed, mails_waiting=waiting, mails_sent=sent)


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
        .where(Invitation.event_id == event_id, ON_LIST).group_by(Organization.kind)
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
        .where(Invitation.event_id == event_id, ON_LIST).group_by(country)
        .order_by(func.count().desc(), country)
    ).all()


# The list's status filter: an invitation status, or one of these.
EXTRA_FILTERS = {"held": "Accepted, waiting for registration to open", "removed": "Removed from the list"}


@dataclass(frozen=True)
class InvitationFilter:
    """What the organizer narrowed the invitee list to; empty strings mean "any"."""

    q: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args) -> InvitationFilter:
        q = (args.get("q") or "").strip()[:200]
        status = (args.get("status") or "").strip()
        if status not in {s.value for s in InvitationStatus} | EXTRA_FILTERS.keys():
            status = ""
        return cls(q=q, status=status)

    def as_args(self) -> dict[str, str]:
        return {key: value for key, value in vars(self).items() if value}

    @property
    def narrows(self) -> bool:
        return bool(self.q or self.status)


def filtered(event_id: int, filters: InvitationFilter = InvitationFilter()) -> Select:
    """The event's invitations the filter matches, by the invitee's family name.

    The search looks at the invitee's name and address, the invited organization and the
    invitee's own organization, accents and case aside.
    """
    invited_organization, own_organization = aliased(Organization), aliased(Organization)
    query = (select(Invitation).where(Invitation.event_id == event_id)
             .join(Person, Invitation.person_id == Person.id)
             .outerjoin(invited_organization, invited_organization.id == Invitation.organization_id)
             .outerjoin(own_organization, own_organization.id == Person.organization_id)
             .options(joinedload(Invitation.person).joinedload(Person.organization),
                      joinedload(Invitation.organization))
             .where(text_matches(filters.q, [Person.search_key, invited_organization.search_key,
                                             own_organization.search_key], email_column=Person.email_key))
             .order_by(Person.family_name, Person.given_name, Invitation.id))
    if filters.status == "removed":
        return query.where(Invitation.removed_at.is_not(None))
    query = query.where(ON_LIST)
    if filters.status == "held":
        return query.where(HELD)
    if filters.status:
        return query.where(Invitation.status == InvitationStatus(filters.status))
    return query


def invitation_page(event_id: int, filters: InvitationFilter, page: int, per_page: int):
    """One page of the filtered list (2 queries: the count and the rows)."""
    return db.paginate(filtered(event_id, filters), page=page, per_page=per_page, error_out=False)


def invitation_list(event_id: int, filters: InvitationFilter = InvitationFilter()) -> list[Invitation]:
    """Every invitation the filter matches, invitees and organizations loaded (1 query)."""
    return list(db.session.scalars(filtered(event_id, filters)).unique())


def delegates_named(event_id: int) -> dict[int, int]:
    """Active registrations made through each organization's invitation, by invitation id."""
    return dict(db.session.execute(
        select(Registration.invitation_id, func.count())
        .join(Invitation, Registration.invitation_id == Invitation.id)
        .where(Invitation.event_id == event_id, Invitation.organization_id.is_not(None),
               Registration.status.in_(ACTIVE_STATUSES))
        .group_by(Registration.invitation_id)).all())
