"""flask reports draft / export."""

import io

import docx
from sqlalchemy import select

from eventmgr.extensions import db
from eventmgr.reports import service
from eventmgr.reports.queries import report_of
from eventmgr.series.enums import EventStatus
from eventmgr.series.models import Event
from tests.builders import make_agenda_session, make_event


def test_draft_then_refresh_then_export_each_format(app, runner, tmp_path):
    with app.app_context():
        event = make_event(status=EventStatus.HELD)
        slug, title = event.slug, event.title
        service.add_note(make_agenda_session(event, "Panel"), None, "Notes <script>x</script>.")
        db.session.commit()

    first = runner.invoke(args=["reports", "draft", slug])
    assert (first.exit_code, first.output) == (0, "Drafted the report with 7 sections.\n")
    with app.app_context():
        section = report_of(db.session.scalar(select(Event).where(Event.slug == slug))).sections[0]
        service.update_section(section, None, title="Background", body="Edited.")
        db.session.commit()
    again = runner.invoke(args=["reports", "draft", slug])
    assert (again.exit_code, again.output) == (
        0, "Refreshed: nothing changed.\nKept as edited: Background.\n")

    for fmt in ("docx", "pdf", "md", "html"):
        path = tmp_path / f"report.{fmt}"
        result = runner.invoke(args=["reports", "export", slug, "--format", fmt, "-o", str(path)])
        assert (result.exit_code, result.output) == (0, f"Wrote {path}.\n")
    document = docx.Document(io.BytesIO((tmp_path / "report.docx").read_bytes()))
    assert [p.text for p in document.paragraphs[:4]] == [
        "Conference report", f"Compliance\n{title}\n20 and 21 November 2014, Frankfurt am Main, Germany",
        "Background", "Edited."]
    assert (tmp_path / "report.md").read_text().startswith("# Conference report\n")
    html = (tmp_path / "report.html").read_text()
    assert "<p>Notes &lt;script&gt;x&lt;/script&gt;.</p>" in html
    assert "<script" not in html


def test_unknown_event_and_missing_report(app, runner, tmp_path):
    with app.app_context():
        slug = make_event().slug

    unknown = runner.invoke(args=["reports", "draft", "nowhere"])
    missing = runner.invoke(args=["reports", "export", slug, "-o", str(tmp_path / "x.docx")])

    assert (unknown.exit_code, unknown.output) == (1, "Error: No event with the address “nowhere”.\n")
    assert missing.exit_code == 1
    assert "run `flask reports draft` first" in missing.output
