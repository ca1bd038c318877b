from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventmgr.extensions import db
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.sqltypes import enum_column_type, utcnow

if TYPE_CHECKING:
    from eventmgr.registry.models import Organization, Person
    from eventmgr.series.models import Event


class Invitation(db.Model):
    """An invitation of a person, or of an organization with a number of seats.

    `person` is whom the mail goes to: the invitee, or the organization's contact,
    who names the delegates through the link.
    """

    __table_args__ = (
        UniqueConstraint("event_id", "person_id"),
        UniqueConstraint("event_id", "organization_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True
    )
    # Set only for an organization's invitation; its contact (`person`) names the delegates.
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="RESTRICT"), index=True
    )
    seats: Mapped[int] = mapped_column(default=1)
    status: Mapped[InvitationStatus] = mapped_column(
        enum_column_type(InvitationStatus), default=InvitationStatus.DRAFT
    )
    # SHA-256 of the RSVP token; the token itself is only ever in the email.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_revoked_at: Mapped[dt.datetime | None]
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]
    answered_at: Mapped[dt.datetime | None]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    last_reminded_at: Mapped[dt.datetime | None]
    # Accepted before registration opened: registered (and mailed) the moment it opens,
    # with the details the invitee left (empty: the directory's).
    held_at: Mapped[dt.datetime | None]
    held_details: Mapped[dict | None] = mapped_column(JSON)
    # Taken off the list by an organizer (its link no longer works); restoring clears it.
    removed_at: Mapped[dt.datetime | None]

    event: Mapped[Event] = relationship()
    person: Mapped[Person] = relationship()
    organization: Mapped[Organization | None] = relationship()


class InvitationTemplate(db.Model):
    """The event's invitation mail: subject and body with {placeholders}, and the answer deadline."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    answer_deadline: Mapped[dt.date | None]
    attach_calendar: Mapped[bool] = mapped_column(default=True)

    event: Mapped[Event] = relationship()
