"""Demo invitations of the 2014 Frankfurt conference: who was invited and how they answered."""

from __future__ import annotations

import datetime as dt
import itertools

from eventmgr.extensions import db
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.models import Invitation, InvitationTemplate
from eventmgr.invitations.service import DEFAULT_BODY, DEFAULT_SUBJECT
from eventmgr.invitations.tokens import new_token
from eventmgr.normalize import normalize_email
from eventmgr.registry.models import Organization, Person
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
    db.session.add_all(invitations)
    db.session.flush()
    return len(invitations)
