"""The registration service: modes, capacity, waiting list, cancellation, check-in, messages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from eventmgr.auth.enums import Role
from eventmgr.auth.models import User
from eventmgr.errors import Conflict, InvalidTransition
from eventmgr.extensions import db
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.models import Invitation, InvitationTemplate
from eventmgr.invitations.tokens import hash_token, new_token
from eventmgr.mail.models import Message
from eventmgr.registry import confirmations, registration_mail
from eventmgr.registry import registration as service
from eventmgr.registry.enums import Attendance, OrganizationKind, ParticipantRole, RegistrationStatus
from eventmgr.registry.models import Person, Registration
from eventmgr.series.enums import EventStatus, RegistrationMode
from eventmgr.sqltypes import utcnow
from tests.builders import make_event, make_organization, make_person

OPEN = EventStatus.REGISTRATION_OPEN


def _register(event, person=None, **fields) -> Registration:
    registration = service.register_participant(event, person=person or make_person(), **fields)
    db.session.commit()
    return registration


def _messages(kind: str | None = None) -> list[Message]:
    query = select(Message).order_by(Message.id)
    if kind:
        query = query.where(Message.kind == kind)
    return list(db.session.scalars(query))


def _invitation(event, person, *, revoked: bool = False) -> tuple[Invitation, str]:
    token, token_hash = new_token()
    invitation = Invitation(event_id=event.id, person_id=person.id, status=InvitationStatus.SENT,
                            token_hash=token_hash, token_revoked_at=utcnow() if revoked else None)
    db.session.add(invitation)
    db.session.commit()
    return invitation, token


def _cancel_token(registration: Registration) -> str:
    """The token of the cancellation link in the registration's latest message."""
    message = db.session.scalars(select(Message).where(
        Message.recipient == registration.person.email, Message.body_text.contains("/cancel/"))
        .order_by(Message.id.desc())).first()
    return next(line for line in message.body_text.splitlines() if "/cancel/" in line).rsplit("/", 1)[1]


def _organizer() -> User:
    return db.session.scalar(select(User).where(User.role == Role.ORGANIZER))


def test_open_registration_confirms_and_queues_a_confirmation_with_a_cancellation_link(app_ctx):
    event = make_event(status=OPEN)
    organization = make_organization("Siemens AG", country="DE")
    person = make_person("ada@example.org", organization=organization)

    registration = _register(event, person, dietary_needs="Vegetarian", visa_letter=True,
                             consent_to_list=True)

    assert registration.status is RegistrationStatus.CONFIRMED
    assert (registration.organization_id, registration.state) == (organization.id, None)
    assert (registration.dietary_needs, registration.visa_letter, registration.consent_to_list) == (
        "Vegetarian", True, True)
    [message] = _messages()
    assert (message.kind, message.recipient, message.event_id) == (
        "registration_confirmed", "ada@example.org", event.id)
    assert message.subject == f"Registration confirmed: {event.title}"
    assert "Dietary needs: Vegetarian" in message.body_text
    link = next(line for line in message.body_text.splitlines() if "/cancel/" in line)
    token = link.rsplit("/", 1)[1]
    assert registration.cancel_token_hash == hash_token(token)
    assert service.registration_for_cancel_token(token) == registration


def test_government_registration_snapshots_organization_and_state(app_ctx):
    event = make_event(status=OPEN)
    ministry = make_organization("Federal Foreign Office", kind=OrganizationKind.GOVERNMENT, country="DE")
    company = make_organization("AREVA", country="FR")
    person = make_person(organization=ministry)

    registration = _register(event, person)
    person.organization = company
    db.session.commit()

    assert (registration.organization_id, registration.state) == (ministry.id, "DE")


def test_submitting_twice_registers_once_and_sends_one_message(app_ctx):
    event = make_event(status=OPEN)
    person = make_person()

    first = _register(event, person)
    second = _register(event, person, dietary_needs="changed")

    assert second.id == first.id
    assert db.session.scalar(select(sa.func.count()).select_from(Registration)) == 1
    assert [m.kind for m in _messages()] == ["registration_confirmed"]


def test_full_event_puts_people_on_the_waiting_list(app_ctx):
    event = make_event(status=OPEN, capacity=2)

    statuses = [_register(event).status for _ in range(4)]

    assert statuses == [RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED,
                        RegistrationStatus.WAITLISTED, RegistrationStatus.WAITLISTED]
    assert [m.kind for m in _messages()] == ["registration_confirmed"] * 2 + ["registration_waitlisted"] * 2
    assert service.seats_left(event) == 0


def test_cancellation_promotes_the_waiting_list_in_order_of_registration(app_ctx):
    event = make_event(status=OPEN, capacity=1)
    seated, first_waiting, second_waiting = (_register(event) for _ in range(3))

    service.cancel_registration(seated, reason="Travel ban")
    db.session.commit()

    assert [r.status for r in (seated, first_waiting, second_waiting)] == [
        RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
    assert seated.comment == "Cancelled: Travel ban"
    assert service.registration_for_cancel_token(_cancel_token(seated)) is None
    kinds = [(m.kind, m.recipient) for m in _messages()][-2:]
    assert kinds == [("registration_cancelled", seated.person.email),
                     ("registration_promoted", first_waiting.person.email)]


def test_cancelling_twice_changes_nothing_the_second_time(app_ctx):
    event = make_event(status=OPEN, capacity=1)
    registration = _register(event)
    service.cancel_registration(registration)
    db.session.commit()
    count = len(_messages())

    service.cancel_registration(registration)
    db.session.commit()

    assert registration.status is RegistrationStatus.CANCELLED
    assert len(_messages()) == count


def test_raising_capacity_promotes_waiting_people_in_order(app_ctx):
    event = make_event(status=OPEN, capacity=1)
    registrations = [_register(event) for _ in range(4)]

    event.capacity = 3
    promoted = service.promote_waiting_list(event)
    db.session.commit()

    assert promoted == registrations[1:3]
    assert [r.status for r in registrations] == [RegistrationStatus.CONFIRMED] * 3 + [
        RegistrationStatus.WAITLISTED]


def test_a_new_registrant_never_jumps_the_waiting_list(app_ctx):
    event = make_event(status=OPEN, capacity=1)
    _register(event)
    waiting = _register(event)
    event.capacity = 2
    db.session.commit()

    newcomer = _register(event)

    assert (waiting.status, newcomer.status) == (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


def test_promoting_out_of_turn_needs_a_free_seat(app_ctx):
    event = make_event(status=OPEN, capacity=1)
    _register(event)
    waiting = _register(event)

    with pytest.raises(Conflict):
        service.promote_registration(waiting)
    db.session.rollback()
    event.capacity = 2
    db.session.commit()
    service.promote_registration(waiting)

    assert waiting.status is RegistrationStatus.CONFIRMED


def test_a_cancelled_person_may_register_again_at_the_end_of_the_queue(app_ctx):
    event = make_event(status=OPEN, capacity=1)
    person = make_person()
    first = _register(event, person)
    service.cancel_registration(first)
    db.session.commit()
    _register(event)

    again = _register(event, person)

    assert (again.id, again.status) == (first.id, RegistrationStatus.WAITLISTED)


def test_approval_mode_keeps_registrations_pending_until_approved(app_ctx):
    event = make_event(status=OPEN, registration_mode=RegistrationMode.APPROVAL, capacity=1)
    first, second = _register(event), _register(event)
    assert (first.status, second.status) == (RegistrationStatus.PENDING, RegistrationStatus.PENDING)

    service.approve_registration(first)
    service.approve_registration(second)
    db.session.commit()

    assert (first.status, second.status) == (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
    assert [m.kind for m in _messages()] == ["registration_pending", "registration_pending",
                                             "registration_confirmed", "registration_waitlisted"]
    with pytest.raises(InvalidTransition):
        service.approve_registration(first)


def test_organizers_may_register_without_writing_to_the_person(app_ctx, users):
    event = make_event(status=EventStatus.HELD)

    registration = _register(event, actor=_organizer(), notify=False)

    assert (registration.status, _messages()) == (RegistrationStatus.CONFIRMED, [])


def test_organizers_register_in_approval_mode_without_approval(app_ctx, users):
    event = make_event(status=OPEN, registration_mode=RegistrationMode.APPROVAL)

    registration = _register(event, actor=_organizer(), role=ParticipantRole.SPEAKER)

    assert (registration.status, registration.role) == (RegistrationStatus.CONFIRMED, ParticipantRole.SPEAKER)


@pytest.mark.parametrize("status", [EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED,
                                    EventStatus.HELD])
def test_public_registration_only_while_registration_is_open(app_ctx, users, status):
    event = make_event(status=status)
    person = make_person()

    with pytest.raises(service.RegistrationClosed):
        service.register_participant(event, person=person)
    db.session.rollback()
    registration = _register(event, person, actor=_organizer())

    assert registration.status is RegistrationStatus.CONFIRMED


def test_invitation_only_needs_a_valid_invitation_and_marks_it_registered(app_ctx):
    event = make_event(status=OPEN, registration_mode=RegistrationMode.INVITATION_ONLY)
    person = make_person()
    invitation, token = _invitation(event, person)

    with pytest.raises(service.InvitationRequired):
        service.register_participant(event, person=person)
    db.session.rollback()
    found = service.find_invitation(event, token)
    registration = _register(event, person, invitation=found)

    assert found == invitation
    assert registration.status is RegistrationStatus.CONFIRMED
    assert invitation.status is InvitationStatus.REGISTERED
    assert invitation.answered_at is not None


def test_invitation_tokens_revoked_or_for_another_event_are_refused(app_ctx):
    event = make_event(status=OPEN, registration_mode=RegistrationMode.INVITATION_ONLY)
    other_event = make_event(status=OPEN, registration_mode=RegistrationMode.INVITATION_ONLY)
    person = make_person()
    revoked, revoked_token = _invitation(event, person, revoked=True)
    elsewhere, elsewhere_token = _invitation(other_event, person)

    assert service.find_invitation(event, revoked_token) is None
    assert service.find_invitation(event, elsewhere_token) is None
    assert service.find_invitation(event, "made-up") is None
    for invitation in (revoked, elsewhere):
        with pytest.raises(service.InvitationRequired):
            service.register_participant(event, person=person, invitation=invitation)
        db.session.rollback()


def test_a_personal_invitation_cannot_register_someone_else(app_ctx):
    event = make_event(status=OPEN, registration_mode=RegistrationMode.INVITATION_ONLY)
    invitation, _ = _invitation(event, make_person())

    with pytest.raises(service.InvitationRequired) as refused:
        service.register_participant(event, person=make_person(), invitation=invitation)

    assert refused.value.field == "email"


def _event_by_invitation(days_ahead: int = 30):
    start = dt.date.today() + dt.timedelta(days=days_ahead)
    return make_event(status=OPEN, registration_mode=RegistrationMode.INVITATION_ONLY, start_date=start,
                      end_date=start)


def _organization_invitation(event, *, seats: int) -> Invitation:
    organization = make_organization("Bundesverband der Deutschen Industrie")
    invitation = Invitation(event_id=event.id, organization=organization, seats=seats,
                            person=make_person(organization=organization),
                            status=InvitationStatus.ACCEPTED, token_hash=new_token()[1])
    db.session.add(invitation)
    db.session.commit()
    return invitation


def test_an_organization_invitation_admits_delegates_up_to_its_seats(app_ctx):
    event = _event_by_invitation()
    invitation = _organization_invitation(event, seats=2)
    elsewhere = make_organization("Another employer")
    first = _register(event, make_person(organization=elsewhere), invitation=invitation)
    second = _register(event, invitation.person, invitation=invitation)  # the contact may go too

    with pytest.raises(service.InvitationRequired) as refused:
        service.register_participant(event, person=make_person(), invitation=invitation)
    db.session.rollback()

    assert "All 2 seats of this invitation are named" in refused.value.message
    assert [(r.status, r.organization_id, r.invitation_id) for r in (first, second)] == [
        (RegistrationStatus.CONFIRMED, invitation.organization_id, invitation.id)] * 2
    assert service.delegates(invitation) == [first, second]
    assert invitation.status is InvitationStatus.REGISTERED


def test_a_withdrawn_delegate_frees_the_organizations_seat(app_ctx):
    event = _event_by_invitation()
    invitation = _organization_invitation(event, seats=1)
    delegate = _register(event, invitation=invitation)

    service.cancel_registration(delegate)
    db.session.commit()
    assert invitation.status is InvitationStatus.ACCEPTED  # the contact may name someone else
    replacement = _register(event, invitation=invitation)

    assert (replacement.status, service.delegates(invitation)) == \
        (RegistrationStatus.CONFIRMED, [replacement])
    assert invitation.status is InvitationStatus.REGISTERED


def test_delegates_cannot_be_named_after_the_answer_deadline(app_ctx):
    event = _event_by_invitation(days_ahead=0)
    invitation = _organization_invitation(event, seats=2)
    db.session.add(InvitationTemplate(event_id=event.id, subject="s", body="{link}",
                                      answer_deadline=dt.date.today() - dt.timedelta(days=1)))
    db.session.commit()

    with pytest.raises(service.InvitationRequired) as refused:
        service.register_participant(event, person=make_person(), invitation=invitation)

    assert "The deadline for naming delegates has passed" in refused.value.message


def test_an_invitee_who_cancels_has_declined(app_ctx):
    event = make_event(status=OPEN, registration_mode=RegistrationMode.INVITATION_ONLY)
    person = make_person()
    invitation, _token = _invitation(event, person)
    registration = _register(event, person, invitation=invitation)

    service.cancel_registration(registration)
    db.session.commit()

    assert invitation.status is InvitationStatus.DECLINED


def test_a_delegate_refused_for_want_of_seats_leaves_nothing_written(app_ctx):
    event = _event_by_invitation()
    invitation = _organization_invitation(event, seats=1)
    _register(event, invitation=invitation)

    with pytest.raises(service.InvitationRequired):
        service.register_applicant(event, invitation=invitation, person_fields={
            "email": "late@example.org", "given_name": "Late", "family_name": "Comer"})
    db.session.rollback()

    assert db.session.scalar(select(sa.func.count(Registration.id))) == 1
    assert db.session.scalar(select(Person).where(Person.email == "late@example.org")) is None


def test_register_applicant_finds_or_creates_person_and_organization(app_ctx):
    event = make_event(status=OPEN)
    existing = make_organization("Stimson Center", kind=OrganizationKind.THINK_TANK, country="US")

    first = service.register_applicant(
        event, person_fields={"email": "Ana@Example.org", "given_name": "Ana", "family_name": "Núñez",
                              "honorific": "Dr.", "position": "Fellow"},
        new_organization={"name": "  stimson   center ", "kind": "think_tank", "country": "US"})
    db.session.commit()
    # The same address again: its owner is asked to confirm; nothing else happens.
    again = service.register_applicant(
        event, person_fields={"email": "ana@example.org ", "given_name": "A", "family_name": "N"},
        new_organization={"name": "Stimson Center", "kind": "think_tank"})
    db.session.commit()

    assert again is None
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1
    assert (first.person.family_name, first.person.country, first.organization_id) == (
        "Núñez", "US", existing.id)


def test_check_in_and_undo(app_ctx):
    event = make_event(status=OPEN, capacity=1)
    seated, waiting = _register(event), _register(event)

    service.check_in(seated)
    assert (seated.attendance, seated.checked_in_at is not None) == (Attendance.ATTENDED, True)
    service.undo_check_in(seated)
    assert (seated.attendance, seated.checked_in_at) == (None, None)
    with pytest.raises(InvalidTransition):
        service.check_in(waiting)


def test_sqlite_lock_begins_immediate_before_the_deciding_count(app_ctx):
    event = make_event(status=OPEN, capacity=5)
    person = make_person()
    if db.engine.dialect.name != "sqlite":
        pytest.skip("BEGIN IMMEDIATE is SQLite's lock; PostgreSQL locks the row (FOR UPDATE)")

    # The driver's own trace: the lock is begun on the connection itself, below SQLAlchemy.
    raw = db.session.connection().connection.driver_connection
    statements = []
    raw.set_trace_callback(statements.append)
    try:
        _register(event, person)
    finally:
        raw.set_trace_callback(None)

    # Before the lock only reads (the seats counted to write the mail expected); the count that
    # decides comes after it.
    begin = statements.index("BEGIN IMMEDIATE")
    assert not any(s.startswith(("INSERT", "UPDATE", "DELETE")) for s in statements[:begin])
    assert any("count(*)" in s for s in statements[begin:])


# ---- the mail written before the seat lock (registration_mail)

def _applicant(event, number: int, **fields):
    registration = service.register_applicant(
        event, person_fields={"given_name": "Nguyễn", "family_name": f"Thị Lan {number}",
                              "email": f"lan-{number}@example.vn"},
        new_organization={"name": "Government of Viet Nam", "kind": "government", "country": "VN"},
        dietary_needs="Halal", visa_letter=True, **fields)
    db.session.commit()
    return registration


def _masked(body: str) -> str:
    return re.sub(r"/(cancel|confirm)/[\w-]+", r"/\1/[token]", body)


@pytest.mark.parametrize(("mode", "kind"), [(RegistrationMode.OPEN, "registration_waitlisted"),
                                            (RegistrationMode.APPROVAL, "registration_pending")])
def test_the_mail_written_before_the_lock_is_the_one_written_under_it(app_ctx, mode, kind):
    event = make_event(status=OPEN, capacity=1, registration_mode=mode)
    _register(event)
    early = _applicant(event, 1, consent_to_list=True)  # the public form: its mail written first
    person = make_person(given_name="Nguyễn", family_name="Thị Lan 2", email="lan-2@example.vn",
                         organization=early.organization)
    service.lock_event(event)
    late = service.register_participant(event, person=person, organization=early.organization,
                                        dietary_needs="Halal", visa_letter=True, listing_to_confirm=True,
                                        locked=True)  # no letter: written under the lock
    db.session.commit()

    first, second = _messages(kind)[-2:]
    assert early.status is late.status is not RegistrationStatus.CONFIRMED
    assert _masked(first.body_text) == _masked(second.body_text).replace("Thị Lan 2", "Thị Lan 1")
    assert "/confirm/" in first.body_text
    if kind == "registration_pending":
        assert "Dietary needs: Halal" in first.body_text
    # Its links are live: the cancellation finds the registration, the listing link its confirmation.
    assert service.registration_for_cancel_token(_cancel_token(early)) == early
    listing = first.body_text.split("/confirm/", 1)[1].split()[0]
    assert confirmations.pending(event, listing).registration == early


def test_a_seat_freed_before_the_lock_gets_the_confirmation_not_the_letter_written_for_the_waiting_list(
        app_ctx):
    event = make_event(status=OPEN, capacity=1)
    seated = _register(event)
    person = make_person()
    letter = service.letter_before_lock(event, person, registration_mail.Needs.typed("", "", False),
                                        invitation=None, actor=None, listing=False)
    service.cancel_registration(seated)  # another request frees the seat meanwhile
    db.session.commit()

    service.lock_event(event)
    registration = service.register_participant(event, person=person, locked=True, letter=letter)
    db.session.commit()

    assert letter.status is RegistrationStatus.WAITLISTED
    assert registration.status is RegistrationStatus.CONFIRMED
    mail = _messages("registration_confirmed")[-1]
    assert mail.recipient == person.email and "/auth/set-password/" in mail.body_text
    assert letter.cancel_token not in mail.body_text
    assert _messages("registration_waitlisted") == []


def test_a_confirmed_seat_is_not_written_before_the_lock(app_ctx):
    event = make_event(status=OPEN, capacity=5)

    letter = service.letter_before_lock(event, make_person(), registration_mail.Needs.typed("", "", False),
                                        invitation=None, actor=None, listing=False)

    assert letter is None  # its mail carries the link of an account made with the seat
