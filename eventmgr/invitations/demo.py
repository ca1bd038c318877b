"""Demo invitations of the 2014 Frankfurt conference: who was invited and how they answered."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select

from eventmgr.extensions import db
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.models import Invitation, InvitationTemplate
from eventmgr.invitations.service import DEFAULT_BODY, DEFAULT_SUBJECT
from eventmgr.invitations.tokens import new_token
from eventmgr.normalize import normalize_email
from eventmgr.registry.enums import OrganizationKind
from eventmgr.registry.models import Organization, Person, Registration
from eventmgr.series.models import Event

# Invitees who did not register, in the proportions organizers see: many silent, some declining.
OTHER_ANSWERS = (
    (InvitationStatus.DECLINED, "No travel budget this year."),
    (InvitationStatus.SENT, ""),
    (InvitationStatus.TENTATIVE, ""),
    (InvitationStatus.SENT, ""),
    (InvitationStatus.DECLINED, "Another meeting on the same dates."),
    (InvitationStatus.ACCEPTED, ""),
    (InvitationStatus.SENT, ""),
    (InvitationStatus.DRAFT, ""),
)
UNREGISTERED_INVITEES = 24
# Fictitious invitees who did not come.
GIVEN_NAMES = ("Amina", "Bruno", "Chen", "Dagny", "Emeka", "Farida", "Gustavo", "Hana", "Ivan", "Jana",
               "Kofi", "Lucía")
FAMILY_NAMES = ("Okafor", "Lindqvist", "Moreau", "Tanaka", "Haddad", "Novak", "Silva", "Kowalski",
                "Mensah", "Rossi", "Weber", "Park")


def load_frankfurt_invitations(event: Event, registered: list[Person],
                               organizations: list[Organization]) -> int:
    """Invitations for everyone registered plus invitees who declined, hesitated or stayed silent."""
    sent_at = dt.datetime.combine(event.start_date - dt.timedelta(days=75), dt.time(10), dt.UTC)
    db.session.add(InvitationTemplate(event_id=event.id, subject=DEFAULT_SUBJECT, body=DEFAULT_BODY,
                                      answer_deadline=event.start_date - dt.timedelta(days=21),
                                      attach_calendar=True))
    invitations = [Invitation(event_id=event.id, person=person, status=InvitationStatus.REGISTERED,
                              token_hash=new_token()[1], sent_at=sent_at,
                              answered_at=sent_at + dt.timedelta(days=3 + index % 20))
                   for index, person in enumerate(registered)]
    answers = itertools.cycle(OTHER_ANSWERS)
    invitees = zip(range(UNREGISTERED_INVITEES), itertools.cycle(organizations), strict=False)
    for index, organization in invitees:
        given, family = GIVEN_NAMES[index % 12], FAMILY_NAMES[(index * 5) % 12]
        email = f"{given}.{family}.invitee{index}@example.org".lower()
        person = Person(given_name=given, family_name=family, email=email, email_key=normalize_email(email),
                        organization=organization, country=organization.country or organization.state)
        status, reason = next(answers)
        sent = status is not InvitationStatus.DRAFT
        invitations.append(Invitation(
            event_id=event.id, person=person, status=status, decline_reason=reason,
            token_hash=new_token()[1] if sent else None, sent_at=sent_at if sent else None,
            answered_at=sent_at + dt.timedelta(days=5 + index) if status in (
                InvitationStatus.DECLINED, InvitationStatus.TENTATIVE, InvitationStatus.ACCEPTED) else None,
            reminders_sent=1 if status is InvitationStatus.SENT else 0))
    # One association was invited as such: its contact was to name two delegates and never answered.
    association = next(o for o in organizations if o.kind is OrganizationKind.INDUSTRY_ASSOCIATION)
    email = "g.lindner@association.example.org"
    contact = Person(given_name="Greta", family_name="Lindner", email=email, email_key=normalize_email(email),
                     organization=association, country=association.country)
    invitations.append(Invitation(event_id=event.id, person=contact, organization=association, seats=2,
                                  status=InvitationStatus.SENT, token_hash=new_token()[1], sent_at=sent_at,
                                  reminders_sent=1))
    db.session.add_all(invitations)
    db.session.flush()
    by_person = {invitation.person_id: invitation.id for invitation in invitations}
    for registration in db.session.scalars(select(Registration).where(Registration.event_id == event.id)):
        registration.invitation_id = by_person.get(registration.person_id)
    db.session.flush()
    return len(invitations)
