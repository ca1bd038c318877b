"""Delivery of the outbox: claim due messages, build MIME, hand them to a backend.

Each message is claimed by a conditional UPDATE that pushes its next attempt into the
future; only the process whose UPDATE matched the row sends it, so two `flask outbox send`
processes never both send one message.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from eventmgr.extensions import db
from eventmgr.mail.enums import MessageStatus
from eventmgr.mail.models import Message
from eventmgr.sqltypes import utcnow

# A claimed message is not due again for this long, even if its sender dies mid-way.
CLAIM_LEASE = dt.timedelta(minutes=15)
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_RETRY = dt.timedelta(hours=6)
BATCH_SIZE = 100


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 ... minutes after the n-th failed attempt, at most six hours."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)


def build_email(message: Message, sender: str) -> EmailMessage:
    """The MIME message; a calendar travels inline (with its method) and as an attachment."""
    email = EmailMessage(policy=policy.SMTP)
    email["Subject"] = message.subject
    email["From"] = sender
    email["To"] = message.recipient
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}",
                                     domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    if message.ics:
        params = {"charset": "utf-8"}
        if message.ics_method:
            params["method"] = message.ics_method
        email.add_alternative(message.ics.encode("utf-8"), maintype="text", subtype="calendar",
                              params=params, cte="base64")
        email.add_attachment(message.ics.encode("utf-8"), maintype="application", subtype="ics",
                             filename="invite.ics")
    for attachment in message.attachments:
        maintype, _, subtype = attachment.mimetype.partition("/")
        email.add_attachment(attachment.content, maintype=maintype, subtype=subtype,
                             filename=attachment.filename)
    return email


def memory_outbox() -> list[EmailMessage]:
    """Messages 'sent' with MAIL_BACKEND=memory (tests)."""
    return current_app.extensions.setdefault("mail_memory_outbox", [])


def _send_smtp(email: EmailMessage) -> None:
    config = current_app.config
    host, port = config["MAIL_SERVER"], config["MAIL_PORT"]
    timeout = config.get("MAIL_TIMEOUT", 30)
    context = ssl.create_default_context()
    if config["MAIL_USE_SSL"]:
        connection = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        connection = smtplib.SMTP(host, port, timeout=timeout)
    with connection:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            connection.starttls(context=context)
        if config.get("MAIL_USERNAME"):
            connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        connection.send_message(email)


def _write_file(email: EmailMessage, message: Message) -> None:
    folder = Path(current_app.instance_path) / "outbox"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{message.id:08d}-{message.kind}.eml").write_bytes(email.as_bytes())


def _deliver(email: EmailMessage, message: Message) -> None:
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "smtp":
        _send_smtp(email)
    elif backend == "file":
        _write_file(email, message)
    elif backend == "memory":
        memory_outbox().append(email)
    else:
        raise RuntimeError(f"Unknown MAIL_BACKEND {backend!r}: use smtp, file or memory.")


def _claim(message_id: int, now: dt.datetime) -> bool:
    claimed = db.session.execute(
        update(Message)
        .where(Message.id == message_id, Message.status == MessageStatus.QUEUED,
               Message.next_attempt_at <= now)
        .values(attempts=Message.attempts + 1, next_attempt_at=now + CLAIM_LEASE)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def send_due_messages(*, limit: int = BATCH_SIZE) -> DeliveryReport:
    """Send every queued message that is due; commits after each message."""
    report = DeliveryReport()
    now = utcnow()
    due_ids = db.session.scalars(
        select(Message.id).where(Message.status == MessageStatus.QUEUED, Message.next_attempt_at <= now)
        .order_by(Message.next_attempt_at, Message.id).limit(limit)
    ).all()
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    for message_id in due_ids:
        if not _claim(message_id, now):
            continue
        message = db.session.get(Message, message_id, populate_existing=True)
        try:
            _deliver(build_email(message, sender), message)
        except (OSError, smtplib.SMTPException, ValueError) as error:
            message.last_error = f"{type(error).__name__}: {error}"
            if message.attempts >= max_attempts:
                message.status = MessageStatus.FAILED
                report.failed += 1
            else:
                message.next_attempt_at = utcnow() + retry_delay(message.attempts)
                report.retrying += 1
        else:
            message.status = MessageStatus.SENT
            message.sent_at = utcnow()
            message.last_error = None
            report.sent += 1
        db.session.commit()
    return report


def retry_message(message: Message) -> None:
    """Put a failed message back in the queue with a fresh count of attempts."""
    if message.status is not MessageStatus.FAILED:
        return
    message.status = MessageStatus.QUEUED
    message.attempts = 0
    message.next_attempt_at = utcnow()
