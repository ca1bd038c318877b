"""Access policy of the outbox pages (see tests/access.py)."""

from eventmgr.extensions import db
from eventmgr.mail.service import queue_message
from tests.access import STAFF, Access, post

POLICY = {
    "mail.outbox": Access(STAFF),
    "mail.all_messages": Access(STAFF),
    # The message's event names the series.
    "mail.retry": post(STAFF, series_scoped=True),
    "mail.message": Access(STAFF, series_scoped=True),
    "mail.message_html": Access(STAFF, series_scoped=True),
    "mail.message_source": Access(STAFF, series_scoped=True),
    # GET asks for confirmation; the POST that acts is behind the same check.
    "mail.send_now": Access(STAFF),
    "mail.send_all_now": Access(STAFF),
    "mail.retry_failed": Access(STAFF),
    "mail.retry_all_failed": Access(STAFF),
}


def prepare(world) -> dict:
    message = queue_message(kind="test", recipient="someone@example.org", subject="Hello", body_text="Hi",
                            body_html="<p>Hi</p>", event_id=world.event_id)
    db.session.commit()
    return {"message_id": message.id}
