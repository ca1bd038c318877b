"""Registration for an event: modes, exact capacity, the waiting list, cancellation, check-in.

Every change that takes or frees a seat runs under a lock on the event row and
recounts under it, so no event ever has more confirmed registrations than seats,
however many requests race. Messages go to the outbox in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import time

from sqlalchemy import delete, func, select
from sqlalchemy.exc import OperationalError

from eventmgr.errors import Conflict, DomainError, InvalidTransition
from eventmgr.extensions import db
from eventmgr.invitations.deadlines import answer_open
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.models import Invitation
from eventmgr.invitations.tokens import hash_token
from eventmgr.mail.enums import MessageStatus
from eventmgr.mail.models import Message
from eventmgr.registry import confirmations, registration_mail
from eventmgr.registry import service as directory
from eventmgr.registry.enums import Attendance, ParticipantRole, RegistrationStatus
from eventmgr.registry.models import Organization, Person, Registration
from eventmgr.registry.organizations import candidate_index
from eventmgr.series.enums import EventStatus, RegistrationMode
from eventmgr.series.models import Event
from eventmgr.sqltypes import utcnow

# Statuses that hold or wait for a seat: a person in one of them is registered.
ACTIVE_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED,
                   RegistrationStatus.WAITLISTED)


class RegistrationClosed(DomainError):
    pass


class InvitationRequired(DomainError):
    pass


# ---------------------------------------------------------------- the lock

def lock_event(event: Event) -> None:
    """Serialize seat changes of `event` until the transaction ends, and reload the event.

    PostgreSQL: SELECT … FOR UPDATE on the event row. SQLite ignores FOR UPDATE, and
    pysqlite opens a transaction only at the first write, so a count read before it
    could be stale: start the transaction with BEGIN IMMEDIATE (the database's write
    lock) unless this transaction already writes.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.driver_connection.in_transaction:
        _begin_immediate(connection.connection.driver_connection)
    db.session.execute(select(Event).where(Event.id == event.id).with_for_update()
                       .execution_options(populate_existing=True))


def _begin_immediate(raw: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, tried again every millisecond or so while another writer holds the lock.

    SQLite's own busy handler sleeps up to 100 ms between tries once a wait grows long, so in a
    rush the lock would often sit free while its waiters sleep; short, jittered retries take it
    within about a millisecond of its release, for a few microseconds of CPU each. The wait is
    bounded by the connection's busy timeout, then fails as any busy write does (a 503 page).
    """
    timeout_ms = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    raw.execute("PRAGMA busy_timeout=0")
    try:
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                    raise OperationalError("BEGIN IMMEDIATE", None, error) from error
            time.sleep(random.uniform(0.0005, 0.0015))
    finally:
        raw.execute(f"PRAGMA busy_timeout={timeout_ms}")


def confirmed_count(event: Event) -> int:
    return db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED))


def seats_left(event: Event) -> int | None:
    """Free seats (None: no limit). Exact only under lock_event."""
    if event.capacity is None:
        return None
    return max(event.capacity - confirmed_count(event), 0)


# ---------------------------------------------------------------- invitations

def find_invitation(event: Event, token: str | None) -> Invitation | None:
    """The live invitation to `event` that this RSVP token belongs to, if any."""
    if not token:
        return None
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))
    if invitation is None or invitation.event_id != event.id or invitation.token_revoked_at is not None \
            or invitation.removed_at is not None:
        return None
    return invitation


def _check_invitation(invitation: Invitation | None, event: Event, person: Person) -> None:
    if invitation is None or invitation.event_id != event.id or invitation.token_revoked_at is not None:
        raise InvitationRequired("Registration for this event is by invitation only, and this "
                                 "invitation link is not valid.")
    if invitation.organization_id is not None:
        # An organization's contact names anyone as a delegate, up to its seats (counted under the lock),
        # until the answer deadline.
        if not answer_open(invitation):
            raise InvitationRequired("The deadline for naming delegates has passed: please write to "
                                     "the organizers.")
        if len(delegates(invitation, excluding=person)) >= invitation.seats:
            raise InvitationRequired(f"All {invitation.seats} seats of this invitation are named: "
                                     "withdraw a delegate to name another.")
        return
    if invitation.person_id != person.id:
        raise InvitationRequired("This invitation was sent to someone else: register with the "
                                 "email address it was sent to.", field="email")


def delegates(invitation: Invitation, *, excluding: Person | None = None) -> list[Registration]:
    """The active registrations made through an invitation, first named first."""
    query = (select(Registration).where(Registration.invitation_id == invitation.id,
                                        Registration.status.in_(ACTIVE_STATUSES))
             .order_by(Registration.registered_at, Registration.id))
    if excluding is not None and excluding.id is not None:
        query = query.where(Registration.person_id != excluding.id)
    return list(db.session.scalars(query))


# ---------------------------------------------------------------- registering

def register_participant(event: Event, *, person: Person, organization: Organization | None = None,
                         role=ParticipantRole.PARTICIPANT, dietary_needs: str = "",
                         access_needs: str = "", visa_letter: bool = False,
                         consent_to_list: bool = False, invitation: Invitation | None = None,
                         actor=None, notify: bool = True, listing_to_confirm: bool = False,
                         locked: bool = False,
                         letter: registration_mail.Letter | None = None) -> Registration:
    """Register `person` for `event` following its mode, capacity and waiting list.

    `actor` is the staff user registering someone by hand: they may do so in any
    event status and mode, and their registrations need no approval. Without an
    actor this is self-registration through the public form. A person already
    registered (not cancelled) gets their registration back unchanged and no new mail.
    Organizers may pass notify=False to record a registration without writing to the
    person (e.g. entering the participants of a past event). With `listing_to_confirm`, the
    mail asks the person to confirm that they agree to appear in the public list.

    The mail is written before the lock for the status then expected (registration_mail); a caller
    that holds lock_event already (`locked`: it is taken once per transaction, it rereads the event)
    passes the `letter` it wrote before taking it.
    """
    needs = registration_mail.Needs.typed(dietary_needs, access_needs, visa_letter)
    if not locked:
        if notify or actor is None:
            letter = letter_before_lock(event, person, needs, invitation=invitation, actor=actor,
                                        listing=listing_to_confirm)
        lock_event(event)
    # A person not yet written (added by register_applicant) has no registration to look up.
    registration = None if person.id is None else db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.person_id == person.id))
    if registration is not None and registration.status in ACTIVE_STATUSES:
        return registration
    if actor is None:
        notify = True
        if event.status is not EventStatus.REGISTRATION_OPEN:
            raise RegistrationClosed("Registration for this event is not open.")
        if event.registration_mode is RegistrationMode.INVITATION_ONLY:
            _check_invitation(invitation, event, person)
    elif invitation is not None:
        _check_invitation(invitation, event, person)
    # Counted before the new row is added, and without writing what is pending (a new person):
    # everything this registration writes goes in one flush at the end.
    with db.session.no_autoflush:
        free = _free_after_promoting(event)
    if registration is None:
        registration = Registration(event=event, person=person)
        db.session.add(registration)
    if invitation is not None and invitation.organization is not None:
        organization = invitation.organization  # a delegate represents the invited organization
    elif organization is None:
        organization = person.organization
    status = _status_for(event, free, actor=actor, invitation=invitation)
    directory.set_registration_values(registration, organization=organization, state=None,
                                      role=role, status=status, attendance=None)
    registration.attendance = None
    registration.checked_in_at = None
    registration.dietary_needs, registration.access_needs, registration.visa_letter = needs
    registration.consent_to_list = bool(consent_to_list)
    registration.registered_at = registration.status_changed_at = utcnow()
    registration.invitation_id = invitation.id if invitation is not None else None
    if invitation is not None:
        invitation.status = InvitationStatus.REGISTERED
        invitation.answered_at = invitation.answered_at or utcnow()
    if notify:
        registration_mail.send_new_registration_mail(registration, letter, listing=listing_to_confirm)
    db.session.flush()  # one flush for the person, the registration, its mail and confirmation
    return registration


def _status_for(event: Event, free: int | None, *, actor,
                invitation: Invitation | None) -> RegistrationStatus:
    """A new registration's status with `free` seats (None: no limit)."""
    # People invited or registered by organizers were chosen already: only strangers wait for approval.
    if event.registration_mode is RegistrationMode.APPROVAL and actor is None and invitation is None:
        return RegistrationStatus.PENDING
    return RegistrationStatus.CONFIRMED if free is None or free > 0 else RegistrationStatus.WAITLISTED


def letter_before_lock(event: Event, person: Person, needs: registration_mail.Needs, *,
                       invitation: Invitation | None, actor,
                       listing: bool) -> registration_mail.Letter | None:
    """The new registration's mail for the status the seats free now promise (read without the lock;
    the recount under it decides, and a mail for another status is written there)."""
    status = _status_for(event, seats_left(event), actor=actor, invitation=invitation)
    return registration_mail.write_letter(event, person, status, needs, listing=listing)


def register_applicant(event: Event, *, person_fields: dict, organization: Organization | None = None,
                       new_organization: dict | None = None, invitation: Invitation | None = None,
                       **registration_fields) -> Registration | None:
    """Registration from the form: find or create the person and organization, register.

    Reads and checks come before the event's lock (the typed organization's candidates, the
    person by address, a new person's fields), so that the lock covers only what must not be
    done twice: creating the organization, adding the person (two submissions with one address
    cannot both add them: the address is looked up again under the lock) and taking the seat.
    An existing person's directory entry is left as it is (anyone may type any address); the
    organization typed here is recorded on the registration.

    On the public form (no `actor`) nobody registers for someone else: an address already
    in the directory gets a link to confirm and nothing else happens (None is returned);
    agreeing to be listed publicly waits for the person's confirmation too, unless they came
    through their own invitation link, which reached them at their address.
    """
    if invitation is not None and invitation.organization is not None:
        organization, new_organization = invitation.organization, None
    index = newest = None
    if organization is None and new_organization:
        index = candidate_index(**new_organization)
        newest = _newest_organization_id()
    public = registration_fields.get("actor") is None
    own_link = invitation is not None and invitation.organization_id is None
    needs = {key: registration_fields.get(key) for key in
             ("dietary_needs", "access_needs", "visa_letter", "consent_to_list")}
    consent = bool(registration_fields.pop("consent_to_list", False))
    consent_now = consent and (not public or own_link)
    person = directory.get_person_by_email(person_fields.get("email", ""))
    newcomer = directory.new_person(consent_to_list=consent_now, **person_fields) if person is None else None
    # A newcomer's mail is written before the lock; an existing person's is written under it, once
    # the lock has shown whether they register or (public form) confirm by mail.
    letter = None if newcomer is None else letter_before_lock(
        event, newcomer, registration_mail.Needs.typed(needs["dietary_needs"], needs["access_needs"],
                                                       needs["visa_letter"]),
        invitation=invitation, actor=registration_fields.get("actor"), listing=consent and not consent_now)
    lock_event(event)
    if organization is None and new_organization:
        if _newest_organization_id() != newest:
            index = None  # organizations added meanwhile (the same one, perhaps): match under the lock
        organization = directory.place_organization(**new_organization, index=index).organization
    if newcomer is not None:
        if newcomer.email_key is not None and directory.email_taken(newcomer.email_key):
            person = directory.get_person_by_email(newcomer.email)  # added meanwhile by another submission
        else:
            newcomer.organization = organization
            newcomer.country = organization.country if organization is not None else None
            db.session.add(newcomer)
            person = newcomer
    if public and person is not newcomer and invitation is None:
        if event.status is not EventStatus.REGISTRATION_OPEN:
            raise RegistrationClosed("Registration for this event is not open.")
        confirmations.request_registration(event, person, typed=person_fields, organization=organization,
                                           **needs)
        return None
    return register_participant(event, person=person, organization=organization, invitation=invitation,
                                consent_to_list=consent_now, listing_to_confirm=consent and not consent_now,
                                locked=True, letter=letter if person is newcomer else None,
                                **registration_fields)


def _newest_organization_id() -> int | None:
    return db.session.scalar(select(func.max(Organization.id)))


# ---------------------------------------------------------------- organizers' decisions

def approve_registration(registration: Registration, *, actor=None) -> Registration:
    """Approve a pending registration: a seat if one is free, else the waiting list."""
    lock_event(registration.event)
    db.session.refresh(registration)
    if registration.status is not RegistrationStatus.PENDING:
        raise InvalidTransition(f"Only pending registrations can be approved; this one is "
                                f"{registration.status.label.lower()}.")
    free = _free_after_promoting(registration.event)
    if free is None or free > 0:
        _set_status(registration, RegistrationStatus.CONFIRMED)
        registration_mail.notify(registration, "confirmed")
    else:
        _set_status(registration, RegistrationStatus.WAITLISTED)
        registration_mail.notify(registration, "waitlisted")
    db.session.flush()
    return registration


def promote_registration(registration: Registration, *, actor=None) -> Registration:
    """Give a free seat to this person on the waiting list, out of turn."""
    lock_event(registration.event)
    db.session.refresh(registration)
    if registration.status is not RegistrationStatus.WAITLISTED:
        raise InvalidTransition("Only people on the waiting list can be promoted.")
    free = seats_left(registration.event)
    if free is not None and free <= 0:
        raise Conflict("No seat is free: raise the capacity or cancel a registration first.")
    _set_status(registration, RegistrationStatus.CONFIRMED)
    registration_mail.notify(registration, "promoted")
    db.session.flush()
    return registration


def promote_waiting_list(event: Event) -> list[Registration]:
    """Give free seats to the waiting list in order of registration (after a capacity rise)."""
    lock_event(event)
    return _promote_in_order(event, seats_left(event))


def _free_after_promoting(event: Event) -> int | None:
    """Give free seats to the waiting list first; the seats still free after (one count). Call
    under lock_event."""
    free = seats_left(event)
    promoted = _promote_in_order(event, free)
    return None if free is None else free - len(promoted)


def _promote_in_order(event: Event, free: int | None) -> list[Registration]:
    """Fill the `free` seats from the waiting list, first registered first; call under lock_event."""
    waiting = select(Registration).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED,
    ).order_by(Registration.registered_at, Registration.id)
    if free is not None:
        if free == 0:
            return []
        waiting = waiting.limit(free)
    promoted = list(db.session.scalars(waiting))
    for registration in promoted:
        _set_status(registration, RegistrationStatus.CONFIRMED)
        registration_mail.notify(registration, "promoted")
    if promoted:
        db.session.flush()
    return promoted


def cancel_registration(registration: Registration, *, actor=None, reason: str = "",
                        hold: dt.timedelta = dt.timedelta(0)) -> Registration:
    """Cancel a registration (by the participant's link or an organizer); the seat goes on.

    The participant's notice waits `hold` in the outbox: an organizer who restores the
    registration before then takes it back unsent. Cancelling twice is harmless: the
    second time changes nothing and sends nothing.
    """
    lock_event(registration.event)
    db.session.refresh(registration)
    if registration.status is RegistrationStatus.CANCELLED:
        return registration
    # The link's hash stays (the link finds only live registrations): a restore revives it.
    _set_status(registration, RegistrationStatus.CANCELLED)
    reason = (reason or "").strip()
    if reason:
        registration.comment = "\n".join(filter(None, (registration.comment, f"Cancelled: {reason}")))
    db.session.flush()
    _release_invitation(registration)
    notice = registration_mail.notify(registration, "cancelled", with_link=False)
    notice.next_attempt_at = utcnow() + hold
    _promote_in_order(registration.event, seats_left(registration.event))
    return registration


def restore_registration(registration: Registration, *, actor=None) -> Registration:
    """Undo a cancellation: the seat back if one is free (else the waiting list), in any mode.

    If the cancellation notice has not gone out yet it is withdrawn and the participant
    never hears of it; otherwise they are told their registration stands again.
    """
    lock_event(registration.event)
    db.session.refresh(registration)
    if registration.status is not RegistrationStatus.CANCELLED:
        raise InvalidTransition(f"Only cancelled registrations can be restored; this one is "
                                f"{registration.status.label.lower()}.")
    withdrawn = db.session.execute(delete(Message).where(
        Message.event_id == registration.event_id, Message.kind == "registration_cancelled",
        Message.recipient == registration.person.email, Message.status == MessageStatus.QUEUED,
        Message.attempts == 0)).rowcount
    free = _free_after_promoting(registration.event)
    status = RegistrationStatus.CONFIRMED if free is None or free > 0 else RegistrationStatus.WAITLISTED
    _set_status(registration, status)
    if registration.invitation_id is not None:
        invitation = db.session.get(Invitation, registration.invitation_id)
        if invitation is not None:
            invitation.status = InvitationStatus.REGISTERED
    db.session.flush()
    if withdrawn and status is RegistrationStatus.CONFIRMED:
        # Never told of the cancellation: the earlier confirmation and its link stand.
        return registration
    registration_mail.notify(registration,
                             "confirmed" if status is RegistrationStatus.CONFIRMED else "waitlisted")
    return registration


def _release_invitation(registration: Registration) -> None:
    """Keep the invitation's status true once a registration made through it is cancelled.

    An invitee who cancels is no longer coming: declined. An organization whose last
    delegate is withdrawn has still accepted: its contact may name others.
    """
    if registration.invitation_id is None:
        return
    invitation = db.session.get(Invitation, registration.invitation_id)
    if invitation is None or invitation.status is not InvitationStatus.REGISTERED or delegates(invitation):
        return
    invitation.status = (InvitationStatus.ACCEPTED if invitation.organization_id is not None
                         else InvitationStatus.DECLINED)
    db.session.flush()


def registration_for_cancel_token(token: str | None) -> Registration | None:
    """The live registration a participant's cancellation link designates, if any."""
    if not token:
        return None
    return db.session.scalar(select(Registration).where(
        Registration.cancel_token_hash == hash_token(token),
        Registration.status.in_(ACTIVE_STATUSES)))


def cancelled_for_token(token: str | None) -> Registration | None:
    """The cancelled registration a participant's link designated (to take the cancellation back)."""
    if not token:
        return None
    return db.session.scalar(select(Registration).where(
        Registration.cancel_token_hash == hash_token(token),
        Registration.status == RegistrationStatus.CANCELLED))


def _set_status(registration: Registration, status: RegistrationStatus) -> None:
    registration.status = status
    registration.status_changed_at = utcnow()


# ---------------------------------------------------------------- check-in

def check_in(registration: Registration, *, actor=None) -> Registration:
    """Mark a confirmed participant as attended, now."""
    if registration.status is not RegistrationStatus.CONFIRMED:
        raise InvalidTransition(f"{registration.person.full_name} is "
                                f"{registration.status.label.lower()}, not confirmed: "
                                "confirm the registration before checking in.")
    if registration.attendance is not Attendance.ATTENDED:
        registration.attendance = Attendance.ATTENDED
        registration.checked_in_at = utcnow()
    db.session.flush()
    return registration


def undo_check_in(registration: Registration, *, actor=None) -> Registration:
    """Take back a check-in made by mistake."""
    registration.attendance = None
    registration.checked_in_at = None
    db.session.flush()
    return registration
