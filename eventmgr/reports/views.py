"""Rapporteur workspace, report editing, revisions, exports and the series process view."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from eventmgr.agenda.models import AgendaSession
from eventmgr.auth.decorators import writers_required, writes
from eventmgr.documents.download import document_response
from eventmgr.errors import DomainError
from eventmgr.extensions import db
from eventmgr.formtools import show_domain_error
from eventmgr.registry.enums import ListCategory
from eventmgr.reports import queries, service
from eventmgr.reports import revisions as revision_store
from eventmgr.reports.builder import letter_body
from eventmgr.reports.document import (
    build_document,
    content_issues,
    parse_blocks,
    plain_excerpt,
    render_blocks_html,
    render_html,
    render_markdown,
    standalone_html,
)
from eventmgr.reports.docx import render_docx
from eventmgr.reports.enums import FollowUpStatus, ReportStatus
from eventmgr.reports.forms import (
    FindingForm,
    FollowUpForm,
    LetterForm,
    NoteForm,
    RecommendationForm,
    RegenerateForm,
    SectionForm,
    SettingsForm,
    StatusForm,
)
from eventmgr.reports.models import Finding, Recommendation, Report, ReportSection, SessionNote
from eventmgr.series import queries as series_queries
from eventmgr.series.models import Event, Series

bp = Blueprint("reports", __name__)



@bp.errorhandler(service.ReportLocked)
def report_locked(error: service.ReportLocked):
    """A change to a final or published report: say why, back to the report."""
    db.session.rollback()
    flash(error.message, "error")
    return redirect(url_for("reports.workspace", slug=request.view_args["slug"]))


@bp.app_template_filter("markdown_excerpt")
def markdown_excerpt(markdown: str) -> str:
    return plain_excerpt(markdown)


def _event(slug: str) -> Event:
    event = series_queries.event_with_details(slug)
    if event is None:
        abort(404)
    return event


def _report(event: Event) -> Report:
    report = queries.report_of(event)
    if report is None:
        abort(404)
    return report


def _session(event: Event, session_id: int) -> AgendaSession:
    session = db.session.get(AgendaSession, session_id)
    if session is None or session.event_id != event.id:
        abort(404)
    return session


def _section(report: Report, section_id: int) -> ReportSection:
    section = next((s for s in report.sections if s.id == section_id), None)
    if section is None:
        abort(404)
    return section


def _record(model, record_id: int, event: Event):
    record = db.session.get(model, record_id)
    if record is None or record.session.event_id != event.id:
        abort(404)
    return record


def _readable_report(slug: str) -> tuple[Event, Report]:
    """Published reports are public; rapporteurs and organizers also read drafts."""
    event = _event(slug)
    report = queries.report_of(event)
    if report is None or not (report.is_published or writes(event)):
        abort(404)
    return event, report


# ---------------------------------------------------------------- the Report tab

def _render_workspace(event: Event, report: Report | None, *, settings_form=None, status_form=None,
                      code: int = 200):
    records = queries.session_records(event)
    if report is not None:
        settings_form = settings_form or SettingsForm(obj=report, formdata=None)
        status_form = status_form or StatusForm(formdata=None)
    statuses = [s for s in report.status.next_statuses
                if service.may_set_status(current_user, report, s)] if report else []
    issues = {section.id: content_issues(section.body) for section in report.sections} if report else {}
    return render_template("reports/workspace.html", event=event, report=report, records=records,
                           settings_form=settings_form, status_form=status_form, issues=issues,
                           statuses=statuses), code


@bp.route("/events/<slug>/report/manage")
@writers_required
def workspace(slug: str):
    """The event's report: sections, settings, status, and each session's rapporteur records."""
    event = _event(slug)
    return _render_workspace(event, queries.report_of(event))


@bp.route("/events/<slug>/report/draft", methods=["POST"])
@writers_required
def draft(slug: str):
    """Create the draft, or refresh the sections nobody has edited."""
    event = _event(slug)
    result = service.draft_report(event, current_user)
    db.session.commit()
    if result.created:
        flash("The report was drafted from the event.", "success")
    else:
        refreshed = ", ".join(s.title for s in result.refreshed) or "nothing changed"
        flash(f"Refreshed from the event: {refreshed}.", "success")
        if result.kept_edited:
            flash("Edited sections kept their text: " + ", ".join(s.title for s in result.kept_edited)
                  + ". Use “Compare with a new draft” on each to see what changed.", "info")
    return redirect(url_for("reports.workspace", slug=slug))


@bp.route("/events/<slug>/report/settings", methods=["POST"])
@writers_required
def settings(slug: str):
    event = _event(slug)
    report = _report(event)
    form = SettingsForm()
    if form.validate_on_submit():
        service.update_settings(report, current_user, title=form.title.data,
                                subtitle=form.subtitle.data or "", numbered=form.numbered.data)
        db.session.commit()
        flash("Report settings saved.", "success")
        return redirect(url_for("reports.workspace", slug=slug))
    return _render_workspace(event, report, settings_form=form, code=400)


@bp.route("/events/<slug>/report/status", methods=["POST"])
@writers_required
def change_status(slug: str):
    """Move the report on; only organizers mark it final or publish it."""
    event = _event(slug)
    report = _report(event)
    form = StatusForm()
    if not form.validate_on_submit():
        return _render_workspace(event, report, status_form=form, code=400)
    status = ReportStatus(form.status.data)
    if not service.may_set_status(current_user, report, status):
        abort(403)
    try:
        service.change_status(report, current_user, status)
    except DomainError as error:
        show_domain_error(form, error)
        return _render_workspace(event, report, status_form=form, code=400)
    db.session.commit()
    flash(f"The report is now {status.label.lower()}.", "success")
    return redirect(url_for("reports.workspace", slug=slug))


# ---------------------------------------------------------------- sections

@bp.route("/events/<slug>/report/sections/new", methods=["GET", "POST"])
@writers_required
def add_section(slug: str):
    event = _event(slug)
    report = _report(event)
    service.check_editable(report)
    form = SectionForm()
    if form.validate_on_submit():
        service.add_free_section(report, current_user, title=form.title.data, body=form.body.data or "")
        db.session.commit()
        flash(f"Section “{form.title.data}” added.", "success")
        return redirect(url_for("reports.workspace", slug=slug))
    return render_template("reports/section_form.html", event=event, report=report, form=form,
                           section=None), 400 if form.errors else 200


@bp.route("/events/<slug>/report/sections/<int:section_id>", methods=["GET", "POST"])
@writers_required
def edit_section(slug: str, section_id: int):
    event = _event(slug)
    report = _report(event)
    service.check_editable(report)
    section = _section(report, section_id)
    form = SectionForm(obj=section)
    if form.validate_on_submit():
        service.update_section(section, current_user, title=form.title.data, body=form.body.data or "")
        db.session.commit()
        flash(f"Section “{section.title}” saved.", "success")
        return redirect(url_for("reports.workspace", slug=slug) + f"#section-{section.id}")
    return render_template("reports/section_form.html", event=event, report=report, form=form,
                           section=section), 400 if form.errors else 200


@bp.route("/events/<slug>/report/sections/<int:section_id>/move", methods=["POST"])
@writers_required
def move_section(slug: str, section_id: int):
    report = _report(_event(slug))
    section = _section(report, section_id)
    service.move_section(section, current_user, -1 if request.form.get("direction") == "up" else 1)
    db.session.commit()
    return redirect(url_for("reports.workspace", slug=slug) + f"#section-{section.id}")


@bp.route("/events/<slug>/report/sections/<int:section_id>/delete", methods=["POST"])
@writers_required
def delete_section(slug: str, section_id: int):
    report = _report(_event(slug))
    section = _section(report, section_id)
    service.delete_section(section, current_user)
    db.session.commit()
    flash(f"Section “{section.title}” removed; its text stays in the revisions.", "success")
    return redirect(url_for("reports.workspace", slug=slug))


@bp.route("/events/<slug>/report/sections/<int:section_id>/regenerate", methods=["GET", "POST"])
@writers_required
def regenerate_section(slug: str, section_id: int):
    """A fresh draft of the section beside the current text; replacing it is a choice."""
    event = _event(slug)
    report = _report(event)
    section = _section(report, section_id)
    service.check_editable(report)
    if not section.kind.generated:
        abort(404)
    form = RegenerateForm()
    if form.validate_on_submit():
        try:
            service.regenerate_section(section, current_user, expected_body=form.expected_body.data or "")
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(f"Section “{section.title}” replaced by the new draft.", "success")
            return redirect(url_for("reports.workspace", slug=slug) + f"#section-{section.id}")
    fresh = service.regenerated_text(section)
    diff = service.text_diff(section.body, fresh, old_label="current text", new_label="new draft")
    form.expected_body.data = section.body
    return render_template("reports/regenerate.html", event=event, report=report, section=section,
                           diff=diff, form=form)


# ---------------------------------------------------------------- letter

@bp.route("/events/<slug>/report/letter", methods=["GET", "POST"])
@writers_required
def letter(slug: str):
    """The transmittal letter, drafted from the template the first time."""
    event = _event(slug)
    report = _report(event)
    service.check_editable(report)
    form = LetterForm(obj=_letter_values(report))
    if form.validate_on_submit():
        try:
            service.update_letter(report, current_user, service.LetterFields(
                sender=form.sender.data, addressee=form.addressee.data, date=form.date.data,
                body=form.body.data, signature=form.signature.data or "",
                sender_function=form.sender_function.data or "", symbol=form.symbol.data or "",
                organ=form.organ.data or "", language=form.language.data or "English"))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash("Transmittal letter saved; it comes before the report in the exports.", "success")
            return redirect(url_for("reports.workspace", slug=slug))
    return render_template("reports/letter_form.html", event=event, report=report, form=form), \
        400 if form.errors else 200


def _letter_values(report: Report) -> SimpleNamespace:
    """The saved letter, or a new one drafted from the template."""
    return SimpleNamespace(sender=report.letter_sender, addressee=report.letter_addressee,
                           date=report.letter_date, signature=report.letter_signature,
                           sender_function=report.letter_sender_function, symbol=report.letter_symbol,
                           organ=report.letter_organ, language=report.letter_language or "English",
                           body=report.letter_body if report.has_letter else letter_body(
                               report.event, organ=report.letter_organ))


@bp.route("/events/<slug>/report/letter/remove", methods=["POST"])
@writers_required
def remove_letter(slug: str):
    report = _report(_event(slug))
    service.remove_letter(report, current_user)
    db.session.commit()
    flash("The transmittal letter was removed from the report.", "success")
    return redirect(url_for("reports.workspace", slug=slug))


# ---------------------------------------------------------------- revisions

@bp.route("/events/<slug>/report/revisions")
@writers_required
def revisions(slug: str):
    """Every save, newest first; pick any two to compare."""
    event = _event(slug)
    report = _report(event)
    return render_template("reports/revisions.html", event=event, report=report,
                           revisions=queries.revisions_of(report))


@bp.route("/events/<slug>/report/revisions/<int:revision_id>")
@writers_required
def revision(slug: str, revision_id: int):
    event = _event(slug)
    report = _report(event)
    try:
        shown = service.get_revision(report, revision_id)
    except DomainError:
        abort(404)
    return render_template("reports/revision.html", event=event, report=report, revision=shown,
                           html=render_html(build_document(revision_store.snapshot_of(shown))),
                           is_latest=shown.number == queries.revisions_of(report)[0].number)


@bp.route("/events/<slug>/report/revisions/<int:revision_id>/restore", methods=["POST"])
@writers_required
def restore_revision(slug: str, revision_id: int):
    """Bring back the report's text as it stood at a revision (saved as a new revision)."""
    event = _event(slug)
    report = _report(event)
    try:
        service.restore_revision(report, service.get_revision(report, revision_id), current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("reports.revision", slug=slug, revision_id=revision_id))
    db.session.commit()
    flash("The report's text is back as it stood at that revision; the restore is itself a revision.",
          "success")
    return redirect(url_for("reports.workspace", slug=slug))


@bp.route("/events/<slug>/report/revisions/compare")
@writers_required
def compare_revisions(slug: str):
    event = _event(slug)
    report = _report(event)
    try:
        old = service.get_revision(report, request.args.get("old", type=int) or 0)
        new = service.get_revision(report, request.args.get("new", type=int) or 0)
    except DomainError:
        flash("Choose two revisions to compare.", "error")
        return redirect(url_for("reports.revisions", slug=slug))
    if old.number > new.number:
        old, new = new, old
    return render_template("reports/compare.html", event=event, report=report, old=old, new=new,
                           diff=service.revision_diff(old, new))


# ---------------------------------------------------------------- rapporteur records

# The three forms share one page, so their fields carry a prefix to keep ids unique.
def _render_session(event: Event, session: AgendaSession, *, note_form=None, finding_form=None,
                    recommendation_form=None, code: int = 200):
    record = next(r for r in queries.session_records(event) if r.session.id == session.id)
    return render_template(
        "reports/session.html", event=event, record=record,
        note_form=note_form or NoteForm(formdata=None, prefix="note"),
        finding_form=finding_form or FindingForm(formdata=None, prefix="finding"),
        recommendation_form=recommendation_form or RecommendationForm(formdata=None,
                                                                      prefix="recommendation"),
        render_note=lambda body: render_blocks_html(parse_blocks(body))), code


@bp.route("/events/<slug>/report/sessions/<int:session_id>")
@writers_required
def session_records(slug: str, session_id: int):
    """A rapporteur's page for one session: notes, findings and recommendations."""
    event = _event(slug)
    return _render_session(event, _session(event, session_id))


@bp.route("/events/<slug>/report/sessions/<int:session_id>/notes", methods=["POST"])
@writers_required
def add_note(slug: str, session_id: int):
    event = _event(slug)
    session = _session(event, session_id)
    form = NoteForm(prefix="note")
    if form.validate_on_submit():
        service.add_note(session, current_user, form.body.data)
        db.session.commit()
        flash("Notes saved.", "success")
        return redirect(url_for("reports.session_records", slug=slug, session_id=session_id))
    return _render_session(event, session, note_form=form, code=400)


@bp.route("/events/<slug>/report/sessions/<int:session_id>/findings", methods=["POST"])
@writers_required
def add_finding(slug: str, session_id: int):
    event = _event(slug)
    session = _session(event, session_id)
    form = FindingForm(prefix="finding")
    if form.validate_on_submit():
        service.add_finding(session, current_user, form.text.data, is_key=form.is_key.data)
        db.session.commit()
        flash("Finding added.", "success")
        return redirect(url_for("reports.session_records", slug=slug, session_id=session_id))
    return _render_session(event, session, finding_form=form, code=400)


@bp.route("/events/<slug>/report/sessions/<int:session_id>/recommendations", methods=["POST"])
@writers_required
def add_recommendation(slug: str, session_id: int):
    event = _event(slug)
    session = _session(event, session_id)
    form = RecommendationForm(prefix="recommendation")
    if form.validate_on_submit():
        service.add_recommendation(session, current_user, form.text.data, form.addressee.data)
        db.session.commit()
        flash("Recommendation added.", "success")
        return redirect(url_for("reports.session_records", slug=slug, session_id=session_id))
    return _render_session(event, session, recommendation_form=form, code=400)


@bp.route("/events/<slug>/report/notes/<int:note_id>/delete", methods=["POST"])
@writers_required
def delete_note(slug: str, note_id: int):
    note = _record(SessionNote, note_id, _event(slug))
    service.delete_record(note)
    db.session.commit()
    flash("Notes deleted.", "success")
    return redirect(url_for("reports.session_records", slug=slug, session_id=note.session_id))


def _edit_record(slug: str, model, record_id: int, form_class, save, what: str):
    """The page that corrects one rapporteur record (notes, a finding, a recommendation)."""
    event = _event(slug)
    record = _record(model, record_id, event)
    form = form_class(obj=record)
    if form.validate_on_submit():
        try:
            save(record, form)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(f"{what.capitalize()} saved.", "success")
            return redirect(url_for("reports.session_records", slug=slug, session_id=record.session_id))
    return render_template("reports/record_form.html", event=event, session=record.session, form=form,
                           what=what), 400 if form.errors else 200


@bp.route("/events/<slug>/report/notes/<int:note_id>/edit", methods=["GET", "POST"])
@writers_required
def edit_note(slug: str, note_id: int):
    """Correct a session's notes."""
    return _edit_record(slug, SessionNote, note_id, NoteForm,
                        lambda note, form: service.update_note(note, form.body.data), "notes")


@bp.route("/events/<slug>/report/findings/<int:finding_id>/edit", methods=["GET", "POST"])
@writers_required
def edit_finding(slug: str, finding_id: int):
    """Reword a finding, or change whether it is a key finding."""
    return _edit_record(slug, Finding, finding_id, FindingForm,
                        lambda finding, form: service.update_finding(finding, form.text.data,
                                                                     is_key=form.is_key.data),
                        "finding")


@bp.route("/events/<slug>/report/recommendations/<int:recommendation_id>/edit", methods=["GET", "POST"])
@writers_required
def edit_recommendation(slug: str, recommendation_id: int):
    """Reword a recommendation or its addressee (its follow-up has its own page)."""
    return _edit_record(slug, Recommendation, recommendation_id, RecommendationForm,
                        lambda recommendation, form: service.update_recommendation(
                            recommendation, form.text.data, form.addressee.data),
                        "recommendation")


@bp.route("/events/<slug>/report/findings/<int:finding_id>/key", methods=["POST"])
@writers_required
def toggle_key_finding(slug: str, finding_id: int):
    finding = _record(Finding, finding_id, _event(slug))
    service.set_key_finding(finding, not finding.is_key)
    db.session.commit()
    return redirect(url_for("reports.session_records", slug=slug, session_id=finding.session_id))


@bp.route("/events/<slug>/report/findings/<int:finding_id>/delete", methods=["POST"])
@writers_required
def delete_finding(slug: str, finding_id: int):
    finding = _record(Finding, finding_id, _event(slug))
    service.delete_record(finding)
    db.session.commit()
    flash("Finding deleted.", "success")
    return redirect(url_for("reports.session_records", slug=slug, session_id=finding.session_id))


@bp.route("/events/<slug>/report/recommendations/<int:recommendation_id>/delete", methods=["POST"])
@writers_required
def delete_recommendation(slug: str, recommendation_id: int):
    recommendation = _record(Recommendation, recommendation_id, _event(slug))
    service.delete_record(recommendation)
    db.session.commit()
    flash("Recommendation deleted.", "success")
    return redirect(url_for("reports.session_records", slug=slug,
                            session_id=recommendation.session_id))


@bp.route("/events/<slug>/report/recommendations/<int:recommendation_id>/follow-up",
          methods=["GET", "POST"])
@writers_required
def follow_up(slug: str, recommendation_id: int):
    """Where a recommendation was taken up at a later event of the series."""
    event = _event(slug)
    recommendation = _record(Recommendation, recommendation_id, event)
    form = FollowUpForm(obj=recommendation, status=recommendation.follow_up_status.value,
                        note=recommendation.follow_up_note)
    form.follow_up_session_id.choices = [(None, "— none —")] + [
        (s.id, f"{s.event.title} ({s.event.start_date.year}): {s.title}")
        for s in queries.later_sessions(event)]
    form.follow_up_report_id.choices = [(None, "— none —")] + [
        (r.id, f"{r.event.title} ({r.event.start_date.year})") for r in queries.later_reports(event)]
    if form.validate_on_submit():
        try:
            service.set_follow_up(recommendation, status=FollowUpStatus(form.status.data),
                                  session_id=form.follow_up_session_id.data,
                                  report_id=form.follow_up_report_id.data, note=form.note.data or "")
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash("Follow-up saved.", "success")
            return redirect(url_for("reports.process", series_slug=event.series.slug))
    return render_template("reports/follow_up.html", event=event, recommendation=recommendation,
                           form=form), 400 if form.errors else 200


# ---------------------------------------------------------------- reading and exports

@bp.route("/events/<slug>/report")
def public_report(slug: str):
    """The published report; rapporteurs and organizers also see drafts here, marked as such."""
    event, report = _readable_report(slug)
    return render_template("reports/public.html", event=event, report=report,
                           html=render_html(service.export_document(report)))


def _download(body: str | bytes, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/events/<slug>/report.docx")
def report_docx(slug: str):
    event, report = _readable_report(slug)
    return document_response(render_docx(service.export_document(report)), "docx", f"{event.slug}-report")


@bp.route("/events/<slug>/report.pdf")
def report_pdf(slug: str):
    """The report as PDF, converted from its DOCX, so both show the same pages."""
    event, report = _readable_report(slug)
    return document_response(render_docx(service.export_document(report)), "pdf", f"{event.slug}-report")


@bp.route("/events/<slug>/report.md")
def report_markdown(slug: str):
    event, report = _readable_report(slug)
    return _download(render_markdown(service.export_document(report)), "text/markdown",
                     f"{event.slug}-report.md")


@bp.route("/events/<slug>/report.html")
def report_html(slug: str):
    """The report as one HTML file, to keep or mail (the page without the site around it)."""
    event, report = _readable_report(slug)
    return _download(standalone_html(service.export_document(report)), "text/html",
                     f"{event.slug}-report.html")


# ---------------------------------------------------------------- the process

@bp.route("/series/<series_slug>/process")
@writers_required
def process(series_slug: str):
    """Recommendations of every event and where they were followed up; who took part."""
    series = db.first_or_404(select(Series).where(Series.slug == series_slug))
    events = sorted(series.events, key=lambda e: (e.start_date, e.id))
    return render_template("reports/process.html", series=series, events=events,
                           recommendations=queries.series_recommendations(series),
                           reports=queries.series_reports(series),
                           participation=queries.series_participation(events),
                           categories=list(ListCategory))
