"""The organizer's view of the outbox: an event's messages, all messages, retrying failures."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from eventmgr.auth.decorators import manages, staff_required
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.mail.enums import MessageStatus
from eventmgr.mail.models import Message
from eventmgr.mail.sender import retry_message
from eventmgr.series.models import Event
from eventmgr.series.views import event_for_staff

bp = Blueprint("mail", __name__)

PAGE_SIZE = 100


def _messages(event_id: int | None):
    status = request.args.get("status")
    status = MessageStatus(status) if status in set(MessageStatus) else None
    query = select(Message).order_by(Message.id.desc())
    if event_id is not None:
        query = query.where(Message.event_id == event_id)
    elif (series_ids := current_user.granted_series_ids) is not None:
        # An organizer sees the mail of the series they run; account mails are the admins' only.
        query = query.where(Message.event_id.in_(select(Event.id).where(Event.series_id.in_(series_ids))))
    if status is not None:
        query = query.where(Message.status == status)
    return db.paginate(query, per_page=PAGE_SIZE, error_out=False), status


@bp.route("/events/<slug>/mail")
@staff_required
def outbox(slug: str):
    """The event's messages with their status."""
    event = event_for_staff(slug)
    page, status = _messages(event.id)
    return render_template("mail/outbox.html", event=event, page=page, status=status,
                           statuses=list(MessageStatus))


@bp.route("/mail")
@staff_required
def all_messages():
    """Every message the app sent or will send."""
    page, status = _messages(None)
    return render_template("mail/outbox.html", event=None, page=page, status=status,
                           statuses=list(MessageStatus))


@bp.route("/mail/<int:message_id>/retry", methods=["POST"])
@staff_required
def retry(message_id: int):
    """Queue a failed message again."""
    message = db.session.get(Message, message_id)
    event = db.session.get(Event, message.event_id) if message is not None and message.event_id else None
    if message is None or not (manages(event) if event else current_user.role is Role.ADMIN):
        abort(404)
    retry_message(message)
    db.session.commit()
    flash("The message is queued again.", "success")
    return redirect(url_for("mail.outbox", slug=event.slug) if event else url_for("mail.all_messages"))
