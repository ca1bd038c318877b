"""Browser: an organizer imports participants, orders the enclosure, reads the composition,
publishes the participant list, and the public reads it; the directory pages."""

from pathlib import Path

import pytest

from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.registry.enums import OrganizationKind
from eventmgr.series.enums import EventStatus
from tests.builders import grant_all_series, make_event, make_organization
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


LISTS = Path(__file__).resolve().parent.parent / "registry" / "fixtures" / "lists"


def test_organizer_answers_a_duplicate_question_and_reads_the_list_one_entry_a_line(page, live_server):
    with live_server.app_context():
        event = make_event(status=EventStatus.REGISTRATION_OPEN, slug="au-workshop",
                           title="Regional workshop on resolution 1540 (2004)")
        make_organization("Institute for Security Studies Africa", kind=OrganizationKind.THINK_TANK,
                          country="ZA")
        auth_service.create_user("org@test.example", role=Role.ORGANIZER, password="organizer-password")
        grant_all_series()  # the test world's staff run its series
        db.session.commit()
        slug = event.slug

    log_in(page, "org@test.example", "organizer-password")
    page.goto(f"/events/{slug}/import")
    page.get_by_label("Participant file").set_input_files(str(LISTS / "african-union-workshop.csv"))
    page.get_by_role("button", name="Check the file").click()
    assert page.get_by_text("matched “Commission de l'Union africaine” by alias").is_visible()
    question = page.get_by_role("group", name="Row 16: “Institute for Security Studies”")
    assert question.get_by_label("The same as “Institute for Security Studies Africa”",
                                 exact=False).is_checked()
    shoot(page, "registry-import-preview-names")
    page.get_by_role("button", name="Import 17 rows").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Participant lists"
    shoot(page, "registry-lists-states")

    page.goto(f"/events/{slug}/participants/enclosure")
    page.get_by_role("navigation", name="Layout").get_by_role("link", name="One entry per line").click()
    entries = page.locator(".enclosure-entries").first.locator("li").all_inner_texts()
    assert entries[:2] == ["Cameroon (Ministère des Affaires étrangères)", "Côte d'Ivoire"]
    assert page.locator(".enclosure-entries").last.locator("li").all_inner_texts() == [
        "Institute for Security Studies Africa (South Africa)"]
    shoot(page, "registry-enclosure-lines")
