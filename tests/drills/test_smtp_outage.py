"""Fault drill: the SMTP server is down, then up → every queued message delivered once.

A real SMTP server (aiosmtpd) on 127.0.0.1 receives what `flask outbox send` sends.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from bench.gunicorn import free_port
from eventmgr.extensions import db
from eventmgr.mail.enums import MessageStatus
from eventmgr.mail.models import Message
from eventmgr.mail.service import queue_message

pytest.importorskip("eventmgr.mail.sender", reason="the outbox sender (eventmgr.mail.sender) is not built")
pytestmark = pytest.mark.slow

RECIPIENTS = [f"delegate-{n}@example.org" for n in range(5)]


class Inbox:
    """aiosmtpd handler keeping every envelope it accepts."""

    def __init__(self) -> None:
        self.recipients: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls its hooks by name
        self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def statuses() -> Counter:
    return Counter(db.session.scalars(sa.select(Message.status)))


def test_messages_wait_out_an_smtp_outage_and_arrive_exactly_once(make_app):
    port = free_port()
    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                   MAIL_USE_SSL=False, MAIL_USERNAME=None, MAIL_PASSWORD=None)
    runner = app.test_cli_runner()
    with app.app_context():
        for recipient in RECIPIENTS:
            queue_message(kind="confirmation", recipient=recipient, subject="Your registration",
                          body_text="You are registered.")
        db.session.commit()

    runner.invoke(args=["outbox", "send"])  # nothing listens on the port
    with app.app_context():
        assert statuses() == {MessageStatus.QUEUED: len(RECIPIENTS)}
        failed = db.session.scalars(sa.select(Message)).all()
        assert [(message.attempts, bool(message.last_error)) for message in failed] == \
            [(1, True)] * len(RECIPIENTS)
        # Time passes: the retries come due.
        db.session.execute(sa.update(Message).values(
            next_attempt_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
        db.session.commit()

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        delivered = runner.invoke(args=["outbox", "send"])
        again = runner.invoke(args=["outbox", "send"])
    finally:
        server.stop()

    assert (delivered.exit_code, again.exit_code) == (0, 0), delivered.output + again.output
    assert sorted(inbox.recipients) == RECIPIENTS
    with app.app_context():
        assert statuses() == {MessageStatus.SENT: len(RECIPIENTS)}
