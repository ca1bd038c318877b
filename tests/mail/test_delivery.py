"""Delivery against a real SMTP server (aiosmtpd on 127.0.0.1): refusals for good (5xx) and
for now (4xx), addresses beyond ASCII, flushing the queue after an outage, the claim lease."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from bench.gunicorn import free_port
from eventmgr.extensions import db
from eventmgr.mail import sender
from eventmgr.mail.enums import MessageStatus
from eventmgr.mail.models import MailSender, Message
from eventmgr.mail.service import queue_message


class Server:
    """aiosmtpd handler: accepts mail, except for the addresses it is told to refuse."""

    def __init__(self, refuse: dict[str, str] | None = None) -> None:
        self.refuse = refuse or {}
        self.delivered: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # aiosmtpd hook
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.delivered.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(make_app):
    port = free_port()
    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                   MAIL_USE_SSL=False, MAIL_USERNAME=None, MAIL_PASSWORD=None)
    servers = []

    def serve(handler: Server, **options) -> Server:
        controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
        controller.start()
        servers.append(controller)
        return handler

    yield app, serve
    for controller in servers:
        controller.stop()


def _queue(*recipients: str) -> list[Message]:
    messages = [queue_message(kind="confirmation", recipient=r, subject="Your registration", body_text="Hi")
                for r in recipients]
    db.session.commit()
    return messages


def _state(message: Message) -> tuple:
    db.session.refresh(message)
    return message.status, message.attempts


def test_a_550_fails_at_once_with_the_servers_words_and_a_451_is_retried(smtp):
    app, serve = smtp
    serve(Server({"gone@example.org": "550 5.1.1 <gone@example.org>: mailbox unavailable",
                  "busy@example.org": "451 4.3.0 Greylisted, try again later"}))
    with app.app_context():
        gone, busy, ok = _queue("gone@example.org", "busy@example.org", "ok@example.org")

        report = sender.send_due_messages()

        assert (report.sent, report.retrying, report.failed) == (1, 1, 1)
        assert _state(gone) == (MessageStatus.FAILED, 1)
        assert gone.last_error == ("SMTPRecipientsRefused: 550 5.1.1 <gone@example.org>: "
                                   "mailbox unavailable")
        assert _state(busy) == (MessageStatus.QUEUED, 1)
        assert busy.last_error.endswith("451 4.3.0 Greylisted, try again later")
        assert busy.next_attempt_at > dt.datetime.now(dt.UTC)
        assert _state(ok) == (MessageStatus.SENT, 1)
        # The refused message is not tried again, however often the sender runs.
        sender.make_due_now()
        sender.send_due_messages()
        assert _state(gone) == (MessageStatus.FAILED, 1)


def test_a_temporary_refusal_fails_for_good_only_after_the_last_attempt(smtp):
    app, serve = smtp
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    serve(Server({"busy@example.org": "451 4.3.0 Try again later"}))
    with app.app_context():
        [busy] = _queue("busy@example.org")
        for _ in range(3):
            sender.make_due_now()
            sender.send_due_messages()
        assert _state(busy) == (MessageStatus.FAILED, 3)
        assert busy.last_error.endswith("(gave up after 3 attempts)")


def test_an_address_beyond_ascii_goes_with_smtputf8_and_its_domain_in_idna(smtp):
    app, serve = smtp
    server = serve(Server(), enable_SMTPUTF8=True)
    with app.app_context():
        [message] = _queue("lucía.kowalski@bücher.de")
        assert sender.send_due_messages().sent == 1
        assert _state(message) == (MessageStatus.SENT, 1)
    assert server.delivered == ["lucía.kowalski@xn--bcher-kva.de"]


def test_without_smtputf8_such_an_address_fails_at_once_with_a_clear_error(smtp):
    app, serve = smtp
    serve(Server(), enable_SMTPUTF8=False)
    with app.app_context():
        [message, plain] = _queue("lucía.kowalski@example.org", "ada@bücher.de")
        report = sender.send_due_messages()
        assert (report.sent, report.failed) == (1, 1)  # the IDN domain alone needs no SMTPUTF8
        assert _state(message) == (MessageStatus.FAILED, 1)
        assert "offers no SMTPUTF8" in message.last_error
        assert _state(plain) == (MessageStatus.SENT, 1)


def test_after_an_outage_now_sends_everything_at_once_and_nothing_twice(smtp):
    app, serve = smtp
    recipients = [f"delegate-{n}@example.org" for n in range(30)]
    runner = app.test_cli_runner()
    with app.app_context():
        _queue(*recipients)
    down = runner.invoke(args=["outbox", "send"])  # nothing listens on the port
    assert "the mail server could not be reached: ConnectionRefusedError" in down.output
    with app.app_context():
        assert Counter(db.session.scalars(sa.select(Message.attempts))) == {1: 30}
        retries = db.session.scalars(sa.select(Message.next_attempt_at))
        assert all(at > dt.datetime.now(dt.UTC) for at in retries)

    server = serve(Server())
    waiting = runner.invoke(args=["outbox", "send"])  # back-off not over: nothing is due yet
    assert server.delivered == [] and waiting.output == ""
    flushed = runner.invoke(args=["outbox", "send", "--now"])
    again = runner.invoke(args=["outbox", "send", "--now"])

    assert flushed.output == "30 waiting messages due now\nsent 30, will retry 0, failed 0\n"
    assert again.output == "0 waiting messages due now\n"
    assert sorted(server.delivered) == sorted(recipients)  # each exactly once
    with app.app_context():
        assert Counter(db.session.scalars(sa.select(Message.status))) == {MessageStatus.SENT: 30}


def test_a_claim_left_by_a_killed_sender_is_taken_over_after_the_lease_never_before(smtp):
    app, serve = smtp
    server = serve(Server())
    with app.app_context():
        [message] = _queue("ada@example.org")
        claimed_at = dt.datetime.now(dt.UTC)
        assert sender._claim(message.id, claimed_at)  # ... and the sender is killed here

        assert sender.send_due_messages().handled == 0  # still held: the lease runs 2 minutes
        sender.make_due_now()  # "send now" leaves a held message to its sender
        assert sender.send_due_messages().handled == 0
        db.session.execute(sa.update(Message).values(
            claimed_until=claimed_at + sender.claim_lease() - dt.timedelta(minutes=3)))
        db.session.commit()  # two minutes later

        assert sender.send_due_messages().sent == 1
        assert sender.send_due_messages().handled == 0
        assert _state(message) == (MessageStatus.SENT, 2)
    assert server.delivered == ["ada@example.org"]


def test_two_senders_claiming_the_same_message_one_wins(app_ctx):
    [message] = _queue("ada@example.org")
    now = dt.datetime.now(dt.UTC)
    assert (sender._claim(message.id, now), sender._claim(message.id, now)) == (True, False)
    # Past the lease, exactly one other sender takes it over.
    later = now + sender.claim_lease() + dt.timedelta(seconds=1)
    assert (sender._claim(message.id, later), sender._claim(message.id, later)) == (True, False)


def test_the_lease_is_configurable(make_app):
    app = make_app(MAIL_CLAIM_LEASE_SECONDS=30)
    with app.app_context():
        assert sender.claim_lease() == dt.timedelta(seconds=30)


def test_each_run_is_recorded_for_the_mail_tab(smtp):
    app, serve = smtp
    with app.app_context():
        _queue("ada@example.org")
        sender.send_due_messages()  # the server is down
        run = db.session.scalar(sa.select(MailSender))
        assert (run.retrying, run.last_problem.startswith("ConnectionRefusedError")) == (1, True)
    serve(Server())
    with app.app_context():
        sender.make_due_now()
        sender.send_due_messages()
        db.session.expire_all()
        run = db.session.scalar(sa.select(MailSender))
        assert (run.sent, run.retrying, run.last_problem) == (1, 1, None)
