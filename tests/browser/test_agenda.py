"""Browser: an organizer builds a panel with two speakers and publishes it; the public page
shows it and its calendar link downloads an ICS with it."""

from pathlib import Path

import icalendar
import pytest

from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.series.enums import EventStatus
from tests.builders import grant_all_series, make_event, make_organization, make_person
from tests.conftest import log_in, shoot

pytestmark = pytest.mark.browser


def test_organizer_builds_and_publishes_a_panel(page, live_server):
    with live_server.app_context():
        event = make_event(status=EventStatus.PUBLISHED, title="Outreach conference 2014")
        make_person(given_name="Ada", family_name="Lovelace",
                    organization=make_organization("Analytical Engines AG"))
        auth_service.create_user("org@test.example", role=Role.ORGANIZER, password="organizer-password")
        grant_all_series()  # the test world's staff run its series
        db.session.commit()
        slug = event.slug

    log_in(page, "org@test.example", "organizer-password")

    page.goto(f"/events/{slug}/agenda/manage")
    page.get_by_label("New room").fill("Plenary hall")
    page.get_by_role("button", name="Add room").click()
    page.get_by_role("link", name="Add a session").click()
    page.get_by_label("Kind").select_option("panel")
    page.get_by_label("Title").fill("Corporate governance and compliance")
    page.get_by_label("Starts").fill("2014-11-20T11:00")
    page.get_by_label("Ends").fill("2014-11-20T13:00")
    page.get_by_label("Room").select_option(label="Plenary hall")
    page.get_by_role("button", name="Add session").click()

    page.get_by_label("Role").select_option("speaker")
    page.get_by_label("Person from the directory").select_option(
        label="Lovelace, Ada — Analytical Engines AG")
    page.get_by_role("button", name="Add person").click()
    page.get_by_label("Role").select_option("panelist")
    page.get_by_label("Or a new person: email").fill("grace@example.org")
    page.get_by_label("Given name").fill("Grace")
    page.get_by_label("Family name").fill("Hopper")
    page.get_by_role("button", name="Add person").click()
    shoot(page, "agenda-session-editor")

    page.goto(f"/events/{slug}/agenda/manage")
    page.get_by_role("button", name="Publish the agenda").click()
    shoot(page, "agenda-editor")

    page.goto(f"/events/{slug}/agenda")
    session = page.locator("article.agenda-session")
    assert session.locator("h3").inner_text() == "Corporate governance and compliance"
    assert session.locator(".people").inner_text() == (
        "Speaker: Ada Lovelace, Analytical Engines AG\nPanelist: Grace Hopper")
    shoot(page, "agenda-public")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Calendar (.ics)").click()
    calendar = icalendar.Calendar.from_ical(Path(download_info.value.path()).read_bytes())
    assert [str(e["SUMMARY"]) for e in calendar.events] == ["Corporate governance and compliance"]

    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "agenda-public-phone")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1000, "height": 1200})
    shoot(page, "agenda-public-print")
