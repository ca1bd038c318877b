"""The Mail tab: whether a sender runs, sending waiting messages now, retrying all failed,
and each message opened as sent."""

from __future__ import annotations

import datetime as dt
import email
import html
from email import policy

import sqlalchemy as sa

from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.mail import sender
from eventmgr.mail.enums import MessageStatus
from eventmgr.mail.models import Message
from eventmgr.mail.service import queue_message
from eventmgr.registry.registration import register_participant
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_person, make_series


def _messages(event, count: int, **fields) -> list[Message]:
    messages = [queue_message(kind="reminder", recipient=f"p{n}@example.org", subject=f"Reminder {n}",
                              body_text="Hello", event_id=event.id) for n in range(count)]
    db.session.flush()
    for message in messages:
        for key, value in fields.items():
            setattr(message, key, value)
    db.session.commit()
    return messages


def _page(client, url: str) -> str:
    return html.unescape(client.get(url).get_data(as_text=True))


def test_the_tab_says_when_no_sender_has_run_and_when_one_last_ran(client, auth, app_ctx):
    event = make_event()
    _messages(event, 2)
    auth.login(Role.ORGANIZER)
    tab = " ".join(_page(client, f"/events/{event.slug}/mail").split())
    assert "No sender has run: messages wait in the outbox until <code>flask outbox send --loop</code> runs" \
        in tab

    sender.send_due_messages()
    page = " ".join(_page(client, f"/events/{event.slug}/mail").split())
    assert "Last delivery run just now" in page and "No sender has run" not in page


def test_send_now_asks_with_a_count_then_makes_every_waiting_message_due(client, auth, app_ctx):
    event, other = make_event(), make_event()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    waiting = _messages(event, 3, attempts=2, next_attempt_at=later)
    [elsewhere] = _messages(other, 1, attempts=2, next_attempt_at=later)
    auth.login(Role.ORGANIZER)

    tab = " ".join(_page(client, f"/events/{event.slug}/mail").split())
    question = " ".join(_page(client, f"/events/{event.slug}/mail/send-now").split())
    answer = client.post(f"/events/{event.slug}/mail/send-now", follow_redirects=True)

    assert "Send 3 queued messages now…" in tab and "3 waiting for a retry" in tab
    assert "Send 3 queued messages now?" in question and "3 messages are waiting for a retry" in question
    assert "flask outbox send --loop" in html.unescape(answer.get_data(as_text=True))  # none runs
    now = dt.datetime.now(dt.UTC)
    for message in waiting:
        db.session.refresh(message)
        assert message.next_attempt_at <= now
    db.session.refresh(elsewhere)
    assert elsewhere.next_attempt_at == later  # another event's messages are left alone


def test_send_now_leaves_a_mailing_held_to_be_undone_to_its_time(client, auth, app_ctx):
    """A mass mailing waits MAIL_UNDO_SECONDS, not tried yet, so the organizer can take it back:
    "send now" (after an outage) does not take that away, nor count it as waiting for a retry."""
    event = make_event()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)
    held = _messages(event, 2, next_attempt_at=later)
    [retry] = _messages(event, 1, attempts=1, next_attempt_at=later)
    auth.login(Role.ORGANIZER)

    tab = " ".join(_page(client, f"/events/{event.slug}/mail").split())
    question = " ".join(_page(client, f"/events/{event.slug}/mail/send-now").split())
    client.post(f"/events/{event.slug}/mail/send-now")

    assert ">queued, 1 waiting for a retry, 2 held so they can be undone<" in tab
    assert "Send 1 queued message now…" in tab and "Send 1 queued message now?" in question
    assert "2 messages just sent or cancelled are held for the 2 minutes in which they can be undone" \
        in question
    for message in (*held, retry):
        db.session.refresh(message)
    assert [message.next_attempt_at == later for message in held] == [True, True]
    assert retry.next_attempt_at <= dt.datetime.now(dt.UTC)


def test_retry_all_failed_asks_with_a_count_then_queues_them_again(client, auth, app_ctx):
    event = make_event()
    failed = _messages(event, 4, status=MessageStatus.FAILED, attempts=30, last_error="SMTP 550")
    auth.login(Role.ORGANIZER)

    question = " ".join(_page(client, "/mail/retry-failed").split())
    client.post("/mail/retry-failed")

    assert "Retry 4 failed messages?" in question
    assert [(m.status, m.attempts) for m in db.session.scalars(sa.select(Message))] == \
        [(MessageStatus.QUEUED, 0)] * len(failed)


def test_a_message_opens_as_sent_with_its_html_sandboxed(client, auth, app_ctx):
    event = make_event()
    message = queue_message(kind="invitation", recipient="ada@example.org", subject="Invitation: Frankfurt",
                            body_text="Dear Ada,\n\nPlease come.", event_id=event.id,
                            body_html="<p>Dear Ada</p><script>alert(document.cookie)</script>",
                            ics="BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n",
                            ics_method="REQUEST")
    db.session.commit()
    auth.login(Role.ORGANIZER)

    page = client.get(f"/mail/{message.id}").get_data(as_text=True)
    frame = client.get(f"/mail/{message.id}/html")
    source = client.get(f"/mail/{message.id}.eml")

    assert "Message-ID" in page and "Date" in page and "Dear Ada,\n\nPlease come." in page
    assert "text/calendar (method REQUEST)" in page and "METHOD:REQUEST" in page
    assert "<script>alert" not in page  # the HTML part only as escaped source on our page
    assert f'<iframe class="mail-html" sandbox src="/mail/{message.id}/html"' in page
    assert frame.headers["Content-Security-Policy"].startswith("sandbox; default-src 'none'")
    mail = email.message_from_bytes(source.data, policy=policy.default)
    assert (mail["To"], mail["Subject"]) == ("ada@example.org", "Invitation: Frankfurt")
    assert mail["Message-ID"] in html.unescape(page)


def test_the_tab_runs_a_fixed_number_of_queries_whatever_the_messages(client, auth, app_ctx, count_queries):
    event = make_event()
    auth.login(Role.ORGANIZER)
    counts = []
    for count in (3, 30):
        _messages(event, count)
        with count_queries() as statements:
            assert client.get(f"/events/{event.slug}/mail").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_on_all_messages_an_organizer_acts_on_the_series_they_run_only(client, auth, app_ctx):
    ours = make_event()
    theirs = make_event(make_series(staff=False))
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    [waiting] = _messages(ours, 1, attempts=2, next_attempt_at=later)
    [elsewhere] = _messages(theirs, 1, attempts=2, next_attempt_at=later)
    [failed_elsewhere] = _messages(theirs, 1, status=MessageStatus.FAILED)
    auth.login(Role.ORGANIZER)

    question = " ".join(_page(client, "/mail/send-now").split())
    client.post("/mail/send-now")
    client.post("/mail/retry-failed")

    assert "Send 1 queued message now?" in question
    for message in (waiting, elsewhere, failed_elsewhere):
        db.session.refresh(message)
    assert waiting.next_attempt_at <= dt.datetime.now(dt.UTC)
    assert (elsewhere.next_attempt_at, failed_elsewhere.status) == (later, MessageStatus.FAILED)
    assert client.get(f"/mail/{elsewhere.id}").status_code == 404


def test_a_message_opened_by_staff_hides_the_participants_personal_links(client, auth, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    register_participant(event, person=make_person("amani@example.org"))
    rsvp = "Rsvp-T0ken_abcdefghijklmnopqrstuvwx"
    invitation = queue_message(kind="invitation", recipient="li@example.org", subject="Invitation",
                               body_text="Answer: https://events.example.org/rsvp/" + rsvp + ".",
                               body_html=f'<a href="https://events.example.org/rsvp/{rsvp}">Answer</a>',
                               event_id=event.id)
    db.session.commit()
    message = db.session.scalar(sa.select(Message).where(Message.recipient == "amani@example.org"))
    tokens = [line.rsplit("/", 1)[1] for line in message.body_text.split()
              if "/auth/set-password/" in line or "/cancel/" in line]
    auth.login(Role.ORGANIZER)

    shown = [_page(client, f"/mail/{message.id}"),
             client.get(f"/mail/{message.id}.eml").get_data(as_text=True)]
    invitation_shown = [_page(client, f"/mail/{invitation.id}"), _page(client, f"/mail/{invitation.id}/html")]

    assert len(tokens) == 2 and all(len(token) > 20 for token in tokens)
    for text in shown:
        assert "/[token]" in text and not any(token in text for token in tokens)
    for text in invitation_shown:
        assert "/rsvp/[token]" in text and rsvp not in text
    assert "/rsvp/[token]." in invitation_shown[0]  # the sentence's full stop is kept
    assert tokens[0] in sender.message_as_sent(message).get_body(("plain",)).get_content()
