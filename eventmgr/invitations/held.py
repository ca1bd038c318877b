"""Acceptances held until registration opens.

Invitations may go out before registration opens. An invitee who accepts then is not
turned away: the acceptance is held, with the registration details they leave (or the
directory's), and they are registered — with the confirmation mail — the moment the
organizers open registration.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from eventmgr.errors import DomainError, InvalidTransition
from eventmgr.extensions import db
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.models import Invitation
from eventmgr.registry import registration
from eventmgr.registry.models import Organization, Registration
from eventmgr.series import service as series_service
from eventmgr.series.enums import EventStatus
from eventmgr.series.models import Event
from eventmgr.sqltypes import utcnow

# Registration is not open in these, but may open: an acceptance can wait for it.
MAY_OPEN = (EventStatus.DRAFT, EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED)
# The registration details an invitee may leave while waiting.
DETAIL_FIELDS = ("organization_id", "new_organization", "dietary_needs", "access_needs", "visa_letter",
                 "consent_to_list")


def registration_is_open(event: Event) -> bool:
    return event.status is EventStatus.REGISTRATION_OPEN


def may_send(event: Event) -> bool:
    """Invitations and reminders go out until registration has closed for good (the event held)."""
    return registration_is_open(event) or event.status in MAY_OPEN


def can_hold(invitation: Invitation) -> bool:
    """Whether this invitation's acceptance would wait for registration (a person's, not an
    organization's: its contact names delegates once registration is open)."""
    return invitation.organization_id is None and invitation.event.status in MAY_OPEN


def hold(invitation: Invitation, details: dict | None = None) -> None:
    """Keep the acceptance until registration opens; `details` replace those left before."""
    invitation.held_at = invitation.held_at or utcnow()
    if details is not None:
        invitation.held_details = {key: details[key] for key in DETAIL_FIELDS if key in details}
    elif invitation.held_details is None:
        invitation.held_details = {}
    db.session.flush()


def release(invitation: Invitation) -> None:
    """The invitee changed their answer, or was registered: nothing waits any more."""
    invitation.held_at = None
    invitation.held_details = None


@dataclass
class HeldRegistrations:
    registered: list[Registration] = field(default_factory=list)
    # (invitation, why it could not be registered)
    refused: list[tuple[Invitation, str]] = field(default_factory=list)


def register_held(event: Event) -> HeldRegistrations:
    """Register every acceptance held for `event`, now that its registration is open.

    Each goes through the registration rules (capacity, waiting list) and gets the
    registration mail; one that cannot be registered (e.g. its link was revoked since)
    stays held and is reported, and the others go ahead.
    """
    result = HeldRegistrations()
    if not registration_is_open(event):
        return result
    held = db.session.scalars(
        select(Invitation).where(Invitation.event_id == event.id, Invitation.held_at.is_not(None),
                                 Invitation.status == InvitationStatus.ACCEPTED,
                                 Invitation.removed_at.is_(None))
        .order_by(Invitation.held_at, Invitation.id)).all()
    for invitation in held:
        if invitation.token_revoked_at is not None:
            result.refused.append((invitation, "its link was revoked"))
            continue
        details = invitation.held_details or {}
        organization_id = details.get("organization_id")
        try:
            # The rules refuse before writing anything (the details were checked when left).
            registered = registration.register_applicant(
                event, invitation=invitation, person_fields={"email": invitation.person.email},
                organization=db.session.get(Organization, organization_id) if organization_id else None,
                new_organization=details.get("new_organization"),
                dietary_needs=details.get("dietary_needs", ""), access_needs=details.get("access_needs", ""),
                visa_letter=details.get("visa_letter", False),
                consent_to_list=details.get("consent_to_list", invitation.person.consent_to_list))
        except DomainError as error:
            result.refused.append((invitation, error.message))
            continue
        release(invitation)
        result.registered.append(registered)
    db.session.flush()
    return result


def open_registration(event: Event) -> HeldRegistrations:
    """Open registration (publishing a draft on the way, or reopening it) and register the held."""
    if event.status is EventStatus.DRAFT:
        series_service.change_event_status(event, EventStatus.PUBLISHED)
    if event.status not in (EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED,
                            EventStatus.REGISTRATION_OPEN):
        raise InvalidTransition(f"Registration cannot open: the event is {event.status.label.lower()}.")
    if event.status is not EventStatus.REGISTRATION_OPEN:
        series_service.change_event_status(event, EventStatus.REGISTRATION_OPEN)
    db.session.flush()
    return register_held(event)
