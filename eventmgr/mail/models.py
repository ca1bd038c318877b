from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventmgr.extensions import db
from eventmgr.mail.enums import MessageStatus
from eventmgr.sqltypes import enum_column_type, utcnow


class Message(db.Model):
    """One email in the outbox, written in the transaction of the change that caused it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))  # invitation, reminder, confirmation, ...
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    ics: Mapped[str | None] = mapped_column(Text)
    ics_method: Mapped[str | None] = mapped_column(String(16))  # REQUEST | CANCEL | PUBLISH
    status: Mapped[MessageStatus] = mapped_column(
        enum_column_type(MessageStatus), default=MessageStatus.QUEUED, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Set while a sender holds the message; a sender killed mid-way leaves it, and the
    # message is taken over once it has passed (MAIL_CLAIM_LEASE_SECONDS).
    claimed_until: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]

    attachments: Mapped[list[MessageAttachment]] = relationship(
        cascade="all, delete-orphan", order_by="MessageAttachment.id")


class MessageAttachment(db.Model):
    """A file sent with a message (a letter as PDF), kept with it in the outbox."""

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(120))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class MailSender(db.Model):
    """A `flask outbox send` process as last heard from, so the Mail tab can say whether
    messages are being delivered at all."""

    name: Mapped[str] = mapped_column(String(200), primary_key=True)  # host and process id
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_run_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    # Totals since the process started.
    sent: Mapped[int] = mapped_column(default=0)
    retrying: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    # Why the last run could not reach the mail server, if it could not.
    last_problem: Mapped[str | None] = mapped_column(Text)
