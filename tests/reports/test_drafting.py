"""A draft says only what was recorded: nothing unrecorded, nothing empty in the exports."""

import datetime as dt

from eventmgr.agenda.enums import SessionKind
from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.reports import service
from eventmgr.reports.document import render_markdown
from eventmgr.reports.docx import render_docx
from eventmgr.reports.enums import SectionKind
from eventmgr.series.enums import EventStatus
from tests.builders import make_agenda_session, make_event, make_organization, record_participant
from tests.documents.readback import assert_un_document, read

BEFORE, AFTER = dt.date(2014, 10, 1), dt.date(2014, 12, 1)


def _rapporteur():
    return auth_service.create_user("drafter@reports.example", role=Role.RAPPORTEUR,
                                    password="a long enough password")


def test_nothing_recorded_nothing_said(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    make_agenda_session(event, "Workshop")
    make_agenda_session(event, "Lunch", kind=SessionKind.BREAK, hour=12)

    report = service.draft_report(event, _rapporteur(), today=BEFORE).report
    bodies = {s.kind: s.body for s in report.sections}
    document = service.export_document(report)
    markdown = render_markdown(document)

    for kind in (SectionKind.KEY_FINDINGS, SectionKind.HIGHLIGHTS, SectionKind.NEXT_STEPS,
                 SectionKind.CONCLUSION, SectionKind.ENCLOSURE):
        assert bodies[kind] == "", kind
    assert [s.kind for s in document.sections] == [SectionKind.GOALS_COMPOSITION]
    for unrecorded in ("welcomed", "will be followed up", "recorded yet", "Workshop", "Key findings",
                       "Conclusion", "next steps"):
        assert unrecorded not in markdown
    assert_un_document(read(render_docx(document)))


def test_tense_follows_the_day_of_drafting(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    record_participant(event, make_organization("AREVA", country="FR"))
    record_participant(event, make_organization("Lufthansa"))
    author = _rapporteur()

    before = service.draft_report(event, author, today=BEFORE).report
    goals_before = next(s.body for s in before.sections if s.kind is SectionKind.GOALS_COMPOSITION)
    after = service.regenerated_text(next(s for s in before.sections
                                          if s.kind is SectionKind.GOALS_COMPOSITION))

    assert "will take place in Frankfurt am Main, Germany, on 20 and 21 November 2014." in goals_before
    assert "registered participants represent" in goals_before or "will bring together" in goals_before
    assert "took place" not in goals_before
    # The service drafts with today's date: well after 2014, so the past tense.
    assert "took place in Frankfurt am Main, Germany, on 20 and 21 November 2014." in after


def test_conclusion_from_what_exists(app_ctx):
    event = make_event(status=EventStatus.HELD)
    panel = make_agenda_session(event, "Compliance panel")
    author = _rapporteur()
    service.add_finding(panel, author, "Culture drives compliance.", is_key=True)
    service.add_finding(panel, author, "Rules must be clear.", is_key=True)
    db.session.commit()

    only_findings = service.draft_report(event, author, today=AFTER).report
    conclusion = next(s for s in only_findings.sections if s.kind is SectionKind.CONCLUSION)
    assert conclusion.body == "The conference arrived at two key findings, set out above."

    service.add_recommendation(panel, author, "Share good practice.", "industry associations")
    service.add_recommendation(panel, author, "Harmonize lists.", "States")
    assert service.regenerated_text(conclusion) == (
        "The conference arrived at two key findings and next steps addressed to industry associations "
        "and States, set out above.")
