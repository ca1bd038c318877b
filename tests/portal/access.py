from pathlib import Path

from flask import current_app

from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.portal import service
from eventmgr.registry.models import Person
from eventmgr.series.models import Event
from tests.access import EVENT_MEMBERS, SIGNED_IN, STAFF, Access, post
from tests.conftest import ROLE_EMAILS

PDF = b"%PDF-1.4\n%matrix\n"

POLICY = {
    "portal.area": Access(EVENT_MEMBERS),
    "portal.documents": Access(EVENT_MEMBERS),
    "portal.upload": post(EVENT_MEMBERS),
    "portal.download": Access(EVENT_MEMBERS),
    "portal.directory": Access(EVENT_MEMBERS),
    "portal.set_listing": post(EVENT_MEMBERS),
    "portal.posts": Access(EVENT_MEMBERS),
    "portal.create_post": post(EVENT_MEMBERS),
    "portal.reply": post(EVENT_MEMBERS),
    "portal.requests": Access(STAFF),
    "portal.decide": post(STAFF),
    # Only accounts linked to a person have data here; the others get a 404.
    "portal.my_data": Access(SIGNED_IN, ok=(200, 404)),
    "portal.my_data_json": Access(SIGNED_IN, ok=(200, 404)),
    "portal.request_deletion": post(SIGNED_IN, ok=(302, 404)),
}


def prepare(world) -> dict:
    event = db.session.get(Event, world.event_id)
    # The organizer of this event's series by address (PostgreSQL returns rows in no set order,
    # and the matrix has an organizer of another series too).
    organizer = auth_service.get_user_by_email(ROLE_EMAILS[Role.ORGANIZER])
    document = service.upload_document(event, uploader=organizer, filename="programme.pdf", data=PDF,
                                       upload_dir=Path(current_app.instance_path) / "uploads",
                                       max_bytes=1024 * 1024)
    message = service.create_post(event, author=organizer, body="Welcome")
    data_request = service.request_deletion(db.session.get(Person, world.participant_person_id))
    return {"document_id": document.id, "post_id": message.id, "request_id": data_request.id}
