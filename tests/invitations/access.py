"""Access policy of the invitation routes (see tests/access.py)."""

from eventmgr.extensions import db
from eventmgr.invitations import service
from eventmgr.registry.models import Person
from eventmgr.series.models import Event
from tests.access import PUBLIC, STAFF, Access, post

POLICY = {
    "invitations.dashboard": Access(STAFF),
    "invitations.add_people": post(STAFF),
    "invitations.add_from_directory": post(STAFF),
    "invitations.add_from_event": post(STAFF),
    "invitations.add_organization": post(STAFF),
    "invitations.import_file": post(STAFF),
    "invitations.export": Access(STAFF, values={"fmt": "csv"}),
    "invitations.edit_template": Access(STAFF),
    "invitations.send": post(STAFF),
    "invitations.remind": post(STAFF),
    "invitations.revoke_links": post(STAFF),
    "invitations.remove": post(STAFF),
    "invitations.restore": post(STAFF),
    "invitations.undo_send": post(STAFF),
    "invitations.undo_remove": post(STAFF),
    "invitations.revoke": post(STAFF),
    "invitations.reissue": post(STAFF),
    "invitations.change_seats": post(STAFF),
    "invitations.rsvp": Access(PUBLIC, ok=(404,), values={"token": "not-a-valid-token"}),
    "invitations.withdraw_delegate": post(PUBLIC, ok=(404,), token="not-a-valid-token", registration_id=1),
}


def prepare(world) -> dict:
    event = db.session.get(Event, world.event_id)
    [invitation] = service.invite_people(event, [db.session.get(Person, world.values["person_id"])])
    db.session.commit()
    return {"invitation_id": invitation.id}
