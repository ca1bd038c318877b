"""Rapporteur records and the outcome report: drafting, editing, revisions and status.

Every change to a report is saved as a revision (who, when, a one-line summary and
the whole report), so any two states can be compared. Functions flush, never commit.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from sqlalchemy import select

from eventmgr.agenda.models import AgendaSession
from eventmgr.auth.models import User
from eventmgr.documents.meta import organizing_office
from eventmgr.errors import DomainError, InvalidTransition, NotFound, ValidationFailed
from eventmgr.extensions import db
from eventmgr.registry.composition import compute_composition
from eventmgr.registry.enclosure import build_enclosure
from eventmgr.reports import builder, queries, revisions
from eventmgr.reports.document import DocumentMeta, ReportDocument, build_document, render_markdown
from eventmgr.reports.enums import FollowUpStatus, ReportStatus, SectionKind
from eventmgr.reports.models import (
    Finding,
    Recommendation,
    Report,
    ReportRevision,
    ReportSection,
    SessionNote,
)
from eventmgr.series import service as series_service
from eventmgr.series.enums import EventStatus
from eventmgr.series.models import Event
from eventmgr.sqltypes import utcnow

# Statuses only organizers (and admins) may set: rapporteurs draft, organizers sign off.
ORGANIZER_STATUSES = (ReportStatus.FINAL, ReportStatus.PUBLISHED)


class ReportLocked(DomainError):
    """The report is final or published: it reads as it stands until moved back to draft."""


def check_editable(report: Report) -> None:
    """Refuse any change to a final or published report (its revisions stay readable)."""
    if not report.is_read_only:
        return
    how = ("move it back to draft" if report.status is ReportStatus.FINAL
           else "withdraw it (back to final), then back to draft")
    raise ReportLocked(f"The report is {report.status.label.lower()}, so it reads as it stands: {how} "
                       "to change it.")


def _required(text: str | None, field: str, label: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(f"{label} is required.", field=field)
    return text


# ---------------------------------------------------------------- rapporteur records

def add_note(session: AgendaSession, author: User | None, body: str) -> SessionNote:
    note = SessionNote(session=session, author=author, body=_required(body, "body", "The note"))
    db.session.add(note)
    db.session.flush()
    return note


def update_note(note: SessionNote, body: str) -> None:
    note.body = _required(body, "body", "The note")
    db.session.flush()


def add_finding(session: AgendaSession, author: User | None, text: str, *, is_key: bool = False
                ) -> Finding:
    finding = Finding(session=session, author_id=author.id if author else None,
                      text=_required(text, "text", "The finding"), is_key=is_key)
    db.session.add(finding)
    db.session.flush()
    return finding


def update_finding(finding: Finding, text: str, *, is_key: bool) -> None:
    finding.text = _required(text, "text", "The finding")
    finding.is_key = is_key
    db.session.flush()


def set_key_finding(finding: Finding, is_key: bool) -> None:
    finding.is_key = is_key
    db.session.flush()


def add_recommendation(session: AgendaSession, author: User | None, text: str, addressee: str
                       ) -> Recommendation:
    errors = {}
    for field, value, label in (("text", text, "The recommendation"), ("addressee", addressee,
                                                                       "The addressee")):
        if not (value or "").strip():
            errors[field] = [f"{label} is required."]
    if errors:
        raise ValidationFailed(errors)
    recommendation = Recommendation(session=session, author_id=author.id if author else None,
                                    text=text.strip(), addressee=" ".join(addressee.split()))
    db.session.add(recommendation)
    db.session.flush()
    return recommendation


def update_recommendation(recommendation: Recommendation, text: str, addressee: str) -> None:
    errors = {field: [f"{label} is required."] for field, value, label in (
        ("text", text, "The recommendation"), ("addressee", addressee, "The addressee"))
        if not (value or "").strip()}
    if errors:
        raise ValidationFailed(errors)
    recommendation.text, recommendation.addressee = text.strip(), " ".join(addressee.split())
    db.session.flush()


def set_follow_up(recommendation: Recommendation, *, status: FollowUpStatus,
                  session_id: int | None = None, report_id: int | None = None, note: str = "") -> None:
    """Record where a recommendation was taken up: a session or report of a later event."""
    event = recommendation.session.event
    if session_id is not None:
        target = db.session.get(AgendaSession, session_id)
        if target is None or not _is_later(event, target.event):
            raise DomainError("Choose a session of a later event of the same series.",
                              field="follow_up_session_id")
    if report_id is not None:
        report = db.session.get(Report, report_id)
        if report is None or not _is_later(event, report.event):
            raise DomainError("Choose the report of a later event of the same series.",
                              field="follow_up_report_id")
    recommendation.follow_up_status = status
    recommendation.follow_up_session_id = session_id
    recommendation.follow_up_report_id = report_id
    recommendation.follow_up_note = (note or "").strip()
    db.session.flush()


def _is_later(event: Event, other: Event) -> bool:
    return other.series_id == event.series_id and other.start_date > event.start_date


def delete_record(record: SessionNote | Finding | Recommendation) -> None:
    db.session.delete(record)
    db.session.flush()


# ---------------------------------------------------------------- drafting

def draft_input(event: Event, today: dt.date | None = None) -> builder.DraftInput:
    return builder.DraftInput(event=event, records=queries.session_records(event),
                              composition=compute_composition(event),
                              enclosure=build_enclosure(event), today=today or dt.date.today())


@dataclass
class DraftResult:
    report: Report
    created: bool
    refreshed: list[ReportSection]
    kept_edited: list[ReportSection]


def draft_report(event: Event, author: User | None, *, today: dt.date | None = None) -> DraftResult:
    """Create the report from the event, or refresh it.

    A refresh rewrites the generated sections nobody has edited and adds any missing
    generated section; edited sections keep their text (the workspace shows the new
    draft next to them as a difference to take or leave).
    """
    report = queries.report_of(event)
    if report is not None:
        check_editable(report)
    data = draft_input(event, today)
    if report is None:
        report = Report(event=event, title="Conference report", subtitle=builder.report_subtitle(event))
        db.session.add(report)
        for position, kind in enumerate(builder.DRAFT_ORDER):
            body = builder.generated_text(kind, data)
            report.sections.append(ReportSection(kind=kind, position=position, title=kind.label,
                                                 body=body, generated_body=body))
        db.session.flush()
        record_revision(report, author, "Drafted from the event")
        return DraftResult(report, created=True, refreshed=list(report.sections), kept_edited=[])
    refreshed, kept = [], []
    present = {section.kind for section in report.sections}
    for kind in builder.DRAFT_ORDER:
        if kind not in present:
            report.sections.append(ReportSection(kind=kind, position=len(report.sections),
                                                 title=kind.label, body="", generated_body=""))
    for section in report.sections:
        if not section.kind.generated:
            continue
        body = builder.generated_text(section.kind, data)
        if section.is_edited:
            kept.append(section)
        elif section.body != body:
            section.body = section.generated_body = body
            refreshed.append(section)
    db.session.flush()
    if refreshed:
        record_revision(report, author, "Refreshed from the event: "
                        + ", ".join(section.title for section in refreshed))
    return DraftResult(report, created=False, refreshed=refreshed, kept_edited=kept)


def regenerated_text(section: ReportSection) -> str:
    return builder.generated_text(section.kind, draft_input(section.report.event))


def regenerate_section(section: ReportSection, author: User | None, *, expected_body: str) -> None:
    """Replace a section by a fresh draft. `expected_body` is the text the user saw the
    difference against: if someone saved in between, nothing is overwritten unseen."""
    check_editable(section.report)
    if not section.kind.generated:
        raise DomainError("A free section has no draft to regenerate.")
    if section.body != expected_body:
        raise DomainError("The section changed since you compared it; look at the difference again.")
    section.body = section.generated_body = regenerated_text(section)
    db.session.flush()
    record_revision(section.report, author, f"Regenerated “{section.title}”")


# ---------------------------------------------------------------- editing

def update_section(section: ReportSection, author: User | None, *, title: str, body: str) -> None:
    check_editable(section.report)
    title = _required(title, "title", "The title")
    if (title, body) == (section.title, section.body):
        return
    section.title, section.body = title, body
    db.session.flush()
    record_revision(section.report, author, f"Edited “{title}”")


def add_free_section(report: Report, author: User | None, *, title: str, body: str) -> ReportSection:
    check_editable(report)
    title = _required(title, "title", "The title")
    # Before the conclusion and enclosure, where further text usually belongs.
    index = next((i for i, s in enumerate(report.sections)
                  if s.kind in (SectionKind.CONCLUSION, SectionKind.ENCLOSURE)), len(report.sections))
    section = ReportSection(kind=SectionKind.FREE, title=title, body=body, generated_body=None)
    report.sections.insert(index, section)
    _renumber(report)
    record_revision(report, author, f"Added “{title}”")
    return section


def delete_section(section: ReportSection, author: User | None) -> None:
    check_editable(section.report)
    report = section.report
    report.sections.remove(section)
    _renumber(report)
    record_revision(report, author, f"Removed “{section.title}”")


def move_section(section: ReportSection, author: User | None, offset: int) -> None:
    check_editable(section.report)
    report = section.report
    order = list(report.sections)
    index = order.index(section)
    target = index + offset
    if not 0 <= target < len(order):
        return
    order[index], order[target] = order[target], order[index]
    report.sections[:] = order
    _renumber(report)
    record_revision(report, author, f"Moved “{section.title}” {'up' if offset < 0 else 'down'}")


def _renumber(report: Report) -> None:
    for position, section in enumerate(report.sections):
        section.position = position
    db.session.flush()


def update_settings(report: Report, author: User | None, *, title: str, subtitle: str,
                    numbered: bool) -> None:
    check_editable(report)
    title = _required(title, "title", "The title")
    if (title, subtitle, numbered) == (report.title, report.subtitle, report.numbered):
        return
    report.title, report.subtitle, report.numbered = title, subtitle, numbered
    db.session.flush()
    record_revision(report, author, "Changed the title or numbering")


@dataclass
class LetterFields:
    """A letter as the form edits it: the symbol block, who writes to whom, the text."""

    sender: str
    addressee: str
    date: dt.date | None
    body: str
    signature: str
    sender_function: str = ""
    symbol: str = ""
    organ: str = ""
    language: str = "English"


def draft_letter(report: Report, author: User | None, *, sender: str, addressee: str,
                 sender_function: str = "", organ: str = "", signature: str = "",
                 today: dt.date | None = None) -> None:
    """Add a transmittal letter from the template, ready to edit."""
    check_editable(report)
    report.has_letter = True
    report.letter_sender, report.letter_addressee = sender, addressee
    report.letter_sender_function, report.letter_organ = sender_function, organ
    report.letter_signature = signature
    report.letter_date = report.letter_date or today or dt.date.today()
    report.letter_body = builder.letter_body(report.event, organ=organ, today=report.letter_date)
    db.session.flush()
    record_revision(report, author, "Added the transmittal letter")


def update_letter(report: Report, author: User | None, fields: LetterFields) -> None:
    check_editable(report)
    errors = {name: [f"{label} is required."] for name, value, label in (
        ("sender", fields.sender, "The sender"), ("addressee", fields.addressee, "The addressee"),
        ("body", fields.body, "The text")) if not (value or "").strip()}
    if errors:
        raise ValidationFailed(errors)
    report.has_letter = True
    report.letter_sender, report.letter_addressee = fields.sender, fields.addressee
    report.letter_date, report.letter_body = fields.date, fields.body
    report.letter_signature = fields.signature
    report.letter_sender_function = " ".join(fields.sender_function.split())
    report.letter_symbol = " ".join(fields.symbol.split())
    report.letter_organ = " ".join(fields.organ.split())
    report.letter_language = " ".join(fields.language.split()) or "English"
    db.session.flush()
    record_revision(report, author, "Edited the transmittal letter")


def remove_letter(report: Report, author: User | None) -> None:
    check_editable(report)
    report.has_letter = False
    db.session.flush()
    record_revision(report, author, "Removed the transmittal letter")


def may_set_status(user: User, report: Report, status: ReportStatus) -> bool:
    """Final and published are the organizers' (of the report's series) to set."""
    return status not in ORGANIZER_STATUSES or user.manages(report.event.series_id)


def change_status(report: Report, actor: User, status: ReportStatus) -> None:
    if status not in report.status.next_statuses:
        raise InvalidTransition(f"A report {report.status.label.lower()} cannot become "
                                f"{status.label.lower()}.")
    if not may_set_status(actor, report, status):
        raise InvalidTransition(f"Only organizers can mark a report {status.label.lower()}.")
    report.status = status
    if status is ReportStatus.PUBLISHED:
        report.published_at = utcnow()
        # A held event whose report is out has reached the end of its lifecycle.
        if report.event.status is EventStatus.HELD:
            series_service.change_event_status(report.event, EventStatus.REPORTED)
    db.session.flush()
    record_revision(report, actor, f"Status: {status.label}")


# ---------------------------------------------------------------- revisions

def snapshot(report: Report) -> dict:
    """The whole report as plain data: what a revision stores and the renderers read."""
    letter = None
    if report.has_letter:
        letter = {"sender": report.letter_sender, "addressee": report.letter_addressee,
                  "date": report.letter_date.isoformat() if report.letter_date else None,
                  "body": report.letter_body, "signature": report.letter_signature,
                  "sender_function": report.letter_sender_function, "symbol": report.letter_symbol,
                  "organ": report.letter_organ, "language": report.letter_language}
    return {"title": report.title, "subtitle": report.subtitle, "numbered": report.numbered,
            "status": report.status.value, "letter": letter,
            "sections": [{"id": s.id, "kind": s.kind.value, "title": s.title, "body": s.body}
                         for s in sorted(report.sections, key=lambda s: s.position)]}


def document_meta(report: Report) -> DocumentMeta:
    """The running head, date and author of the report's exports: the symbol (or the event's
    title), the letter's date (or the last save), and the hosting office (or the series)."""
    event = report.event
    return DocumentMeta(author=organizing_office(event),
                        running_head=(report.letter_symbol if report.has_letter else "") or event.title,
                        date=(report.letter_date if report.has_letter else None)
                        or (report.updated_at or utcnow()).date())


def export_document(report: Report) -> ReportDocument:
    """The report as every export renders it."""
    return build_document(snapshot(report), document_meta(report))


def record_revision(report: Report, author: User | None, summary: str) -> ReportRevision:
    # Two editors saving at once would both read the same highest number: lock the report row
    # first (PostgreSQL; SQLite already holds its single write lock once the change is flushed).
    db.session.execute(select(Report.id).where(Report.id == report.id).with_for_update())
    previous = db.session.scalar(select(ReportRevision).where(ReportRevision.report_id == report.id)
                                 .order_by(ReportRevision.number.desc()).limit(1))
    revision = ReportRevision(report=report, number=previous.number + 1 if previous else 1,
                              author_id=author.id if author else None, summary=summary[:300],
                              **revisions.stored_form(previous, snapshot(report)))
    db.session.add(revision)
    db.session.flush()
    return revision


def get_revision(report: Report, revision_id: int) -> ReportRevision:
    revision = db.session.get(ReportRevision, revision_id)
    if revision is None or revision.report_id != report.id:
        raise NotFound("No such revision of this report.")
    return revision


@dataclass
class DiffLine:
    kind: str  # "added", "removed", "context" or "hunk"
    text: str


def revision_text(revision_snapshot: dict) -> str:
    """What a revision reads like, for comparing: the report's Markdown plus its status."""
    status = ReportStatus(revision_snapshot["status"]).label
    return f"Status: {status}\n\n" + render_markdown(build_document(revision_snapshot))


def text_diff(old: str, new: str, *, old_label: str = "before", new_label: str = "after"
              ) -> list[DiffLine]:
    lines = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), old_label, new_label,
                                     n=2, lineterm=""):
        if line.startswith(("---", "+++")):
            continue
        kind = {"@": "hunk", "+": "added", "-": "removed"}.get(line[:1], "context")
        lines.append(DiffLine(kind, line[1:] if kind != "hunk" else "…"))
    return lines


def revision_diff(old: ReportRevision, new: ReportRevision) -> list[DiffLine]:
    return text_diff(revision_text(revisions.snapshot_of(old)), revision_text(revisions.snapshot_of(new)),
                     old_label=f"revision {old.number}", new_label=f"revision {new.number}")


def restore_revision(report: Report, revision: ReportRevision, author: User | None) -> None:
    """The report's text as it stood at `revision` (title, subtitle, numbering, letter,
    sections), saved as a new revision; the status stays as it is, and nothing is lost:
    the revisions in between stay, so the restore itself can be undone."""
    if report.status in ORGANIZER_STATUSES:
        raise InvalidTransition(f"The report is {report.status.label.lower()}: move it back to a draft "
                                "before restoring an older text.")
    old = revisions.snapshot_of(revision)
    report.title, report.subtitle, report.numbered = old["title"], old["subtitle"], old["numbered"]
    letter = old["letter"]
    report.has_letter = letter is not None
    if letter is not None:
        report.letter_sender, report.letter_addressee = letter["sender"], letter["addressee"]
        report.letter_date = dt.date.fromisoformat(letter["date"]) if letter["date"] else None
        report.letter_body, report.letter_signature = letter["body"], letter["signature"]
        # Revisions stored before the letter had a symbol block lack these.
        report.letter_sender_function = letter.get("sender_function", "")
        report.letter_symbol, report.letter_organ = letter.get("symbol", ""), letter.get("organ", "")
        report.letter_language = letter.get("language") or "English"
    current = {section.id: section for section in report.sections}
    sections = []
    for position, data in enumerate(old["sections"]):
        section = current.get(data.get("id")) or ReportSection(
            kind=SectionKind(data["kind"]),
            # A generated section brought back is marked edited, so no refresh overwrites it.
            generated_body="" if SectionKind(data["kind"]).generated else None)
        section.kind, section.title, section.body = SectionKind(data["kind"]), data["title"], data["body"]
        section.position = position
        sections.append(section)
    report.sections[:] = sections
    db.session.flush()
    record_revision(report, author, f"Restored revision {revision.number}")
