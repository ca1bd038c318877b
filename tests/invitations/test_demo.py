"""The demo's 2014 invitations give the dashboard something real to show."""

from eventmgr.demo import load_demo
from eventmgr.extensions import db
from eventmgr.invitations import queries
from eventmgr.series.service import get_event


def test_demo_invitations_cover_every_status(app_ctx):
    load_demo()
    db.session.commit()
    event = get_event("frankfurt-2014")

    counts = {status.value: n for status, n in queries.status_counts(event.id).items()}

    assert counts == {"draft": 3, "sent": 9, "accepted": 3, "declined": 6, "tentative": 3, "registered": 72}
