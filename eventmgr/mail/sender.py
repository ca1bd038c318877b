"""Delivery of the outbox: claim due messages, build standard MIME, hand them to a backend.

Claiming: a conditional UPDATE sets the message's `claimed_until` (now plus the lease,
MAIL_CLAIM_LEASE_SECONDS); only the process whose UPDATE matched sends it, so two
`flask outbox send` processes never both send one message, and one left claimed by a
sender killed mid-way is taken over once the lease has passed.

Answers: an SMTP 5xx, or an address the server cannot take, fails the message at once
with the server's words; a 4xx, a dropped connection or an unreachable server is
temporary: retried after 1, 2, 4 … minutes, then hourly, up to MAIL_MAX_ATTEMPTS. When
the server cannot be reached, the rest of the batch is not tried against it.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import idna
from flask import current_app
from sqlalchemy import ColumnElement, delete, or_, select, update

from eventmgr.accesslog import redact
from eventmgr.extensions import db
from eventmgr.links import parse_base_url
from eventmgr.mail.enums import MessageStatus
from eventmgr.mail.models import MailSender, Message
from eventmgr.sqltypes import utcnow

FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_RETRY = dt.timedelta(hours=1)
BATCH_SIZE = 100
# A sender not heard from for this long is forgotten (its row removed).
FORGET_SENDERS_AFTER = dt.timedelta(days=30)
# A message goes through at most this many socket waits (MAIL FROM, RCPT TO, DATA, the
# end of the data): each waits at most a fifth of the lease, so a claim outlives its send.
WAITS_PER_MESSAGE = 5
PROCESS_STARTED = utcnow()


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    # Why the mail server could not be reached, if it could not.
    problem: str | None = None

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed


class PermanentFailure(Exception):
    """The message can never be delivered as it is: failed at once, not retried."""


class TemporaryFailure(Exception):
    """This attempt failed; a later one may succeed."""


class ServerUnavailable(TemporaryFailure):
    """The mail server cannot be reached or talked to: no message of the batch can go."""


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4 … minutes after the n-th failed attempt, then hourly."""
    return min(FIRST_RETRY * 2 ** min(attempts - 1, 20), LONGEST_RETRY)


def claim_lease() -> dt.timedelta:
    return dt.timedelta(seconds=current_app.config["MAIL_CLAIM_LEASE_SECONDS"])


# ---------------------------------------------------------------- building the message

def smtp_address(address: str) -> str:
    """The address as SMTP takes it: the domain in IDNA (xn--… A-labels), the local part as is."""
    local, at, domain = address.strip().rpartition("@")
    if not (at and local and domain):
        raise PermanentFailure(f"“{address}” is not an email address.")
    try:
        ascii_domain = idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError as error:
        raise PermanentFailure(f"The domain of {address} is not a valid internet domain ({error}).") \
            from None
    return f"{local}@{ascii_domain}"


def mail_domain() -> str:
    """The public host (EVENTMGR_BASE_URL) in IDNA: the right-hand side of every Message-ID."""
    _, netloc, _ = parse_base_url(current_app.config.get("EVENTMGR_BASE_URL"))
    host = urlsplit(f"//{netloc}").hostname or "localhost"
    return idna.encode(host, uts46=True).decode("ascii")


def message_id(message: Message, domain: str) -> str:
    """Unique and the same every time the message is built (shown, sent, sent again)."""
    return f"<outbox.{message.id}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"


def one_line(text: str) -> str:
    """A header value: line breaks (from data stored before subjects were checked) as spaces."""
    return " ".join(text.splitlines()).strip()


def build_email(message: Message, sender: str, *, domain: str) -> EmailMessage:
    """The MIME message as it is sent (RFC 5322: Date and Message-ID included).

    Domains go in IDNA. A local part beyond ASCII needs SMTPUTF8: the message is then
    written as RFC 6532 UTF-8 headers, never as an encoded word inside the address.
    A calendar travels inline (with its method) and as an attachment.
    """
    sender_name, sender_address = parseaddr(sender)
    from_address, to_address = smtp_address(sender_address), smtp_address(message.recipient)
    international = not (from_address + to_address).isascii()
    email = EmailMessage(policy=policy.SMTPUTF8 if international else policy.SMTP)
    try:
        email["Date"] = format_datetime(message.created_at)
        email["Message-ID"] = message_id(message, domain)
        # Given as parts: the email package would refuse to parse a local part beyond ASCII.
        email["From"] = Address(sender_name, *from_address.rsplit("@", 1))
        email["To"] = Address("", *to_address.rsplit("@", 1))
        email["Subject"] = one_line(message.subject)
    except (ValueError, IndexError) as error:  # an address the email package cannot parse
        raise PermanentFailure(f"The message cannot be written: {error}") from None
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


def message_as_sent(message: Message) -> EmailMessage:
    """The message as the configured sender builds it."""
    return build_email(message, current_app.config["MAIL_DEFAULT_SENDER"], domain=mail_domain())


class _LinksHidden:
    """A message read through, its texts with the token of every personal link hidden."""

    def __init__(self, message: Message) -> None:
        self._message = message

    def __getattr__(self, name: str):
        return getattr(self._message, name)

    @property
    def body_text(self) -> str:
        return redact(self._message.body_text)

    @property
    def body_html(self) -> str | None:
        return redact(self._message.body_html)


def message_for_staff(message: Message) -> EmailMessage:
    """The message as sent, for the Mail tab, with the token of every personal link
    (set-password, RSVP, cancellation, confirmation) hidden: an organizer reads what a
    participant got without holding the links that act as that participant."""
    return message_as_sent(_LinksHidden(message))


# ---------------------------------------------------------------- backends

def memory_outbox() -> list[EmailMessage]:
    """Messages 'sent' with MAIL_BACKEND=memory (tests)."""
    return current_app.extensions.setdefault("mail_memory_outbox", [])


def describe(error: BaseException) -> str:
    """'SMTPRecipientsRefused: 550 5.1.1 No such user', the way the Mail tab shows it."""
    name = type(error).__name__
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        code, text = next(iter(error.recipients.values()))
        return f"{name}: {code} {_text(text)}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{name}: {error.smtp_code} {_text(error.smtp_error)}"
    return f"{name}: {error}"


def _text(answer: bytes | str) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)


def _answer_code(error: smtplib.SMTPException) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return min(codes) if codes else None
    return getattr(error, "smtp_code", None)


class SmtpBackend:
    """One SMTP connection for a batch, opened before any message of it is claimed."""

    def __init__(self) -> None:
        self.connection: smtplib.SMTP | None = None

    def open(self) -> None:
        config = current_app.config
        timeout = min(config.get("MAIL_TIMEOUT", 30),
                      claim_lease().total_seconds() / WAITS_PER_MESSAGE)
        context = ssl.create_default_context()
        host, port = config["MAIL_SERVER"], config["MAIL_PORT"]
        try:
            if config["MAIL_USE_SSL"]:
                connection = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
            else:
                connection = smtplib.SMTP(host, port, timeout=timeout)
            try:
                if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
                    connection.starttls(context=context)
                if config.get("MAIL_USERNAME"):
                    connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            except BaseException:
                connection.close()
                raise
        except (OSError, smtplib.SMTPException) as error:
            raise ServerUnavailable(describe(error)) from None
        self.connection = connection

    def deliver(self, email: EmailMessage, message: Message) -> None:
        if self.connection is None:
            self.open()
        to_address = smtp_address(message.recipient)
        try:
            self.connection.send_message(email, from_addr=email["From"].addresses[0].addr_spec,
                                         to_addrs=[to_address])
        except smtplib.SMTPNotSupportedError:
            raise PermanentFailure(
                f"The mail server does not take addresses with letters beyond ASCII before the @ "
                f"(it offers no SMTPUTF8), so {to_address} cannot be reached through it.") from None
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            code = _answer_code(error)
            if code is not None and 500 <= code < 600:
                raise PermanentFailure(describe(error)) from None
            raise TemporaryFailure(describe(error)) from None
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise ServerUnavailable(describe(error)) from None

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                self.connection.close()
            self.connection = None


class FileBackend:
    """Each message as an .eml file under instance/outbox/ (development)."""

    def open(self) -> None:
        pass

    def deliver(self, email: EmailMessage, message: Message) -> None:
        folder = Path(current_app.instance_path) / "outbox"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{message.id:08d}-{message.kind}.eml").write_bytes(email.as_bytes())

    def close(self) -> None:
        pass


class MemoryBackend(FileBackend):
    def deliver(self, email: EmailMessage, message: Message) -> None:
        memory_outbox().append(email)


BACKENDS = {"smtp": SmtpBackend, "file": FileBackend, "memory": MemoryBackend}


def _backend():
    name = current_app.config["MAIL_BACKEND"]
    if name not in BACKENDS:
        raise RuntimeError(f"Unknown MAIL_BACKEND {name!r}: use smtp, file or memory.")
    return BACKENDS[name]()


# ---------------------------------------------------------------- the queue

def _due(now: dt.datetime):
    return (Message.status == MessageStatus.QUEUED, Message.next_attempt_at <= now,
            or_(Message.claimed_until.is_(None), Message.claimed_until <= now))


def _claim(message_id: int, now: dt.datetime | None = None) -> bool:
    """Take the message for this process until the lease ends; False if another has it."""
    now = now or utcnow()
    claimed = db.session.execute(
        update(Message).where(Message.id == message_id, *_due(now))
        .values(attempts=Message.attempts + 1, claimed_until=now + claim_lease())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _retry_later(message: Message, error: str, report: DeliveryReport) -> None:
    message.last_error = error
    if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.status = MessageStatus.FAILED
        message.last_error = f"{error} (gave up after {message.attempts} attempts)"
        report.failed += 1
    else:
        message.next_attempt_at = utcnow() + retry_delay(message.attempts)
        report.retrying += 1


def send_due_messages(*, limit: int = BATCH_SIZE) -> DeliveryReport:
    """Send every queued message that is due; commits after each message."""
    report = DeliveryReport()
    due_ids = db.session.scalars(
        select(Message.id).where(*_due(utcnow()))
        .order_by(Message.next_attempt_at, Message.id).limit(limit)
    ).all()
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    domain = mail_domain()
    backend = _backend()
    try:
        if due_ids:
            try:
                backend.open()
            except ServerUnavailable as unavailable:
                report.problem = str(unavailable)
        for message_id in due_ids:
            if not _claim(message_id):
                continue
            message = db.session.get(Message, message_id, populate_existing=True)
            try:
                if report.problem is not None:
                    raise ServerUnavailable(report.problem)
                backend.deliver(build_email(message, sender, domain=domain), message)
            except PermanentFailure as failure:
                message.status, message.last_error = MessageStatus.FAILED, str(failure)
                report.failed += 1
            except TemporaryFailure as failure:
                if isinstance(failure, ServerUnavailable):
                    report.problem = str(failure)
                _retry_later(message, str(failure), report)
            else:
                message.status, message.sent_at, message.last_error = MessageStatus.SENT, utcnow(), None
                report.sent += 1
            message.claimed_until = None
            db.session.commit()
    finally:
        backend.close()
    record_run(report)
    return report


def record_run(report: DeliveryReport) -> None:
    """This process was here: the Mail tab's "last delivery run"."""
    now = utcnow()
    name = f"{socket.gethostname()} pid {os.getpid()}"[:200]
    row = db.session.get(MailSender, name)
    if row is None or row.started_at != PROCESS_STARTED:
        db.session.execute(delete(MailSender).where(MailSender.last_run_at < now - FORGET_SENDERS_AFTER))
        if row is None:
            row = MailSender(name=name)
            db.session.add(row)
        row.started_at, row.sent, row.retrying, row.failed = PROCESS_STARTED, 0, 0, 0
    row.last_run_at = now
    row.sent += report.sent
    row.retrying += report.retrying
    row.failed += report.failed
    row.last_problem = report.problem
    db.session.commit()


def last_sender() -> MailSender | None:
    return db.session.scalar(select(MailSender).order_by(MailSender.last_run_at.desc()).limit(1))


def _scoped(statement, scope: ColumnElement[bool] | None):
    return statement if scope is None else statement.where(scope)


def make_due_now(scope: ColumnElement[bool] | None = None) -> int:
    """Every queued message (in `scope`, a condition on Message; None: all) due at once,
    those waiting for their retry too; returns how many were waiting. Messages a sender
    holds keep their claim: none goes twice. Messages not tried yet whose time has not come
    are held for the organizer to undo them (eventmgr/undo.py): they keep their time, or
    "send now" would take the undo away."""
    now = utcnow()
    return db.session.execute(
        _scoped(update(Message).where(Message.status == MessageStatus.QUEUED,
                                      Message.next_attempt_at > now, Message.attempts > 0), scope)
        .values(next_attempt_at=now).execution_options(synchronize_session=False)).rowcount


def retry_message(message: Message) -> None:
    """Put a failed message back in the queue with a fresh count of attempts."""
    if message.status is not MessageStatus.FAILED:
        return
    message.status = MessageStatus.QUEUED
    message.attempts = 0
    message.next_attempt_at = utcnow()


def retry_failed(scope: ColumnElement[bool] | None = None) -> int:
    """Every failed message (in `scope`; None: all) queued again with fresh attempts."""
    return db.session.execute(
        _scoped(update(Message).where(Message.status == MessageStatus.FAILED), scope)
        .values(status=MessageStatus.QUEUED, attempts=0, next_attempt_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
