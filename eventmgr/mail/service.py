"""Writing messages to the outbox. Delivery is in eventmgr.mail.sender."""

from __future__ import annotations

import uuid
from email.utils import parseaddr
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import insert

from eventmgr.defuse import defuse_links
from eventmgr.extensions import db
from eventmgr.links import external_url
from eventmgr.mail import calendar
from eventmgr.mail.models import Message, MessageAttachment
from eventmgr.mail.sender import one_line

if TYPE_CHECKING:
    from eventmgr.agenda.models import AgendaSession
    from eventmgr.series.models import Event


def queue_message(*, kind: str, recipient: str, subject: str, body_text: str,
                  body_html: str | None = None, event_id: int | None = None,
                  ics: str | None = None, ics_method: str | None = None,
                  attachments: list[tuple[str, str, bytes]] = ()) -> Message:
    """Add a message to the outbox in the caller's transaction; it is sent after commit.

    `attachments` are (filename, MIME type, content) triples.
    """
    message = Message(kind=kind, recipient=recipient, subject=one_line(subject), body_text=body_text,
                      body_html=body_html, event_id=event_id, ics=ics, ics_method=ics_method,
                      attachments=[MessageAttachment(filename=name, mimetype=mimetype, content=content)
                                   for name, mimetype, content in attachments])
    db.session.add(message)
    return message


def queue_messages(messages: list[dict]) -> None:
    """Add many messages to the outbox in one INSERT (each a dict of queue_message's arguments).

    For mass mailings: the ORM's one-by-one flush would cost a statement per message on SQLite.
    """
    if messages:
        db.session.execute(insert(Message), [message | {"subject": one_line(message["subject"])}
                                             for message in messages])


def calendar_organizer() -> calendar.Organizer:
    """MAIL_ORGANIZER, the mailbox that takes calendar answers; without it the sender,
    and no answer is asked for (an "Accept" would go nowhere)."""
    configured = current_app.config.get("MAIL_ORGANIZER")
    name, address = parseaddr(configured or current_app.config["MAIL_DEFAULT_SENDER"])
    return calendar.Organizer(name=name, email=address, takes_replies=bool(configured))


def _uid_domain() -> str:
    # Event UIDs keep the sender's domain they always had, whoever the organizer is.
    return parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2] or "eventmgr"


def calendar_entry(event: Event, *,
                   sequence: int = calendar.EVENT_REQUEST_SEQUENCE) -> calendar.CalendarEntry:
    """The whole event as one calendar entry, with the UID every REQUEST and CANCEL of it shares."""
    return calendar.CalendarEntry(
        uid=calendar.event_uid(event.id, _uid_domain()),
        sequence=sequence, summary=event.title, start=event.start_date, end=event.end_date,
        location=event.place,
        description=external_url("series.event_page", slug=event.slug))


def event_cancel_ics(event: Event, *, name: str, email: str) -> str:
    """A METHOD:CANCEL that takes the event out of the calendar of someone no longer coming."""
    entry = calendar_entry(event, sequence=calendar.EVENT_CANCEL_SEQUENCE)
    return calendar.cancel_ics(entry, organizer=calendar_organizer(), attendee=(name, email))


def event_publish_ics(event: Event) -> str:
    """The whole event as a calendar file to add (the entry its invitations and cancellations name)."""
    return calendar.publish_ics(calendar_entry(event))


def queue_session_cancel(session: AgendaSession) -> list[Message]:
    """A METHOD:CANCEL of a cancelled session to each person named in it who has an address,
    with the agenda feed's UID. An item without a time was in no calendar: nothing to send."""
    event = session.event
    if session.starts_at is None:
        return []
    namespace = uuid.UUID(str(current_app.config["EVENTMGR_UID_NAMESPACE"]))
    zone = event.zone
    entry = calendar.CalendarEntry(
        uid=str(uuid.uuid5(namespace, f"session-{session.id}")), sequence=session.sequence,
        summary=session.title, start=session.starts_at.astimezone(zone),
        end=(session.ends_at or session.starts_at).astimezone(zone),
        location=event.venue_city, description=external_url("series.event_page", slug=event.slug))
    organizer = calendar_organizer()
    people = {role.person.email_key: role.person for role in session.roles
              if role.person is not None and role.person.email_key}
    return [queue_message(
        kind="session_cancelled", recipient=person.email, subject=f"Cancelled: {session.title}",
        body_text=f"Dear {defuse_links(person.full_name)},\n\n“{session.title}” at {event.title} is "
                  "cancelled; this message removes it from your calendar.\n",
        event_id=event.id, ics_method="CANCEL",
        ics=calendar.cancel_ics(entry, organizer=organizer, attendee=(person.full_name, person.email)))
        for person in people.values()]
