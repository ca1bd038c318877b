"""The organizer's view of the outbox: messages and their delivery, each message as sent,
sending everything waiting now, retrying failures."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from eventmgr.accesslog import redact
from eventmgr.auth.decorators import manages, staff_required
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.mail import queries, sender
from eventmgr.mail.enums import MessageStatus
from eventmgr.mail.models import Message
from eventmgr.series.models import Event
from eventmgr.series.views import event_for_staff
from eventmgr.sqltypes import utcnow
from eventmgr.templating import counted
from eventmgr.undo import window_text

bp = Blueprint("mail", __name__)

PAGE_SIZE = 100
# A sender not heard from for this long is probably not running any more.
SENDER_QUIET_MINUTES = 5
# The opened HTML part runs nothing and reaches nothing: a unique origin (sandbox),
# no scripts, no network; only inline styles and embedded images show.
HTML_PART_POLICY = ("sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                    "frame-ancestors 'self'")


def _scope(event: Event | None):
    """The messages a page works on: the event's; on /mail, those of the series the user
    runs (account mails are the admins' only); None for an admin's /mail: all."""
    if event is not None:
        return Message.event_id == event.id
    if (series_ids := current_user.granted_series_ids) is not None:
        return Message.event_id.in_(select(Event.id).where(Event.series_id.in_(series_ids)))
    return None


def _messages(event: Event | None):
    status = request.args.get("status")
    status = MessageStatus(status) if status in set(MessageStatus) else None
    query = select(Message).order_by(Message.id.desc())
    if (scope := _scope(event)) is not None:
        query = query.where(scope)
    if status is not None:
        query = query.where(Message.status == status)
    return db.paginate(query, per_page=PAGE_SIZE, error_out=False), status


def _outbox_url(event: Event | None) -> str:
    return url_for("mail.outbox", slug=event.slug) if event else url_for("mail.all_messages")


def _delivery(event: Event | None) -> dict:
    """The outbox's figures and the last sender heard from, for the Mail tab."""
    now = utcnow()
    last = sender.last_sender()
    return {"figures": queries.outbox_figures(_scope(event), now), "sender": last,
            "sender_quiet": last is not None and (now - last.last_run_at).total_seconds()
            > SENDER_QUIET_MINUTES * 60, "now": now}


def _outbox_page(event: Event | None):
    page, status = _messages(event)
    return render_template("mail/outbox.html", event=event, page=page, status=status,
                           statuses=list(MessageStatus), **_delivery(event))


@bp.route("/events/<slug>/mail")
@staff_required
def outbox(slug: str):
    """The event's messages with their status, and whether a sender delivers them."""
    return _outbox_page(event_for_staff(slug))


@bp.route("/mail")
@staff_required
def all_messages():
    """Every message the app sent or will send."""
    return _outbox_page(None)


def _send_now(event: Event | None):
    """Confirm, then make every waiting message due at once (the sender takes them)."""
    delivery = _delivery(event)
    if request.method == "GET":
        return render_template("mail/confirm.html", event=event, action="send", undo_minutes=window_text(),
                               **delivery)
    waiting = sender.make_due_now(_scope(event))
    db.session.commit()
    due = delivery["figures"].sendable
    if delivery["sender"] is None or delivery["sender_quiet"]:
        flash(Markup("{} due now, but no sender is running: start <code>flask outbox send --loop</code> "
                     "(or run <code>flask outbox send --now</code> once).").format(counted(due, "message")),
              "warning")
    else:
        flash(f"{counted(due, 'message')} due now ({waiting} were waiting for a retry): the sender "
              "delivers them on its next run, within seconds.", "success")
    return redirect(_outbox_url(event))


@bp.route("/events/<slug>/mail/send-now", methods=["GET", "POST"])
@staff_required
def send_now(slug: str):
    return _send_now(event_for_staff(slug))


@bp.route("/mail/send-now", methods=["GET", "POST"])
@staff_required
def send_all_now():
    return _send_now(None)


def _retry_failed(event: Event | None):
    """Confirm, then queue every failed message again with fresh attempts."""
    delivery = _delivery(event)
    if request.method == "GET":
        return render_template("mail/confirm.html", event=event, action="retry", **delivery)
    retried = sender.retry_failed(_scope(event))
    db.session.commit()
    flash(f"{counted(retried, 'failed message')} queued again.", "success")
    return redirect(_outbox_url(event))


@bp.route("/events/<slug>/mail/retry-failed", methods=["GET", "POST"])
@staff_required
def retry_failed(slug: str):
    return _retry_failed(event_for_staff(slug))


@bp.route("/mail/retry-failed", methods=["GET", "POST"])
@staff_required
def retry_all_failed():
    return _retry_failed(None)


def _message(message_id: int) -> tuple[Message, Event | None]:
    """The message and its event, for an organizer of its series (an account mail: admins only)."""
    message = db.session.get(Message, message_id)
    event = db.session.get(Event, message.event_id) if message is not None and message.event_id else None
    if message is None or not (manages(event) if event else current_user.role is Role.ADMIN):
        abort(404)
    return message, event


@bp.route("/mail/<int:message_id>/retry", methods=["POST"])
@staff_required
def retry(message_id: int):
    """Queue a failed message again."""
    message, event = _message(message_id)
    sender.retry_message(message)
    db.session.commit()
    flash("The message is queued again.", "success")
    return redirect(_outbox_url(event))


@bp.route("/mail/<int:message_id>")
@staff_required
def message(message_id: int):
    """One message as it is (or was) sent: headers, text, HTML, calendar part."""
    message, event = _message(message_id)
    try:
        email = sender.message_for_staff(message)
    except sender.PermanentFailure as failure:
        email, problem = None, str(failure)
    else:
        problem = None
    parts = {part.get_content_type(): part for part in email.walk()} if email else {}
    return render_template(
        "mail/message.html", event=event, message=message, email=email, problem=problem,
        text=parts["text/plain"].get_content() if "text/plain" in parts else None,
        html=parts["text/html"].get_content() if "text/html" in parts else None,
        calendar=parts["text/calendar"].get_content() if "text/calendar" in parts else None)


@bp.route("/mail/<int:message_id>/html")
@staff_required
def message_html(message_id: int):
    """The HTML part alone, for the sandboxed frame of the message page: never in our origin."""
    message, _ = _message(message_id)
    if not message.body_html:
        abort(404)
    response = Response(redact(message.body_html), mimetype="text/html")
    response.headers["Content-Security-Policy"] = HTML_PART_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.route("/mail/<int:message_id>.eml")
@staff_required
def message_source(message_id: int):
    """The whole message as an .eml file, to open in a mail client."""
    message, _ = _message(message_id)
    try:
        data = sender.message_for_staff(message).as_bytes()
    except sender.PermanentFailure as failure:
        abort(404, description=str(failure))
    response = Response(data, mimetype="message/rfc822")
    response.headers["Content-Disposition"] = f'attachment; filename="message-{message.id}.eml"'
    return response

