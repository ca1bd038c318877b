from sqlalchemy import select

from eventmgr.auth.service import authenticate
from eventmgr.demo import load_demo
from eventmgr.extensions import db
from eventmgr.portal.service import can_enter_area
from eventmgr.series.models import Event


def test_the_demo_participant_logs_in_and_enters_only_the_2014_area(app_ctx):
    load_demo()
    user = authenticate("participant@example.org", "demo-participant-password")
    events = db.session.scalars(select(Event).order_by(Event.start_date)).all()
    assert [(event.slug, can_enter_area(user, event)) for event in events] == [
        ("wiesbaden-2012", True), ("wiesbaden-2013", False), ("frankfurt-2014", True)]
