"""Access policy of the agenda routes (see tests/access.py)."""

import datetime as dt

from eventmgr.agenda import service
from eventmgr.agenda.enums import SessionKind
from eventmgr.auth import service as auth_service
from eventmgr.extensions import db
from eventmgr.series.models import Event
from tests.access import PUBLIC, SIGNED_IN, STAFF, Access, post
from tests.conftest import ROLE_EMAILS

POLICY = {
    "agenda.editor": Access(STAFF),
    "agenda.add_room": post(STAFF),
    "agenda.rename_room": post(STAFF),
    "agenda.delete_room": post(STAFF),
    "agenda.new_session": Access(STAFF),
    "agenda.edit_session": Access(STAFF),
    "agenda.add_person": post(STAFF),
    "agenda.remove_person": post(STAFF, role_id=999999),
    "agenda.change_function": post(STAFF, role_id=999999),
    "agenda.holder_search": Access(STAFF),
    "agenda.timetable_page": Access(STAFF),
    "agenda.place_session": post(STAFF),
    "agenda.import_programme": Access(STAFF),
    "agenda.confirm_import": post(STAFF),
    "agenda.move_session": post(STAFF),
    "agenda.duplicate_session": post(STAFF),
    "agenda.cancel_session": post(STAFF),
    "agenda.delete_session": post(STAFF),
    "agenda.publish": post(STAFF),
    "agenda.copy_agenda": post(STAFF),
    # prepare() publishes the world's agenda, so everyone may read it and its exports.
    "agenda.public": Access(PUBLIC),
    "agenda.event_ics": Access(PUBLIC),
    # The reports package's prepare() also returns a "session_id" (a draft session it makes after
    # ours), which is 404 here as every draft must be: the shared key cannot name both.
    "agenda.session_ics": Access(PUBLIC),
    "agenda.schedule_xml": Access(PUBLIC),
    "agenda.schedule_json": Access(PUBLIC),
    "agenda.api_agenda": Access(PUBLIC),
    "agenda.docx_export": Access(PUBLIC),
    "agenda.pdf_export": Access(PUBLIC),
    "agenda.personal_add": post(SIGNED_IN),
    "agenda.personal_remove": post(SIGNED_IN),
    "agenda.new_feed_link": post(SIGNED_IN),
    # A made-up token: 404 for everyone, the feed needs the secret.
    "agenda.personal_feed": Access(PUBLIC, ok=(404,), values={"token": "not-a-token"}),
}


def prepare(world) -> dict:
    """A room and a published session in it."""
    event = db.session.get(Event, world.event_id)
    organizer = auth_service.get_user_by_email(ROLE_EMAILS["organizer"])
    room = service.add_room(event, "Matrix room", organizer)
    starts = service.local_to_utc(event, dt.datetime.combine(event.start_date, dt.time(14)))
    session = service.create_session(event, organizer, kind=SessionKind.PANEL, title="Matrix session",
                                     starts_at=starts, ends_at=starts + dt.timedelta(hours=1),
                                     room_id=room.id, parent_id=None)
    service.publish_agenda(event, organizer)
    db.session.commit()
    return {"session_id": session.id, "room_id": room.id}
