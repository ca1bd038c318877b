"""Delivery of the outbox: a real local SMTP server, outages, retries, no message twice."""

from __future__ import annotations

import datetime as dt
import email
import ssl
from email import policy

import pytest
import sqlalchemy as sa
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from bench.gunicorn import free_port
from eventmgr.extensions import db
from eventmgr.invitations import service as invitations
from eventmgr.mail import sender
from eventmgr.mail.enums import MessageStatus
from eventmgr.mail.models import Message
from eventmgr.mail.service import queue_message
from tests.builders import make_event, make_person

SENDER = "Conference team <team@example.org>"


class Inbox:
    """aiosmtpd handler keeping every envelope it accepts."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls its hooks by name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_app(make_app):
    port = free_port()
    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                   MAIL_USE_SSL=False, MAIL_USERNAME=None, MAIL_PASSWORD=None, MAIL_DEFAULT_SENDER=SENDER,
                   MAIL_MAX_ATTEMPTS=3)
    app.config["TEST_SMTP_PORT"] = port
    return app


def _serve(app, inbox: Inbox) -> Controller:
    server = Controller(inbox, hostname="127.0.0.1", port=app.config["TEST_SMTP_PORT"])
    server.start()
    return server


def _statuses() -> list[tuple[str, MessageStatus, int]]:
    return [tuple(row) for row in db.session.execute(
        sa.select(Message.recipient, Message.status, Message.attempts).order_by(Message.id))]


def test_invitations_arrive_with_personal_links_and_the_calendar_request(smtp_app):
    inbox = Inbox()
    with smtp_app.app_context():
        event = make_event(title="Frankfurt conference")
        people = [make_person("ada@example.org", given_name="Ada", family_name="Lovelace"),
                  make_person("alan@example.org", given_name="Alan", family_name="Turing")]
        invitations.invite_people(event, people)
        invitations.send_invitations(event, sender=SENDER)
        db.session.commit()
        server = _serve(smtp_app, inbox)
        try:
            report = sender.send_due_messages()
        finally:
            server.stop()

        assert (report.sent, report.retrying, report.failed) == (2, 0, 0)
    assert [envelope.rcpt_tos for envelope in inbox.envelopes] == [["ada@example.org"], ["alan@example.org"]]
    mails = [email.message_from_bytes(envelope.content, policy=policy.default)
             for envelope in inbox.envelopes]
    links = []
    for mail, name in zip(mails, ("Ada Lovelace", "Alan Turing"), strict=True):
        assert mail["Subject"] == "Invitation: Frankfurt conference"
        text = mail.get_body(("plain",)).get_content()
        assert f"Dear {name}," in text
        links.append(next(line for line in text.splitlines() if "/rsvp/" in line))
        [calendar_part] = [part for part in mail.walk() if part.get_content_type() == "text/calendar"]
        assert calendar_part.get_param("method") == "REQUEST"
        ics = calendar_part.get_content()
        assert "METHOD:REQUEST" in ics and f"mailto:{mail['To']}" in ics.replace("\r\n ", "")
        assert 'ORGANIZER;CN="Conference team":mailto:team@example.org' in ics
        [attachment] = [part for part in mail.iter_attachments()]
        assert (attachment.get_content_type(), attachment.get_filename()) == ("application/ics", "invite.ics")
    assert len(set(links)) == 2


def test_messages_wait_out_an_outage_and_go_out_once(smtp_app):
    inbox = Inbox()
    with smtp_app.app_context():
        for n in range(3):
            queue_message(kind="confirmation", recipient=f"p{n}@example.org", subject="Hi", body_text="Hello")
        db.session.commit()

        down = sender.send_due_messages()
        not_yet_due = sender.send_due_messages()
        assert (down.retrying, not_yet_due.handled) == (3, 0)
        assert _statuses() == [(f"p{n}@example.org", MessageStatus.QUEUED, 1) for n in range(3)]
        assert all(db.session.scalars(sa.select(Message.last_error)))

        db.session.execute(sa.update(Message).values(next_attempt_at=dt.datetime.now(dt.UTC)))
        db.session.commit()
        server = _serve(smtp_app, inbox)
        try:
            back = sender.send_due_messages()
            again = sender.send_due_messages()
        finally:
            server.stop()

        assert (back.sent, again.handled) == (3, 0)
        assert _statuses() == [(f"p{n}@example.org", MessageStatus.SENT, 2) for n in range(3)]
    assert sorted(r for envelope in inbox.envelopes for r in envelope.rcpt_tos) == \
        [f"p{n}@example.org" for n in range(3)]


def test_a_message_fails_for_good_after_the_last_attempt_and_can_be_retried(smtp_app):
    with smtp_app.app_context():
        message = queue_message(kind="reminder", recipient="x@example.org", subject="Hi", body_text="Hello")
        db.session.commit()
        for _ in range(3):
            sender.send_due_messages()
            db.session.execute(sa.update(Message).values(next_attempt_at=dt.datetime.now(dt.UTC)))
            db.session.commit()

        db.session.refresh(message)
        assert (message.status, message.attempts) == (MessageStatus.FAILED, 3)
        assert message.last_error.startswith("ConnectionRefusedError")

        sender.retry_message(message)
        db.session.commit()
        assert (message.status, message.attempts) == (MessageStatus.QUEUED, 0)


def test_a_claimed_message_is_not_claimed_again(app_ctx):
    message = queue_message(kind="confirmation", recipient="x@example.org", subject="Hi", body_text="Hello")
    db.session.commit()
    now = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)

    first, second = sender._claim(message.id, now), sender._claim(message.id, now)

    assert (first, second) == (True, False)


def test_retry_delays_grow_to_an_hour():
    delays = [sender.retry_delay(n) for n in (1, 2, 3, 4, 7, 30, 10_000)]

    assert delays == [dt.timedelta(minutes=1), dt.timedelta(minutes=2), dt.timedelta(minutes=4),
                      dt.timedelta(minutes=8), dt.timedelta(hours=1), dt.timedelta(hours=1),
                      dt.timedelta(hours=1)]


def test_file_backend_writes_eml_files(make_app, tmp_path):
    app = make_app(MAIL_BACKEND="file")
    with app.app_context():
        queue_message(kind="confirmation", recipient="x@example.org", subject="Hi", body_text="Hello")
        db.session.commit()
        sender.send_due_messages()

    [path] = (tmp_path / "outbox").iterdir()
    mail = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert (path.name, mail["To"], mail.get_content().strip()) == \
        ("00000001-confirmation.eml", "x@example.org", "Hello")


def test_outbox_send_command_reports_what_it_did(make_app):
    app = make_app(MAIL_BACKEND="memory")
    with app.app_context():
        queue_message(kind="confirmation", recipient="x@example.org", subject="Hi", body_text="Hello")
        db.session.commit()

    result = app.test_cli_runner().invoke(args=["outbox", "send"])

    assert (result.exit_code, result.output) == (0, "sent 1, will retry 0, failed 0\n")
    with app.app_context():
        assert [mail["To"] for mail in sender.memory_outbox()] == ["x@example.org"]


class Credentials:
    """aiosmtpd authenticator accepting one login."""

    def __init__(self, login: str, password: str) -> None:
        self.expected = (login.encode(), password.encode())

    def __call__(self, server, session, envelope, mechanism, auth_data):
        # handled=False: aiosmtpd then answers a refusal with 535 itself
        return AuthResult(success=(auth_data.login, auth_data.password) == self.expected, handled=False)


@pytest.fixture
def certificate_authority(tmp_path, monkeypatch):
    """A throwaway CA that the sender trusts, through the OpenSSL default verify paths."""
    authority = trustme.CA()
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    return authority


def _server_context(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


def _deliver_one(app, server: Controller) -> tuple[sender.DeliveryReport, Message]:
    with app.app_context():
        message = queue_message(kind="confirmation", recipient="x@example.org", subject="Hi",
                                body_text="Hello")
        db.session.commit()
        server.start()
        try:
            report = sender.send_due_messages()
        finally:
            server.stop()
        db.session.refresh(message)
        db.session.expunge(message)
    return report, message


def test_implicit_tls_delivers_when_mail_use_ssl_is_set(smtp_app, certificate_authority):
    smtp_app.config["MAIL_USE_SSL"] = True
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=smtp_app.config["TEST_SMTP_PORT"],
                        ssl_context=_server_context(certificate_authority))

    report, message = _deliver_one(smtp_app, server)

    assert (report.sent, message.status) == (1, MessageStatus.SENT)
    assert [envelope.rcpt_tos for envelope in inbox.envelopes] == [["x@example.org"]]


def _starttls_server(app, authority: trustme.CA, inbox: Inbox) -> Controller:
    """A submission server that accepts AUTH only after STARTTLS, like port 587 in production."""
    return Controller(inbox, hostname="127.0.0.1", port=app.config["TEST_SMTP_PORT"],
                      tls_context=_server_context(authority), require_starttls=True,
                      auth_required=True, auth_require_tls=True,
                      authenticator=Credentials("events@example.org", "s3cret"))


def test_starttls_and_login_deliver_when_mail_use_tls_is_set(smtp_app, certificate_authority):
    smtp_app.config.update(MAIL_USE_TLS=True, MAIL_USERNAME="events@example.org", MAIL_PASSWORD="s3cret")
    inbox = Inbox()

    report, message = _deliver_one(smtp_app, _starttls_server(smtp_app, certificate_authority, inbox))

    assert (report.sent, message.status, message.last_error) == (1, MessageStatus.SENT, None)
    assert [envelope.rcpt_tos for envelope in inbox.envelopes] == [["x@example.org"]]


def test_a_wrong_password_keeps_the_message_queued_with_the_server_answer(smtp_app, certificate_authority):
    smtp_app.config.update(MAIL_USE_TLS=True, MAIL_USERNAME="events@example.org", MAIL_PASSWORD="wrong")
    inbox = Inbox()

    report, message = _deliver_one(smtp_app, _starttls_server(smtp_app, certificate_authority, inbox))

    assert (report.retrying, message.status, inbox.envelopes) == (1, MessageStatus.QUEUED, [])
    assert message.last_error.startswith("SMTPAuthenticationError")


def test_an_untrusted_certificate_is_refused_before_the_password_is_sent(smtp_app, certificate_authority):
    smtp_app.config.update(MAIL_USE_TLS=True, MAIL_USERNAME="events@example.org", MAIL_PASSWORD="s3cret")
    inbox = Inbox()
    impostor = trustme.CA()  # its certificate is not signed by the CA the sender trusts

    report, message = _deliver_one(smtp_app, _starttls_server(smtp_app, impostor, inbox))

    assert (report.retrying, message.status, inbox.envelopes) == (1, MessageStatus.QUEUED, [])
    assert "CERTIFICATE_VERIFY_FAILED" in message.last_error
