"""How long an invitation can be answered: until the answer deadline, else the event's start."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from eventmgr.extensions import db
from eventmgr.invitations.models import Invitation, InvitationTemplate
from eventmgr.sqltypes import utcnow


def answer_open(invitation: Invitation, today: dt.date | None = None) -> bool:
    """Whether the invitee may still answer (and an organization's contact name delegates)."""
    event = invitation.event
    today = today or utcnow().astimezone(event.zone).date()
    deadline = db.session.scalar(select(InvitationTemplate.answer_deadline)
                                 .where(InvitationTemplate.event_id == event.id))
    return today <= (deadline or event.start_date)
