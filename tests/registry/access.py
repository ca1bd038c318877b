"""Access policy of the registry routes (see tests/access.py)."""

from sqlalchemy import select

from eventmgr.extensions import db
from eventmgr.registry.models import Registration
from tests.access import PUBLIC, STAFF, Access, post

# ---------------------------------------------------------------- registration, check-in, badges

REGISTRATION_POLICY = {
    "registry.register": Access(PUBLIC),
    "registry.registered": Access(PUBLIC),
    "registry.cancel_by_link": Access(PUBLIC, ok=(404,), values={"token": "not-a-valid-token"}),
    "registry.registrations": Access(STAFF),
    "registry.registrations_export": Access(STAFF, values={"fmt": "csv"}),
    "registry.registration_action": post(STAFF, action="approve"),
    "registry.register_by_hand": Access(STAFF),
    "registry.checkin": Access(STAFF),
    "registry.checkin_mark": post(STAFF),
    "registry.badges": Access(STAFF),
}


def _registration_values(world) -> dict:
    registration_id = db.session.scalar(select(Registration.id).where(
        Registration.event_id == world.event_id,
        Registration.person_id == world.participant_person_id))
    return {"registration_id": registration_id}


POLICY = {**REGISTRATION_POLICY}


def prepare(world) -> dict:
    return _registration_values(world)
