"""Browser: an organizer sets the letterhead, downloads a participant's visa-support letter
and mails the certificates of attendance."""

import docx
import pytest

from eventmgr.demo import load_demo
from eventmgr.extensions import db
from eventmgr.mail.models import Message
from tests.conftest import log_in, shoot

pytestmark = pytest.mark.browser


def test_letterhead_visa_letter_and_certificates(page, live_server):
    with live_server.app_context():
        load_demo()
        db.session.commit()

    log_in(page, "organizer@example.org", "demo-organizer-password")
    page.goto("/events/frankfurt-2014/manage")
    page.get_by_role("link", name="Letters", exact=True).click()
    page.get_by_label("Place of signature").fill("Bonn")
    page.get_by_role("button", name="Save the letterhead").click()
    assert "Letterhead saved." in page.locator(".flash").first.inner_text()
    assert page.get_by_label("Place of signature").input_value() == "Bonn"
    shoot(page, "letters-page")

    visa = page.get_by_role("table", name="Visa-support letters: participants and their files")
    first = visa.locator("tbody tr").first
    name = first.locator("td").first.inner_text()
    with page.expect_download() as download_info:
        first.get_by_role("link", name="DOCX").click()
    document = docx.Document(str(download_info.value.path()))
    assert document.tables[0].rows[0].cells[1].text == name.split(",")[0]
    assert next(p.text for p in document.paragraphs if p.text.startswith("Bonn, "))

    page.get_by_role("button", name="Mail all 64").click()
    assert "64 certificates of attendance queued in the outbox." in page.locator(".flash").first.inner_text()
    with live_server.app_context():
        assert db.session.query(Message).filter_by(kind="certificate").count() == 64
