"""The participant's mails about their registration, queued in the outbox in the transaction of
the change they tell of.

A new registration's mail depends on the seat it gets, which is decided under the event's lock.
In a rush most people get the same answer (the waiting list), so the mail is written before the
lock for the answer the free seats promise then (`write_letter`), and sent as it is if the
count under the lock agrees; otherwise it is written anew there. A confirmed seat's mail is always
written under the lock: it carries the link of a participant account made with the seat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from flask import render_template

from eventmgr.auth.accounts import set_password_link
from eventmgr.invitations.tokens import hash_token, new_token
from eventmgr.links import external_url
from eventmgr.mail.models import Message
from eventmgr.mail.service import event_cancel_ics, queue_message
from eventmgr.registry import confirmations
from eventmgr.registry.enums import RegistrationStatus
from eventmgr.registry.models import Person, Registration
from eventmgr.series.models import Event

SUBJECTS = {
    "confirmed": "Registration confirmed: {title}",
    "pending": "Registration received, awaiting approval: {title}",
    "waitlisted": "On the waiting list: {title}",
    "promoted": "A seat is yours: {title}",
    "cancelled": "Registration cancelled: {title}",
}
# The mail a new registration gets, by the status it is given.
NEW_REGISTRATION_KINDS = {RegistrationStatus.PENDING: "pending", RegistrationStatus.CONFIRMED: "confirmed",
                          RegistrationStatus.WAITLISTED: "waitlisted"}


class Needs(NamedTuple):
    """What the mail repeats of the registration form (the template's `registration`)."""

    dietary_needs: str
    access_needs: str
    visa_letter: bool

    @classmethod
    def typed(cls, dietary_needs: str | None, access_needs: str | None, visa_letter) -> Needs:
        """As the registration keeps them: trimmed, at most 500 characters."""
        return cls((dietary_needs or "").strip()[:500], (access_needs or "").strip()[:500], bool(visa_letter))


@dataclass(frozen=True)
class Letter:
    """A new registration's mail written before the seat lock, for the status then expected."""

    status: RegistrationStatus
    body: str
    cancel_token: str
    listing_token: str | None  # the public-list confirmation link's, when that is asked


def write_letter(event: Event, person: Person, status: RegistrationStatus, needs: Needs, *,
                 listing: bool) -> Letter | None:
    """The mail for a new registration expected to get `status`; None when it must wait for the
    lock (a confirmed seat, whose mail names the account made with it) or goes to no address."""
    if status is RegistrationStatus.CONFIRMED or not person.email:
        return None
    cancel_token, _ = new_token()
    listing_token = new_token()[0] if listing else None
    body = _body(NEW_REGISTRATION_KINDS[status], event=event, person=person, registration=needs,
                 cancel_token=cancel_token, account_url=None,
                 listing_url=confirmations.confirmation_url(event, listing_token) if listing_token else None)
    return Letter(status, body, cancel_token, listing_token)


def send_new_registration_mail(registration: Registration, letter: Letter | None, *,
                               listing: bool) -> Message | None:
    """Queue the mail of a registration just given its status: the letter written before the lock
    if it was for that status, else one written now."""
    kind = NEW_REGISTRATION_KINDS[registration.status]
    if letter is None or letter.status is not registration.status:
        return notify(registration, kind,
                      listing_url=confirmations.listing_link(registration) if listing else None)
    registration.cancel_token_hash = hash_token(letter.cancel_token)
    if letter.listing_token is not None:
        confirmations.listing_link(registration, token=letter.listing_token)
    return _queue(registration, kind, letter.body)


def notify(registration: Registration, kind: str, *, with_link: bool = True,
           listing_url: str | None = None) -> Message | None:
    """Write the participant's message to the outbox, with a fresh cancellation link.

    Only the hash of the link's token is stored, so each message carries a new
    token and the older links stop working.
    """
    if not registration.person.email:
        return None  # a person known only from a programme has no address to write to
    cancel_token = None
    if with_link:
        cancel_token, registration.cancel_token_hash = new_token()
    # A confirmed participant may enter the event's area: the account's link comes in this mail.
    account_url = set_password_link(registration.person) if kind in ("confirmed", "promoted") else None
    body = _body(kind, event=registration.event, person=registration.person, registration=registration,
                 cancel_token=cancel_token, account_url=account_url, listing_url=listing_url)
    return _queue(registration, kind, body)


def _body(kind: str, *, event: Event, person: Person, registration: Registration | Needs,
          cancel_token: str | None, account_url: str | None, listing_url: str | None) -> str:
    cancel_url = (external_url("registry.cancel_by_link", slug=event.slug, token=cancel_token)
                  if cancel_token else None)
    return render_template(f"emails/registration_{kind}.txt", registration=registration, event=event,
                           person=person, cancel_url=cancel_url, account_url=account_url,
                           listing_url=listing_url,
                           event_url=external_url("series.event_page", slug=event.slug))


def _queue(registration: Registration, kind: str, body: str) -> Message:
    event, person = registration.event, registration.person
    # A cancellation also takes the event out of the participant's calendar (METHOD:CANCEL).
    ics = event_cancel_ics(event, name=person.full_name, email=person.email) if kind == "cancelled" else None
    return queue_message(kind=f"registration_{kind}", recipient=person.email,
                         subject=SUBJECTS[kind].format(title=event.title), body_text=body,
                         event_id=event.id, ics=ics, ics_method="CANCEL" if ics else None)
