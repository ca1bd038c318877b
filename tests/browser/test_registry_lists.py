"""Browser: an organizer imports participants, orders the enclosure, reads the composition,
publishes the participant list, and the public reads it; the directory pages."""

from pathlib import Path

import pytest

from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.series.enums import EventStatus
from tests.builders import grant_all_series, make_event
from tests.conftest import log_in, shoot

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).resolve().parent.parent / "registry" / "fixtures" / "participants.xlsx"


def test_organizer_imports_orders_and_publishes_the_list(page, live_server):
    with live_server.app_context():
        event = make_event(status=EventStatus.REGISTRATION_OPEN, slug="frankfurt-2014",
                           title="Industry outreach conference 2014")
        auth_service.create_user("org@test.example", role=Role.ORGANIZER, password="organizer-password")
        grant_all_series()  # the test world's staff run its series
        db.session.commit()
        slug = event.slug

    log_in(page, "org@test.example", "organizer-password")

    page.goto(f"/events/{slug}/lists")
    page.get_by_role("link", name="Import participants", exact=True).click()
    page.get_by_label("Participant file").set_input_files(str(FIXTURE))
    shoot(page, "registry-import-form")
    page.get_by_role("button", name="Check the file").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Import preview"
    shoot(page, "registry-import-preview")
    page.get_by_role("button", name="Import 7 rows").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Participant lists"
    others = page.locator("ol.reorder", has_text="KOSTI")
    assert others.locator(".name").all_inner_texts() == [
        "Korea Strategic Trade Institute KOSTI (Republic of Korea)",
        "Институт мировой экономики (Russian Federation)"]
    others.get_by_role("button", name="Move Институт мировой экономики up").click()
    others = page.locator("ol.reorder", has_text="KOSTI")
    assert others.locator(".name").all_inner_texts() == [
        "Институт мировой экономики (Russian Federation)",
        "Korea Strategic Trade Institute KOSTI (Republic of Korea)"]
    page.get_by_label("What the public list shows").select_option("organizations")
    page.get_by_role("button", name="Save").click()
    shoot(page, "registry-lists")

    page.get_by_role("link", name="Composition").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Composition of participants"
    shoot(page, "registry-composition")

    page.get_by_role("link", name="Organizations", exact=True).click()
    page.get_by_label("Search").fill("KOSTI")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Korea Strategic Trade Institute KOSTI").click()
    shoot(page, "registry-organization")
    page.get_by_role("link", name="민준 김").first.click()
    shoot(page, "registry-person")
    page.goto("/organizations/new")
    page.get_by_label("Name", exact=True).fill("Merck KGaA")
    page.get_by_label("Chemical").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Merck KGaA"
    page.goto("/organizations/new")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("alert").is_visible()
    shoot(page, "registry-organization-form-error")

    page.get_by_role("button", name="Log out").click()
    page.goto(f"/events/{slug}/participant-list")
    assert page.get_by_text("Academia, think tanks and other entities:").is_visible()
    assert page.locator(".enclosure p").all_inner_texts()[-1] == (
        "Academia, think tanks and other entities: Институт мировой экономики (Russian Federation), "
        "Korea Strategic Trade Institute KOSTI (Republic of Korea).")
    shoot(page, "registry-public-list")
