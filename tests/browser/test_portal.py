"""Browser: a registrant sets their password from the emailed link, logs in, opens the participant
area, downloads a document and posts a message."""

from pathlib import Path

import pytest
from sqlalchemy import select

from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.mail.models import Message
from eventmgr.portal import service as portal_service
from eventmgr.registry import registration
from eventmgr.series.enums import EventStatus
from tests.builders import grant_all_series, make_event, make_person
from tests.conftest import shoot

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def test_set_password_log_in_download_a_document_and_post(page, live_server):
    with live_server.app_context():
        event = make_event(status=EventStatus.REGISTRATION_OPEN, slug="frankfurt-2014",
                           title="Industry outreach conference 2014")
        registration.register_participant(event, person=make_person("amani@example.org",
                                                                     given_name="Amani",
                                                                     family_name="Okafor"))
        organizer = auth_service.create_user("boss@example.org", role=Role.ORGANIZER,
                                             password="organizer password")
        grant_all_series()  # the test world's staff run its series
        portal_service.upload_document(event, uploader=organizer, filename="Programme 2014.pdf", data=PDF,
                                       upload_dir=Path(live_server.instance_path) / "uploads",
                                       max_bytes=1024 * 1024)
        db.session.commit()
        body = db.session.scalar(select(Message.body_text).where(Message.recipient == "amani@example.org"))
    link = next(line for line in body.splitlines() if "/auth/set-password/" in line)

    page.goto(link[link.index("/auth/"):])
    page.get_by_label("New password").fill("amani-password-2014")
    page.get_by_label("Repeat the password").fill("amani-password-2014")
    shoot(page, "portal-set-password")
    page.get_by_role("button", name="Set password").click()
    # Setting the password signs her in: her account page lists this session.
    assert page.get_by_role("heading", name="Your account", level=1).is_visible()
    assert page.get_by_text("(this one)").is_visible()
    shoot(page, "account-sessions")

    page.goto("/events/frankfurt-2014/area")
    assert page.get_by_role("heading", name="Participant area").is_visible()
    shoot(page, "portal-area")
    page.get_by_role("navigation", name="Participant area").get_by_role("link", name="Documents").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Programme 2014.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "Programme 2014.pdf"
    assert Path(download.path()).read_bytes() == PDF
    shoot(page, "portal-documents")

    page.get_by_role("navigation", name="Participant area").get_by_role("link", name="Posts").click()
    page.get_by_label("Message").fill("Who else takes the **train** from Berlin?")
    page.get_by_role("button", name="Post").click()
    assert page.get_by_text("Your message is posted.").is_visible()
    assert page.locator("article strong", has_text="train").is_visible()
    page.get_by_label("Reply").fill("I do!")
    page.get_by_role("button", name="Reply").click()
    assert page.get_by_text("I do!").is_visible()
    shoot(page, "portal-posts")
