"""Access policy of the report routes (see tests/access.py)."""

from eventmgr.auth import service as auth_service
from eventmgr.extensions import db
from eventmgr.reports import service
from eventmgr.reports.enums import ReportStatus
from eventmgr.series.models import Event
from tests.access import PUBLIC, WRITERS, Access, post
from tests.builders import make_agenda_session
from tests.conftest import ROLE_EMAILS

POLICY = {
    "reports.workspace": Access(WRITERS),
    "reports.draft": post(WRITERS),
    "reports.settings": post(WRITERS),
    "reports.change_status": post(WRITERS),
    # The world's report is published, so it reads as it stands: its editing pages send writers
    # back to the report with the reason.
    "reports.add_section": Access(WRITERS, ok=(302,)),
    "reports.edit_section": Access(WRITERS, ok=(302,)),
    "reports.move_section": post(WRITERS),
    "reports.delete_section": post(WRITERS),
    "reports.regenerate_section": Access(WRITERS, ok=(302,)),
    "reports.letter": Access(WRITERS, ok=(302,)),
    "reports.remove_letter": post(WRITERS),
    "reports.revisions": Access(WRITERS),
    "reports.revision": Access(WRITERS),
    "reports.restore_revision": post(WRITERS),
    # Without two revisions chosen it sends the user back to the list.
    "reports.compare_revisions": Access(WRITERS, ok=(302,)),
    "reports.session_records": Access(WRITERS),
    "reports.add_note": post(WRITERS),
    "reports.add_finding": post(WRITERS),
    "reports.add_recommendation": post(WRITERS),
    "reports.delete_note": post(WRITERS),
    "reports.edit_note": Access(WRITERS),
    "reports.edit_finding": Access(WRITERS),
    "reports.edit_recommendation": Access(WRITERS),
    "reports.toggle_key_finding": post(WRITERS),
    "reports.delete_finding": post(WRITERS),
    "reports.delete_recommendation": post(WRITERS),
    "reports.follow_up": Access(WRITERS),
    # prepare() publishes the world's report, so everyone may read it.
    "reports.public_report": Access(PUBLIC),
    "reports.report_docx": Access(PUBLIC),
    "reports.report_pdf": Access(PUBLIC),
    "reports.report_markdown": Access(PUBLIC),
    "reports.report_html": Access(PUBLIC),
    "reports.process": Access(WRITERS),
}


def prepare(world) -> dict:
    """A session with a note, a finding and a recommendation; a published report."""
    event = db.session.get(Event, world.event_id)
    session = make_agenda_session(event, "Matrix panel")
    organizer = auth_service.get_user_by_email(ROLE_EMAILS["organizer"])
    note = service.add_note(session, organizer, "Notes of the panel.")
    finding = service.add_finding(session, organizer, "A finding.", is_key=True)
    recommendation = service.add_recommendation(session, organizer, "Do more.", "States")
    report = service.draft_report(event, organizer).report
    for status in (ReportStatus.IN_REVIEW, ReportStatus.FINAL, ReportStatus.PUBLISHED):
        service.change_status(report, organizer, status)
    return {"session_id": session.id, "note_id": note.id, "finding_id": finding.id,
            "recommendation_id": recommendation.id, "section_id": report.sections[0].id,
            "revision_id": report.revisions[-1].id}
