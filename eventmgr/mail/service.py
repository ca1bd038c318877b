"""Writing messages to the outbox. Delivery is in eventmgr.mail.sender."""

from __future__ import annotations

from eventmgr.extensions import db
from eventmgr.mail.models import Message


def queue_message(*, kind: str, recipient: str, subject: str, body_text: str,
                  body_html: str | None = None, event_id: int | None = None,
                  ics: str | None = None, ics_method: str | None = None) -> Message:
    """Add a message to the outbox in the caller's transaction; it is sent after commit."""
    message = Message(kind=kind, recipient=recipient, subject=subject, body_text=body_text,
                      body_html=body_html, event_id=event_id, ics=ics, ics_method=ics_method)
    db.session.add(message)
    return message
