"""Nobody registers for someone else: what the public form asks on a person's behalf takes
effect only once that person confirms from the link mailed to their own address.

- Registering an address already in the directory: nothing changes until its owner
  confirms; the form's answer is the same "check your inbox" as for a new address, so it
  tells nobody whether the address is known or registered.
- Agreeing to appear in the public list of participants: asked for in the registration
  mail, in effect once confirmed, for new and known people alike.

The link's GET shows what was asked and a button; only the POST acts, so mail scanners that
open links confirm nothing.
"""

from __future__ import annotations

import datetime as dt

from flask import render_template
from sqlalchemy import select

from eventmgr.extensions import db
from eventmgr.invitations.tokens import hash_token, new_token
from eventmgr.links import external_url
from eventmgr.mail.service import queue_message
from eventmgr.registry.models import Organization, Person, Registration, RegistrationConfirmation
from eventmgr.series.models import Event
from eventmgr.sqltypes import utcnow

REGISTER, LISTING = "register", "listing"
LIFETIME = dt.timedelta(days=7)


def _new(kind: str, event: Event, person: Person, *, token: str | None = None, **fields) -> str:
    """Store a confirmation (its token's hash: `token`, or a new one) and return its link."""
    token = token or new_token()[0]
    # By relationship, not id: the person (and registration) may not be written yet.
    db.session.add(RegistrationConfirmation(token_hash=hash_token(token), kind=kind, event_id=event.id,
                                            person=person, expires_at=utcnow() + LIFETIME, **fields))
    return confirmation_url(event, token)


def confirmation_url(event: Event, token: str) -> str:
    """The link of a confirmation with this token (of either kind: the page says what it confirms)."""
    return external_url("registry.confirm_registration", slug=event.slug, token=token)


def request_registration(event: Event, person: Person, *, typed: dict, organization: Organization | None,
                         dietary_needs: str = "", access_needs: str = "", visa_letter: bool = False,
                         consent_to_list: bool = False) -> None:
    """Mail the person in the directory a link to confirm a registration asked in their name."""
    link = _new(REGISTER, event, person, organization_id=organization.id if organization else None,
                given_name=(typed.get("given_name") or "")[:120],
                family_name=(typed.get("family_name") or "")[:120],
                dietary_needs=(dietary_needs or "").strip()[:500],
                access_needs=(access_needs or "").strip()[:500],
                visa_letter=bool(visa_letter), consent_to_list=bool(consent_to_list))
    body = render_template("emails/registration_confirm_request.txt", event=event, person=person,
                           typed=typed, organization=organization, link=link, valid_for=LIFETIME,
                           event_url=external_url("series.event_page", slug=event.slug))
    queue_message(kind="registration_confirm_request", recipient=person.email,
                  subject=f"Please confirm your registration: {event.title}", body_text=body,
                  event_id=event.id)


def listing_link(registration: Registration, *, token: str | None = None) -> str:
    """A link for the registrant to agree to appear in the public list (for the registration mail);
    `token`: the one a mail written beforehand already carries."""
    return _new(LISTING, registration.event, registration.person, token=token, registration=registration,
                consent_to_list=True)


def pending(event: Event, token: str) -> RegistrationConfirmation | None:
    """The unused, unexpired confirmation of this event that the link names."""
    row = db.session.scalar(select(RegistrationConfirmation).where(
        RegistrationConfirmation.token_hash == hash_token(token)))
    if row is None or row.event_id != event.id or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


def confirm(row: RegistrationConfirmation) -> Registration | None:
    """Carry out what the person confirmed; returns their registration at the event."""
    from eventmgr.registry import registration as registering

    row.used_at = utcnow()
    if row.kind == LISTING:
        registration = row.registration
        if registration is not None:
            registration.consent_to_list = True
            row.person.consent_to_list = True
        db.session.flush()
        return registration
    registration = registering.register_participant(
        row.event, person=row.person, organization=row.organization or row.person.organization,
        dietary_needs=row.dietary_needs, access_needs=row.access_needs, visa_letter=row.visa_letter,
        consent_to_list=row.consent_to_list)
    if row.consent_to_list:
        registration.consent_to_list = row.person.consent_to_list = True
    db.session.flush()
    return registration
