"""Browser: a rapporteur records notes, a finding and a recommendation; the organizer drafts,
edits, numbers, publishes, and downloads the report as DOCX."""

import docx
import pytest

from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.demo import load_demo
from eventmgr.extensions import db
from eventmgr.registry.enums import OrganizationKind
from eventmgr.series.enums import EventStatus
from tests.builders import (
    grant_all_series,
    make_agenda_session,
    make_event,
    make_organization,
    record_participant,
)
from tests.conftest import log_in, shoot
from tests.documents.readback import number_format

pytestmark = pytest.mark.browser


def _log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()


def test_from_notes_to_a_downloaded_docx(page, live_server):
    with live_server.app_context():
        event = make_event(status=EventStatus.HELD, slug="frankfurt-2014",
                           title="Industry outreach conference 2014")
        for name, kind, people in (("AREVA", OrganizationKind.COMPANY, 3),
                                   ("Federal Foreign Office", OrganizationKind.GOVERNMENT, 1)):
            organization = make_organization(name, kind=kind)
            for _ in range(people):
                record_participant(event, organization)
        make_agenda_session(event, "Obtaining information on proliferation risks")
        auth_service.create_user("rap@test.example", role=Role.RAPPORTEUR, password="rapporteur-password")
        grant_all_series()  # the test world's staff run its series
        auth_service.create_user("org@test.example", role=Role.ORGANIZER, password="organizer-password")
        grant_all_series()  # the test world's staff run its series
        db.session.commit()
        slug = event.slug

    log_in(page, "rap@test.example", "rapporteur-password")
    page.goto(f"/events/{slug}/report/manage")
    page.get_by_role("link", name="Obtaining information on proliferation risks").click()
    page.get_by_role("textbox", name="Notes").fill("Sharing information helps **every** company.\n\n"
                                    "<script>alert('x')</script> stays text.")
    page.get_by_role("button", name="Save notes").click()
    finding = "Information-sharing is in everyone's interest."
    page.get_by_role("textbox", name="Finding", exact=True).fill(finding)
    page.get_by_label("Key finding").check()
    page.get_by_role("button", name="Add the finding").click()
    page.get_by_label("Recommendation or next step").fill("Connect existing compliance networks.")
    page.get_by_role("button", name="Add the recommendation").click()
    # No addressee: the error is shown next to the field, the text is kept.
    assert page.get_by_role("alert").inner_text() == (
        "Please correct this error\nAddressed to: This field is required.")
    assert page.get_by_label("Recommendation or next step").input_value() == (
        "Connect existing compliance networks.")
    shoot(page, "reports-recommendation-error")
    page.get_by_label("Addressed to").fill("industry associations")
    page.get_by_role("button", name="Add the recommendation").click()
    assert page.locator(".note-body").inner_text() == (
        "Sharing information helps every company.\n\n<script>alert('x')</script> stays text.")
    shoot(page, "reports-session-records")

    page.get_by_role("link", name="All sessions").click()
    page.get_by_role("button", name="Draft the report").click()
    page.get_by_label("Number the paragraphs through the whole report").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("link", name="Edit “Background”").click()
    page.get_by_label("Text").fill("The third conference of the process.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Compare with a new draft of “Background”").click()
    removed = page.locator(".diff-removed")
    assert removed.all_text_contents() == ["Removed: − The third conference of the process."]
    shoot(page, "reports-regenerate")
    page.get_by_role("link", name="Keep the current text").click()
    page.get_by_role("button", name="Mark in review").click()
    assert page.get_by_role("button", name="Mark final").count() == 0
    shoot(page, "reports-workspace")
    _log_out(page)

    log_in(page, "org@test.example", "organizer-password")
    page.goto(f"/events/{slug}/report/manage")
    page.get_by_role("button", name="Mark final").click()
    page.get_by_role("button", name="Mark published").click()
    page.get_by_role("link", name="Revisions").click()
    page.get_by_role("button", name="Compare").click()
    shoot(page, "reports-compare")
    _log_out(page)

    page.goto(f"/events/{slug}/report")
    assert page.locator(".report-document h2").all_inner_texts() == [
        "I. Background", "II. Goals and composition", "III. Key findings",
        "IV. Highlights of presentations and discussion", "V. Next steps", "VI. Conclusion",
        "List of participants"]
    shoot(page, "reports-public")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download Word (DOCX)").click()
    download = download_info.value
    assert download.suggested_filename == "frankfurt-2014-report.docx"
    document = docx.Document(str(download.path()))
    texts = [p.text for p in document.paragraphs if p.text]
    # The numbers are Word's own numbering, not typed into the text.
    assert texts[2:4] == ["Background", "The third conference of the process."]
    numbered = next(p for p in document.paragraphs if p.text == "The third conference of the process.")
    assert number_format(document, numbered)[2:] == ("decimal", "%1.")
    assert finding in texts
    assert texts[-3:] == ["List of participants",
                          "States and Government authorities: Germany (Federal Foreign Office).",
                          "Companies and industry associations: AREVA (Germany)."]
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    assert download_info.value.suggested_filename == "frankfurt-2014-report.pdf"


def test_the_demo_process_view_links_recommendations_to_their_follow_up(page, live_server):
    with live_server.app_context():
        load_demo()
        db.session.commit()

    log_in(page, "organizer@example.org", "demo-organizer-password")
    page.goto("/series/wiesbaden-process/process")
    participation = page.get_by_role("table", name="Counted participants of each event by category")
    assert participation.locator("tbody th").count() == 3
    followed = page.get_by_role("row", name="Keep a two-way channel open")
    followed.get_by_role("link", name="Industry expectations of what authorities need to deliver").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Industry expectations of what authorities need to deliver")
    page.go_back()
    shoot(page, "reports-process")
    page.goto("/events/frankfurt-2014/report")
    assert page.locator(".report-document h2").first.inner_text() == "Background"
    shoot(page, "reports-demo-report")
