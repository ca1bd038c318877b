"""Report pages: the rapporteur's flow, publishing rights, exports, and fixed query counts."""

import datetime as dt
import io

import docx
import pytest
from sqlalchemy import select

from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.reports import service
from eventmgr.reports.enums import ReportStatus
from eventmgr.reports.models import Recommendation, Report
from eventmgr.series.enums import EventStatus
from eventmgr.series.models import Event
from tests.builders import make_agenda_session, make_event, make_organization, record_participant
from tests.conftest import ROLE_EMAILS


def _event(app, *, sessions: int = 1, participants: int = 1):
    with app.app_context():
        event = make_event(status=EventStatus.HELD)
        author = auth_service.get_user_by_email(ROLE_EMAILS[Role.RAPPORTEUR])
        organization = make_organization("AREVA", country="FR")
        for _ in range(participants):
            record_participant(event, organization)
        for index in range(sessions):
            session = make_agenda_session(event, f"Panel {index}", hour=8 + index % 10)
            service.add_note(session, author, f"Notes of panel {index}.")
            service.add_finding(session, author, f"Finding {index}.", is_key=index % 2 == 0)
            service.add_recommendation(session, author, f"Step {index}.", f"Addressee {index % 3}")
        service.draft_report(event, author)
        db.session.commit()
        return event.slug, session.id


def _report(app, slug):
    with app.app_context():
        return db.session.scalar(select(Report).join(Event).where(Event.slug == slug))


def test_rapporteur_records_notes_and_a_script_stays_text(app, client, auth):
    slug, session_id = _event(app)
    auth.login(Role.RAPPORTEUR)

    response = client.post(f"/events/{slug}/report/sessions/{session_id}/notes",
                           data={"note-body": "Said <script>alert(1)</script> **twice**."})
    assert response.status_code == 302
    page = client.get(f"/events/{slug}/report/sessions/{session_id}").get_data(as_text=True)

    assert "<p>Said &lt;script&gt;alert(1)&lt;/script&gt; <strong>twice</strong>.</p>" in page
    assert "<script>alert" not in page


def test_empty_finding_is_refused_and_nothing_is_written(app, client, auth):
    slug, session_id = _event(app)
    auth.login(Role.RAPPORTEUR)

    response = client.post(f"/events/{slug}/report/sessions/{session_id}/recommendations",
                           data={"recommendation-text": "Meet again.",
                                 "recommendation-addressee": " "})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="error-summary"' in page
    assert "\nMeet again.</textarea>" in page
    with app.app_context():
        assert db.session.scalars(select(Recommendation.text)).all() == ["Step 0."]


def test_a_rapporteur_cannot_publish_an_organizer_can(app, client, auth):
    slug, _ = _event(app)
    auth.login(Role.RAPPORTEUR)
    assert client.post(f"/events/{slug}/report/status", data={"status": "in_review"}).status_code == 302
    assert client.post(f"/events/{slug}/report/status", data={"status": "final"}).status_code == 403
    workspace = client.get(f"/events/{slug}/report/manage").get_data(as_text=True)
    assert "Mark final" not in workspace
    assert _report(app, slug).status is ReportStatus.IN_REVIEW
    auth.logout()
    assert client.get(f"/events/{slug}/report").status_code == 404

    auth.login(Role.ORGANIZER)
    assert client.post(f"/events/{slug}/report/status", data={"status": "final"}).status_code == 302
    assert client.post(f"/events/{slug}/report/status", data={"status": "published"}).status_code == 302
    auth.logout()

    assert _report(app, slug).status is ReportStatus.PUBLISHED
    public = client.get(f"/events/{slug}/report")
    assert public.status_code == 200
    assert "<h2>Key findings</h2>" in public.get_data(as_text=True)
    download = client.get(f"/events/{slug}/report.docx")
    assert download.headers["Content-Disposition"] == f'attachment; filename="{slug}-report.docx"'
    assert docx.Document(io.BytesIO(download.data)).paragraphs[0].text == "Conference report"
    assert client.get(f"/events/{slug}/report.md").get_data(as_text=True).startswith("# Conference report\n")


def test_section_edit_regenerate_and_revision_compare(app, client, auth):
    slug, _ = _event(app)
    auth.login(Role.RAPPORTEUR)
    report = _report(app, slug)
    with app.app_context():
        section_id = db.session.get(Report, report.id).sections[2].id

    assert client.post(f"/events/{slug}/report/sections/{section_id}",
                       data={"title": "", "body": "kept"}).status_code == 400
    assert client.post(f"/events/{slug}/report/sections/{section_id}",
                       data={"title": "Key findings", "body": "- Ours."}).status_code == 302
    compare = client.get(f"/events/{slug}/report/sections/{section_id}/regenerate").get_data(as_text=True)
    assert '<p class="diff-removed"><span class="visually-hidden">Removed: </span>' \
           '<span aria-hidden="true">− </span>- Ours.</p>' in compare
    with app.app_context():
        revisions = db.session.get(Report, report.id).revisions
        old, new = revisions[0].id, revisions[-1].id
    diff = client.get(f"/events/{slug}/report/revisions/compare?old={old}&new={new}").get_data(as_text=True)
    assert "From revision 1 to revision 2" in diff
    assert '<span aria-hidden="true">+ </span>- Ours.</p>' in diff


@pytest.mark.parametrize("path", ["/report/manage", "/report", "/report.docx", "/report.md",
                                  "/report/revisions", "/report/sessions/{session_id}"])
def test_report_pages_run_a_fixed_number_of_queries(make_app, count_queries, path):
    counts = []
    for sessions, participants in ((2, 3), (12, 40)):
        app = make_app()
        with app.app_context():
            for role in Role:
                auth_service.create_user(ROLE_EMAILS[role], role=role, password="correct horse battery")
            db.session.commit()
        slug, session_id = _event(app, sessions=sessions, participants=participants)
        client = app.test_client()
        client.post("/auth/login", data={"email": ROLE_EMAILS[Role.ORGANIZER],
                                         "password": "correct horse battery"})
        with count_queries() as statements:
            response = client.get(f"/events/{slug}" + path.format(session_id=session_id))
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_process_view_runs_a_fixed_number_of_queries(make_app, count_queries):
    counts = []
    for events in (1, 3):
        app = make_app()
        with app.app_context():
            for role in (Role.ORGANIZER, Role.RAPPORTEUR):
                auth_service.create_user(ROLE_EMAILS[role], role=role, password="correct horse battery")
            db.session.commit()
            series = make_event().series
            areva = make_organization("AREVA", country="FR")
            author = auth_service.get_user_by_email(ROLE_EMAILS[Role.RAPPORTEUR])
            for year in range(events):
                event = make_event(series, status=EventStatus.HELD, start_date=dt.date(2012 + year, 4, 23),
                                   end_date=dt.date(2012 + year, 4, 24))
                record_participant(event, areva)
                for index in range(4 * events):
                    session = make_agenda_session(event, f"Panel {index}")
                    service.add_recommendation(session, author, f"Step {index}.", f"Addressee {index}")
                service.draft_report(event, author)
            db.session.commit()
            series_slug = series.slug
        client = app.test_client()
        client.post("/auth/login", data={"email": ROLE_EMAILS[Role.ORGANIZER],
                                         "password": "correct horse battery"})
        with count_queries() as statements:
            page = client.get(f"/series/{series_slug}/process")
        assert page.status_code == 200
        assert page.get_data(as_text=True).count("<td>Addressee ") == 4 * events * events
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_transmittal_letter_is_drafted_from_the_template_and_comes_first(app, client, auth):
    slug, _ = _event(app)
    auth.login(Role.ORGANIZER)

    form = client.get(f"/events/{slug}/report/letter").get_data(as_text=True)
    refused = client.post(f"/events/{slug}/report/letter", data={"sender": "", "addressee": "The President",
                                                                  "body": "Text."})
    saved = client.post(f"/events/{slug}/report/letter", data={
        "symbol": "S/2014/950", "organ": "Security Council", "language": "English",
        "sender_function": "the Chargé d'affaires a.i.",
        "sender": "the Permanent Mission of Germany to the United Nations",
        "addressee": "The President of the Security Council",
        "date": "2014-12-23", "body": "Please circulate the annex.", "signature": "Heiko Thoms\nAmbassador"})

    assert "Within the framework of the Series" in form
    assert refused.status_code == 400
    assert 'id="sender-error">This field is required.' in refused.get_data(as_text=True)
    assert saved.status_code == 302
    markdown = client.get(f"/events/{slug}/report.md").get_data(as_text=True)
    assert markdown.startswith(
        "S/2014/950  \nSecurity Council  \nDistr.: General  \n23 December 2014  \nOriginal: English\n\n"
        "**Letter dated 23 December 2014 from the Chargé d'affaires a.i. of the Permanent Mission of "
        "Germany to the United Nations addressed to the President of the Security Council**\n\n"
        "Please circulate the annex.\n\n(*Signed*) Heiko Thoms  \nAmbassador\n\n---\n\n"
        "Annex to the letter dated 23 December 2014")


def test_follow_up_refuses_a_session_of_another_series(app, client, auth):
    slug, _ = _event(app)
    with app.app_context():
        elsewhere = make_agenda_session(make_event(), "Elsewhere").id
        recommendation_id = db.session.scalar(select(Recommendation.id))
    auth.login(Role.ORGANIZER)

    response = client.post(f"/events/{slug}/report/recommendations/{recommendation_id}/follow-up",
                           data={"status": "done", "follow_up_session_id": str(elsewhere),
                                 "follow_up_report_id": "", "note": ""})

    assert response.status_code == 400
    assert "Choose a session of a later event of the same series." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Recommendation, recommendation_id).follow_up_status.value == "open"


def test_a_status_jump_is_refused_with_a_message(app, client, auth):
    slug, _ = _event(app)
    auth.login(Role.ORGANIZER)

    response = client.post(f"/events/{slug}/report/status", data={"status": "published"})

    assert response.status_code == 400
    assert "<li>A report draft cannot become published.</li>" in response.get_data(as_text=True)
    assert _report(app, slug).status is ReportStatus.DRAFT


def test_editor_flags_what_the_exports_leave_out(app, client, auth):
    with app.app_context():
        event = make_event(status=EventStatus.HELD)
        make_agenda_session(event, "Workshop")
        report = service.draft_report(event, None).report
        background = next(s for s in report.sections if s.kind.value == "background")
        service.update_section(background, None, title="Background",
                               body="### Workshop\n\n[Ask the chair for her notes]")
        db.session.commit()
        slug = event.slug
    auth.login(Role.RAPPORTEUR)

    page = client.get(f"/events/{slug}/report/manage").get_data(as_text=True)

    assert page.count('<span class="badge badge-warn">Empty</span>') == 6
    assert "Nothing recorded: the section is left out of the exports." in page
    assert "Placeholder, never exported: “[Ask the chair for her notes]”" not in page  # all of it is empty
    markdown = client.get(f"/events/{slug}/report.md").get_data(as_text=True)
    assert "Ask the chair" not in markdown and "Workshop" not in markdown


def test_pdf_without_a_working_converter_says_so(make_app, tmp_path):
    app = make_app(EVENTMGR_SOFFICE=str(tmp_path / "no-such-soffice"))
    slug, _ = _event(app)
    with app.app_context():
        report = db.session.scalar(select(Report))
        for status in (ReportStatus.IN_REVIEW, ReportStatus.FINAL, ReportStatus.PUBLISHED):
            report.status = status
        db.session.commit()

    response = app.test_client().get(f"/events/{slug}/report.pdf")

    assert response.status_code == 503
    assert "The PDF converter failed" in response.get_data(as_text=True)


def test_the_rapporteurs_pages_show_an_item_without_a_time_and_the_bodies_on_it(client, auth, app_ctx):
    from eventmgr.agenda import roles
    from eventmgr.agenda import service as agenda_service
    from eventmgr.agenda.enums import SessionKind, SessionRoleKind

    event = make_event(status=EventStatus.HELD)
    panel = agenda_service.create_session(event, None, kind=SessionKind.PANEL, title="Industry panel",
                                          day=event.start_date, starts_at=None, ends_at=None)
    toshiba = make_organization("Toshiba", country="JP")
    roles.add_holder(panel, SessionRoleKind.PANELIST, None, organization=toshiba, function="a representative")
    roles.add_holder(panel, SessionRoleKind.RAPPORTEUR, None, function="Chair of the TEM")
    db.session.commit()
    auth.login(Role.RAPPORTEUR)
    workspace = client.get(f"/events/{event.slug}/report/manage").get_data(as_text=True)
    assert f"· {event.start_date:%-d %b}, time to be confirmed" in workspace
    assert "<bdi>Chair of the TEM</bdi>" in workspace
    records = client.get(f"/events/{event.slug}/report/sessions/{panel.id}").get_data(as_text=True)
    assert f"Panel · {event.start_date:%A %-d %B}, time to be confirmed\n" in records
    assert "Panelist: <bdi>a representative, Toshiba (Japan)</bdi>" in records
