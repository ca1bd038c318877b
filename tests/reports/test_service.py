"""Drafting, refreshing, regenerating, editing, revisions, status and follow-up."""

import datetime as dt
import io

import docx
import pytest
from sqlalchemy import select

from eventmgr.agenda.enums import SessionKind
from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.demo import load_demo
from eventmgr.errors import DomainError, InvalidTransition
from eventmgr.extensions import db
from eventmgr.registry.composition import compute_composition
from eventmgr.registry.enclosure import build_enclosure, enclosure_markdown
from eventmgr.registry.enums import ListCategory, OrganizationKind, RegistrationStatus
from eventmgr.reports import queries, service
from eventmgr.reports.composition_text import composition_paragraph
from eventmgr.reports.document import build_document
from eventmgr.reports.docx import render_docx
from eventmgr.reports.enums import FollowUpStatus, ReportStatus, SectionKind
from eventmgr.reports.revisions import snapshot_of
from eventmgr.series.enums import EventStatus
from eventmgr.series.models import Event
from tests.builders import make_agenda_session, make_event, make_organization, record_participant

DRAFT_KINDS = [SectionKind.BACKGROUND, SectionKind.GOALS_COMPOSITION, SectionKind.KEY_FINDINGS,
               SectionKind.HIGHLIGHTS, SectionKind.NEXT_STEPS, SectionKind.CONCLUSION,
               SectionKind.ENCLOSURE]


@pytest.fixture
def people(app_ctx):
    return {role: auth_service.create_user(f"{role.value}@reports.example", role=role,
                                           password="a long enough password") for role in Role}


def _event_with_records(author):
    event = make_event(status=EventStatus.HELD)
    record_participant(event, make_organization("AREVA", country="FR"))
    panel = make_agenda_session(event, "Compliance panel")
    make_agenda_session(event, "Coffee", kind=SessionKind.BREAK, hour=11)
    service.add_note(panel, author, "Speakers compared **compliance** programmes.")
    service.add_finding(panel, author, "Culture drives compliance.", is_key=True)
    service.add_finding(panel, author, "Small firms need help.")
    service.add_recommendation(panel, author, "Share good practice.", "industry associations")
    service.add_recommendation(panel, author, "Harmonize control lists.", "States")
    service.add_recommendation(panel, author, "Hold a forum.", "industry associations")
    db.session.commit()
    return event


def test_draft_has_the_sections_in_order_from_the_records(people):
    event = _event_with_records(people[Role.RAPPORTEUR])

    report = service.draft_report(event, people[Role.RAPPORTEUR]).report
    bodies = {section.kind: section.body for section in report.sections}

    assert [section.kind for section in report.sections] == DRAFT_KINDS
    assert bodies[SectionKind.KEY_FINDINGS] == "- Culture drives compliance."
    assert bodies[SectionKind.HIGHLIGHTS] == ("### Compliance panel\n\n"
                                              "Speakers compared **compliance** programmes.\n\n"
                                              "- Small firms need help.")
    assert bodies[SectionKind.NEXT_STEPS] == (
        "### Addressed to industry associations\n\n- Share good practice.\n- Hold a forum.\n\n"
        "### Addressed to States\n\n- Harmonize control lists.")
    assert composition_paragraph(compute_composition(event)) in bodies[SectionKind.GOALS_COMPOSITION]
    assert bodies[SectionKind.ENCLOSURE] == enclosure_markdown(build_enclosure(event))
    assert [(r.number, r.summary) for r in report.revisions] == [(1, "Drafted from the event")]


def test_refresh_rewrites_untouched_sections_and_keeps_edited_ones(people):
    author = people[Role.RAPPORTEUR]
    event = _event_with_records(author)
    report = service.draft_report(event, author).report
    findings = next(s for s in report.sections if s.kind is SectionKind.KEY_FINDINGS)
    steps = next(s for s in report.sections if s.kind is SectionKind.NEXT_STEPS)
    service.update_section(steps, author, title=steps.title, body="Our own words.")
    session = make_agenda_session(event, "Late panel", hour=15)
    service.add_finding(session, author, "A late key finding.", is_key=True)
    service.add_recommendation(session, author, "Report back.", "the 1540 Committee")

    result = service.draft_report(event, author)

    # The conclusion counts the key findings, so it follows them; the late panel has nothing but a
    # key finding, so the highlights get no empty subsection for it.
    assert [s.kind for s in result.refreshed] == [SectionKind.KEY_FINDINGS, SectionKind.CONCLUSION]
    assert [s.kind for s in result.kept_edited] == [SectionKind.NEXT_STEPS]
    assert findings.body == "- Culture drives compliance.\n- A late key finding."
    assert steps.body == "Our own words."
    assert steps.is_edited


def test_regenerate_shows_the_difference_and_replaces_only_what_was_seen(people):
    author = people[Role.ORGANIZER]
    event = _event_with_records(author)
    report = service.draft_report(event, author).report
    steps = next(s for s in report.sections if s.kind is SectionKind.NEXT_STEPS)
    service.update_section(steps, author, title=steps.title, body="Our own words.")

    diff = service.text_diff(steps.body, service.regenerated_text(steps))

    assert [(line.kind, line.text) for line in diff[:3]] == [
        ("hunk", "…"), ("removed", "Our own words."), ("added", "### Addressed to industry associations")]
    with pytest.raises(DomainError):
        service.regenerate_section(steps, author, expected_body="what someone else saw")
    assert steps.body == "Our own words."
    service.regenerate_section(steps, author, expected_body="Our own words.")
    assert steps.body.startswith("### Addressed to industry associations")
    assert not steps.is_edited


def test_every_save_is_a_revision_and_any_two_compare(people):
    author = people[Role.RAPPORTEUR]
    event = _event_with_records(author)
    report = service.draft_report(event, author).report
    background = report.sections[0]
    service.update_section(background, author, title="Background", body="A new background.")
    service.update_settings(report, author, title="Summary report", subtitle="", numbered=True)
    service.add_free_section(report, author, title="Acknowledgements", body="Thanks to all.")
    service.move_section(report.sections[1], author, -1)

    revisions = report.revisions
    assert [(r.number, r.summary, r.author_id) for r in revisions] == [
        (1, "Drafted from the event", author.id), (2, "Edited “Background”", author.id),
        (3, "Changed the title or numbering", author.id), (4, "Added “Acknowledgements”", author.id),
        (5, "Moved “Goals and composition” up", author.id)]
    assert [s["title"] for s in snapshot_of(revisions[3])["sections"]][-3:] == [
        "Acknowledgements", "Conclusion", "List of participants"]

    diff = [(line.kind, line.text) for line in service.revision_diff(revisions[0], revisions[2])]
    assert ("removed", "# Conference report") in diff
    assert ("added", "# Summary report") in diff
    assert ("added", "1\\. A new background.") in diff
    # The drafted background was empty, so left out; once written it shows, numbered.
    assert ("added", "## I. Background") in diff


def test_a_rapporteur_cannot_publish_an_organizer_can(people):
    event = _event_with_records(people[Role.RAPPORTEUR])
    report = service.draft_report(event, people[Role.RAPPORTEUR]).report
    rapporteur, organizer = people[Role.RAPPORTEUR], people[Role.ORGANIZER]

    service.change_status(report, rapporteur, ReportStatus.IN_REVIEW)
    with pytest.raises(InvalidTransition):
        service.change_status(report, rapporteur, ReportStatus.FINAL)
    service.change_status(report, organizer, ReportStatus.FINAL)
    with pytest.raises(InvalidTransition):
        service.change_status(report, rapporteur, ReportStatus.PUBLISHED)
    assert report.status is ReportStatus.FINAL
    service.change_status(report, organizer, ReportStatus.PUBLISHED)

    assert report.status is ReportStatus.PUBLISHED
    assert report.published_at is not None
    assert event.status is EventStatus.REPORTED
    with pytest.raises(InvalidTransition):
        service.change_status(report, organizer, ReportStatus.DRAFT)


def test_follow_up_links_only_to_later_events_of_the_series(people):
    author = people[Role.ORGANIZER]
    event = _event_with_records(author)
    later = make_event(event.series, start_date=dt.date(2016, 6, 1), end_date=dt.date(2016, 6, 2))
    later_session = make_agenda_session(later, "Review of 2014 recommendations")
    later_report = service.draft_report(later, author).report
    elsewhere = make_agenda_session(make_event(), "Unrelated")
    closing = make_agenda_session(event, "Closing", hour=16)
    recommendation = service.add_recommendation(closing, author, "Meet again.", "States")

    with pytest.raises(DomainError) as error:
        service.set_follow_up(recommendation, status=FollowUpStatus.DONE, session_id=elsewhere.id)
    assert error.value.field == "follow_up_session_id"
    service.set_follow_up(recommendation, status=FollowUpStatus.DONE, session_id=later_session.id,
                          report_id=later_report.id, note="Discussed in 2016.")

    assert (recommendation.follow_up_status, recommendation.follow_up_session,
            recommendation.follow_up_report, recommendation.follow_up_note) == (
        FollowUpStatus.DONE, later_session, later_report, "Discussed in 2016.")


def test_demo_report_of_2014_has_the_sections_in_order_and_the_enclosure(app_ctx):
    load_demo()
    db.session.commit()
    event = db.session.scalar(select(Event).where(Event.slug == "frankfurt-2014"))
    report = service.draft_report(event, None).report

    assert [section.kind for section in report.sections] == DRAFT_KINDS
    enclosure = build_enclosure(event)
    assert report.sections[-1].body == enclosure_markdown(enclosure)
    assert [paragraph.heading for paragraph in enclosure] == [
        "States and Government authorities", "International and regional organizations",
        "Companies and industry associations", "Academia, think tanks and other entities"]
    composition = compute_composition(event)
    assert "The majority of the approximately 70 participants represented companies and industry " \
           "associations" in report.sections[1].body
    assert 65 <= composition.participants <= 74
    assert report.has_letter
    document = docx.Document(io.BytesIO(render_docx(build_document(service.snapshot(report)))))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Background", "Goals and composition", "Key findings",
                        "Highlights of presentations and discussion", "Next steps", "Conclusion",
                        "List of participants"]
    texts = [p.text for p in document.paragraphs]
    assert texts[-len(enclosure):] == [f"{p.heading}: {p.body}" for p in enclosure]


def test_series_participation_by_category_and_returning_organizations(app_ctx):
    first = make_event(status=EventStatus.HELD, start_date=dt.date(2012, 4, 23),
                       end_date=dt.date(2012, 4, 25))
    second = make_event(first.series, status=EventStatus.HELD, start_date=dt.date(2014, 11, 20),
                        end_date=dt.date(2014, 11, 21))
    areva = make_organization("AREVA", country="FR")
    office = make_organization("Federal Foreign Office", kind=OrganizationKind.GOVERNMENT)
    sipri = make_organization("SIPRI", kind=OrganizationKind.THINK_TANK, country="SE")
    record_participant(first, areva)
    record_participant(first, sipri)
    for organization in (areva, areva, office, sipri, None):
        record_participant(second, organization)
    record_participant(second, office, status=RegistrationStatus.CANCELLED)

    participation = queries.series_participation([second, first])

    assert participation[first.id] == queries.Participation(
        participants=2, by_category={ListCategory.INDUSTRY: 1, ListCategory.OTHERS: 1},
        returning_organizations=[])
    assert participation[second.id] == queries.Participation(
        participants=5,
        by_category={ListCategory.STATES: 1, ListCategory.INDUSTRY: 2, ListCategory.OTHERS: 1},
        returning_organizations=["AREVA", "SIPRI"])
    assert participation[second.id].by_category == compute_composition(second).by_category


def test_removing_a_section_keeps_its_text_in_the_revisions(people):
    author = people[Role.ORGANIZER]
    report = service.draft_report(_event_with_records(author), author).report
    conclusion = next(s for s in report.sections if s.kind is SectionKind.CONCLUSION)

    service.delete_section(conclusion, author)

    assert [s.kind for s in report.sections] == [k for k in DRAFT_KINDS if k is not SectionKind.CONCLUSION]
    assert [s.position for s in report.sections] == [0, 1, 2, 3, 4, 5]
    assert report.revisions[-1].summary == "Removed “Conclusion”"
    assert "## Conclusion" in service.revision_text(snapshot_of(report.revisions[0]))
    assert "## Conclusion" not in service.revision_text(snapshot_of(report.revisions[-1]))


def test_drafting_runs_a_fixed_number_of_queries(app, count_queries):
    counts = []
    for sessions in (1, 8):
        with app.app_context():
            author = auth_service.create_user(f"r{sessions}@reports.example", role=Role.RAPPORTEUR,
                                              password="a long enough password")
            event = make_event(status=EventStatus.HELD)
            for index in range(sessions):
                record_participant(event, make_organization(f"Company {sessions}-{index}"))
                session = make_agenda_session(event, f"Panel {index}")
                service.add_note(session, author, "Notes.")
                service.add_finding(session, author, "Finding.", is_key=True)
                service.add_recommendation(session, author, "Step.", f"Addressee {index}")
            db.session.commit()
            with count_queries() as statements:
                service.draft_report(event, author)
                db.session.commit()
            counts.append(len(statements))
            db.session.remove()
    assert counts[0] == counts[1]
