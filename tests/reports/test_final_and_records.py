"""A final report reads as it stands; rapporteurs' notes, findings and recommendations can be
corrected; the report downloads as HTML; downloads name their character set once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.errors import DomainError
from eventmgr.extensions import db
from eventmgr.reports import service
from eventmgr.reports.enums import ReportStatus
from eventmgr.reports.models import Finding, Recommendation, SessionNote
from eventmgr.series.enums import EventStatus
from tests.builders import make_agenda_session, make_event
from tests.conftest import ROLE_EMAILS


def _event_with_records():
    event = make_event(status=EventStatus.HELD)
    author = auth_service.get_user_by_email(ROLE_EMAILS[Role.RAPPORTEUR])
    session = make_agenda_session(event, "Panel on compliance")
    note = service.add_note(session, author, "First notes.")
    finding = service.add_finding(session, author, "A finding.")
    recommendation = service.add_recommendation(session, author, "Do more.", "States")
    report = service.draft_report(event, author).report
    db.session.commit()
    return event, report, session, note, finding, recommendation


def _make_final(report):
    organizer = auth_service.get_user_by_email(ROLE_EMAILS[Role.ORGANIZER])
    for status in (ReportStatus.IN_REVIEW, ReportStatus.FINAL):
        service.change_status(report, organizer, status)
    db.session.commit()


def test_a_final_report_refuses_every_change(auth, app_ctx):
    _event, report, _session, *_ = _event_with_records()
    _make_final(report)
    section = report.sections[0]
    author = auth_service.get_user_by_email(ROLE_EMAILS[Role.RAPPORTEUR])

    changes = [
        lambda: service.update_section(section, author, title="New", body="New text"),
        lambda: service.add_free_section(report, author, title="More", body=""),
        lambda: service.delete_section(section, author),
        lambda: service.move_section(section, author, 1),
        lambda: service.update_settings(report, author, title="Other", subtitle="", numbered=True),
        lambda: service.update_letter(report, author, service.LetterFields(
            sender="A", addressee="B", date=None, body="C", signature="")),
        lambda: service.remove_letter(report, author),
        lambda: service.draft_report(report.event, author),
    ]
    for change in changes:
        with pytest.raises(DomainError, match="The report is final, so it reads as it stands: move it back"):
            change()


def test_the_final_reports_pages_say_so_and_send_editors_back(client, auth, app_ctx):
    event, report, *_ = _event_with_records()
    _make_final(report)
    auth.login(Role.ORGANIZER)
    section = report.sections[0]

    workspace = client.get(f"/events/{event.slug}/report/manage").get_data(as_text=True)
    editing = client.get(f"/events/{event.slug}/report/sections/{section.id}")
    saving = client.post(f"/events/{event.slug}/report/sections/{section.id}",
                         data={"title": "Changed", "body": "Changed"}, follow_redirects=True)

    assert "it reads as it stands and can no longer be edited" in workspace
    assert f"/report/sections/{section.id}\"" not in workspace and "Refresh from the event" not in workspace
    assert "Back to draft" in workspace
    assert editing.status_code == 302 and editing.headers["Location"].endswith("/report/manage")
    assert "move it back to draft to change it" in saving.get_data(as_text=True)
    db.session.refresh(section)
    assert section.title != "Changed"


def test_back_to_draft_makes_it_editable_again(auth, app_ctx):
    _event, report, *_ = _event_with_records()
    _make_final(report)
    organizer = auth_service.get_user_by_email(ROLE_EMAILS[Role.ORGANIZER])

    service.change_status(report, organizer, ReportStatus.DRAFT)
    service.update_section(report.sections[0], organizer, title="Now editable", body="")

    assert report.sections[0].title == "Now editable"


def test_notes_findings_and_recommendations_can_be_corrected(client, auth, app_ctx):
    event, _report, session, note, finding, recommendation = _event_with_records()
    auth.login(Role.RAPPORTEUR)
    base = f"/events/{event.slug}/report"

    page = client.get(f"{base}/sessions/{session.id}").get_data(as_text=True)
    form = client.get(f"{base}/notes/{note.id}/edit").get_data(as_text=True)
    empty = client.post(f"{base}/findings/{finding.id}/edit", data={"text": " "})
    client.post(f"{base}/notes/{note.id}/edit", data={"body": "Corrected notes."})
    client.post(f"{base}/findings/{finding.id}/edit", data={"text": "A sharper finding.", "is_key": "y"})
    client.post(f"{base}/recommendations/{recommendation.id}/edit",
                data={"text": "Do much more.", "addressee": "the 1540 Committee"})

    assert f'href="{base}/notes/{note.id}/edit"' in page
    assert f'href="{base}/findings/{finding.id}/edit"' in page
    assert f'href="{base}/recommendations/{recommendation.id}/edit"' in page
    assert "First notes." in form
    assert empty.status_code == 400
    assert db.session.scalar(select(SessionNote.body)) == "Corrected notes."
    assert db.session.execute(select(Finding.text, Finding.is_key)).one() == ("A sharper finding.", True)
    assert db.session.execute(select(Recommendation.text, Recommendation.addressee)).one() == (
        "Do much more.", "the 1540 Committee")


def test_the_report_downloads_as_one_html_file(client, auth, app_ctx):
    event, *_ = _event_with_records()
    auth.login(Role.RAPPORTEUR)

    response = client.get(f"/events/{event.slug}/report.html")
    workspace = client.get(f"/events/{event.slug}/report/manage").get_data(as_text=True)

    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{event.slug}-report.html"'
    assert response.get_data(as_text=True).startswith("<!doctype html>")
    assert "<h2>Highlights of presentations and discussion</h2>" in response.get_data(as_text=True)
    assert f'href="/events/{event.slug}/report.html"' in workspace


def test_text_downloads_name_their_character_set_once(client, auth, app_ctx):
    event, *_ = _event_with_records()
    auth.login(Role.ORGANIZER)

    types = [client.get(url).headers["Content-Type"] for url in (
        f"/events/{event.slug}/report.md", f"/events/{event.slug}/registrations.csv",
        f"/events/{event.slug}/invitations.csv")]

    assert types == ["text/markdown; charset=utf-8", "text/csv; charset=utf-8", "text/csv; charset=utf-8"]
