"""The demo's 2014 invitations give the dashboard something real to show."""

import sqlalchemy as sa

from eventmgr.demo import load_demo
from eventmgr.extensions import db
from eventmgr.invitations import queries
from eventmgr.invitations.models import Invitation
from eventmgr.registry import registration
from eventmgr.registry.models import Registration
from eventmgr.series.service import get_event


def test_demo_invitations_cover_every_status(app_ctx):
    load_demo()
    db.session.commit()
    event = get_event("frankfurt-2014")

    counts = {status.value: n for status, n in queries.status_counts(event.id).items()}

    assert counts == {"draft": 3, "sent": 10, "accepted": 3, "declined": 6, "tentative": 3, "registered": 72}


def test_demo_registrations_are_linked_to_their_invitations_and_an_association_has_seats(app_ctx):
    load_demo()
    db.session.commit()
    event = get_event("frankfurt-2014")

    linked = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.event_id == event.id, Registration.invitation_id.is_not(None)))
    [association] = db.session.scalars(sa.select(Invitation).where(
        Invitation.event_id == event.id, Invitation.organization_id.is_not(None))).all()

    assert linked == 72
    assert (association.seats, association.person.full_name, registration.delegates(association)) == \
        (2, "Greta Lindner", [])
