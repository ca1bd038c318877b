"""Access policy of the letters routes (see tests/access.py)."""

from eventmgr.extensions import db
from eventmgr.registry.models import Registration
from eventmgr.series.models import Event
from tests.access import STAFF, Access, post

POLICY = {
    "letters.index": Access(STAFF),
    "letters.letterhead": post(STAFF),
    "letters.batch": Access(STAFF, values={"kind": "visa", "fmt": "docx"}),
    "letters.single": Access(STAFF, values={"kind": "visa", "fmt": "pdf"}),
    "letters.mail": post(STAFF, kind="certificate"),
}


def prepare(world) -> dict:
    """The matrix participant asked for a visa letter."""
    event = db.session.get(Event, world.event_id)
    registration = db.session.query(Registration).filter_by(
        event_id=event.id, person_id=world.participant_person_id).one()
    registration.visa_letter = True
    return {"registration_id": registration.id}
