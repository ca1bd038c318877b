"""Access policy of the registry routes (see tests/access.py)."""

from sqlalchemy import select

from eventmgr.extensions import db
from eventmgr.registry.enums import ListVisibility
from eventmgr.registry.models import ParticipantListSetting, Registration
from tests.access import PUBLIC, SIGNED_IN, STAFF, WRITERS, Access, post

# ---------------------------------------------------------------- registration, check-in, badges

REGISTRATION_POLICY = {
    "registry.register": Access(PUBLIC),
    "registry.registered": Access(PUBLIC),
    "registry.cancel_by_link": Access(PUBLIC, ok=(404,), values={"token": "not-a-valid-token"}),
    "registry.confirm_registration": Access(PUBLIC, ok=(404,), values={"token": "not-a-valid-token"}),
    "registry.registrations": Access(STAFF),
    "registry.registrations_export": Access(STAFF, values={"fmt": "csv"}),
    "registry.registration_action": post(STAFF, action="approve"),
    "registry.cancel_registration": Access(STAFF),
    "registry.restore_registration": post(STAFF),
    # The matrix's participant holds a confirmed registration; others have none to cancel (404).
    "registry.cancel_own": Access(SIGNED_IN, ok=(200, 404)),
    "registry.restore_own": post(SIGNED_IN, ok=(302, 404)),
    "registry.undo_cancel_by_link": post(PUBLIC, ok=(404,), token="not-a-valid-token"),
    "registry.register_by_hand": Access(STAFF),
    "registry.fill_free_seats": post(STAFF),
    "registry.checkin": Access(STAFF),
    "registry.checkin_mark": post(STAFF),
    "registry.badges": Access(STAFF),
    "registry.badges_file": Access(STAFF, values={"fmt": "docx"}),
}


def _registration_values(world) -> dict:
    registration_id = db.session.scalar(select(Registration.id).where(
        Registration.event_id == world.event_id,
        Registration.person_id == world.participant_person_id))
    return {"registration_id": registration_id}


# ---------------------------------------------------------------- directory, imports, lists

DIRECTORY_POLICY = {
    "registry.organizations": Access(STAFF),
    "registry.create_organization": Access(STAFF),
    "registry.organization": Access(STAFF),
    "registry.edit_organization": Access(STAFF),
    "registry.merge_organization": post(STAFF),
    "registry.people": Access(STAFF),
    "registry.create_person": Access(STAFF),
    "registry.person": Access(STAFF),
    "registry.edit_person": Access(STAFF),
    "registry.merge_person": post(STAFF),
    "registry.import_participants": Access(STAFF),
    "registry.confirm_import": post(STAFF),
    "registry.lists": Access(STAFF),
    "registry.move_in_enclosure": post(STAFF),
    "registry.reset_enclosure_order": post(STAFF),
    "registry.publish_list": post(STAFF),
    "registry.composition": Access(WRITERS),
    "registry.enclosure": Access(WRITERS),
    "registry.enclosure_txt": Access(WRITERS),
    "registry.enclosure_docx": Access(WRITERS),
    "registry.enclosure_pdf": Access(WRITERS),
    # prepare() publishes the world's list, so everyone may read it.
    "registry.public_list": Access(PUBLIC),
}


def _publish_list(world) -> dict:
    db.session.add(ParticipantListSetting(event_id=world.event_id,
                                          visibility=ListVisibility.ORGANIZATIONS))
    return {}


POLICY = {**REGISTRATION_POLICY, **DIRECTORY_POLICY}


def prepare(world) -> dict:
    return _registration_values(world) | _publish_list(world)
