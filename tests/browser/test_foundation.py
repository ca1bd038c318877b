"""Browser: an organizer logs in, creates an event, publishes it, and the public sees it."""

import pytest

from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from tests.builders import grant_all_series, make_series
from tests.conftest import log_in, shoot

pytestmark = pytest.mark.browser


def test_organizer_creates_and_publishes_an_event(page, live_server):
    with live_server.app_context():
        make_series(slug="wiesbaden-process", name="Wiesbaden process")
        auth_service.create_user("org@test.example", role=Role.ORGANIZER,
                                 password="organizer-password")
        grant_all_series()  # the test world's staff run its series
        db.session.commit()

    log_in(page, "org@test.example", "organizer-password")
    page.get_by_role("link", name="Series").click()
    page.get_by_role("link", name="New event").click()
    page.get_by_label("Title", exact=True).fill("Industry outreach conference 2014")
    page.get_by_label("Web address", exact=True).fill("frankfurt-2014")
    page.get_by_label("Theme", exact=True).fill("Governance and compliance management")
    page.get_by_label("First day").fill("2014-11-20")
    page.get_by_label("Last day").fill("2014-11-21")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_label("City", exact=True).fill("Frankfurt am Main")
    page.get_by_label("Country", exact=True).select_option("DE")
    page.get_by_label("Goals").fill("Raise awareness\nFoster dialogue")
    shoot(page, "foundation-event-form")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Move to “Published”").click()
    shoot(page, "foundation-event-overview")
    page.get_by_role("button", name="Log out").click()

    page.goto("/")
    page.get_by_role("link", name="Industry outreach conference 2014").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Industry outreach conference 2014"
    assert page.get_by_text("Governance and compliance management").is_visible()
    assert page.get_by_text("20–21 November 2014").is_visible()
    shoot(page, "foundation-event-public")
