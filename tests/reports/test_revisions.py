"""Report revisions store what changed, yet every one can be shown, compared and restored."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from eventmgr.auth.enums import Role
from eventmgr.errors import InvalidTransition
from eventmgr.extensions import db
from eventmgr.reports import revisions, service
from eventmgr.reports.enums import ReportStatus
from eventmgr.reports.models import ReportRevision
from tests.builders import make_event

PARAGRAPH = ("Participants stressed that export control compliance rests on people as much as on "
             "software, and that screening lists must be read with judgement. ") * 4  # ~600 characters


def _report_of(size: int, sections: int):
    """A draft report of `size` characters spread over `sections` sections."""
    event = make_event()
    report = service.draft_report(event, None).report
    while len(report.sections) < sections:
        service.add_free_section(report, None, title=f"Annex {len(report.sections)}", body="")
    per_section = size // sections
    for number, section in enumerate(report.sections[:sections]):
        body = "\n\n".join(f"{number}.{n} {PARAGRAPH}" for n in range(per_section // len(PARAGRAPH)))
        service.update_section(section, None, title=section.title, body=body)
    db.session.commit()
    return report


def _stored_bytes(report) -> int:
    rows = db.session.execute(sa.select(ReportRevision.snapshot, ReportRevision.changes)
                              .where(ReportRevision.report_id == report.id)).all()
    return sum(len(json.dumps(row.snapshot or row.changes, ensure_ascii=False)) for row in rows)


@pytest.mark.parametrize("sections", [10, 1], ids=["ten sections", "one long section"])
def test_a_hundred_saves_of_a_200_kb_report_stay_within_a_few_mb(app_ctx, sections):
    report = _report_of(200_000, sections)
    start = _stored_bytes(report)
    report_size = len(json.dumps(service.snapshot(report), ensure_ascii=False))
    saved = []
    for save in range(100):
        section = report.sections[save % sections]
        paragraphs = section.body.split("\n\n")
        paragraphs[save % len(paragraphs)] += f" Edited in save {save}."
        service.update_section(section, None, title=section.title, body="\n\n".join(paragraphs))
        saved.append(service.snapshot(report))
        db.session.commit()
    growth = _stored_bytes(report) - start

    assert report_size > 190_000
    # A full copy per save would be 100 × 200 KB = 20 MB.
    assert growth < 3_000_000, f"{growth:,} bytes for 100 saves"
    stored = db.session.scalars(sa.select(ReportRevision).where(ReportRevision.report_id == report.id)
                                .order_by(ReportRevision.number)).all()[-100:]
    assert [revisions.snapshot_of(revision) for revision in stored] == saved


def test_an_old_revision_is_shown_compared_and_restored(client, auth, app_ctx):
    event = make_event()
    report = service.draft_report(event, None).report
    first, second = report.sections[0], report.sections[1]
    service.update_section(first, None, title="Background", body="The text as agreed.")
    agreed = report.revisions[-1]
    service.update_section(first, None, title="Background, rewritten", body="A text nobody agreed.")
    service.delete_section(second, None)
    db.session.commit()
    auth.login(Role.RAPPORTEUR)

    shown = client.get(f"/events/{event.slug}/report/revisions/{agreed.id}").get_data(as_text=True)
    compared = client.get(f"/events/{event.slug}/report/revisions/compare?old={agreed.id}"
                          f"&new={report.revisions[-1].id}").get_data(as_text=True)
    restored = client.post(f"/events/{event.slug}/report/revisions/{agreed.id}/restore")

    assert "The text as agreed." in shown and "Restore this text" in shown
    assert "A text nobody agreed." in compared and "The text as agreed." in compared
    assert restored.status_code == 302
    db.session.expire_all()
    assert [(s.title, s.body) for s in report.sections][:2] == [
        ("Background", "The text as agreed."), (second.title, second.body)]
    assert report.revisions[-1].summary == f"Restored revision {agreed.number}"
    def text(revision) -> list[tuple]:  # a removed section comes back under a new id
        return [(s["kind"], s["title"], s["body"]) for s in revisions.snapshot_of(revision)["sections"]]

    assert text(report.revisions[-1]) == text(agreed)


def test_a_final_report_is_not_restored_over(app_ctx):
    event = make_event()
    report = service.draft_report(event, None).report
    first = report.revisions[0]
    report.status = ReportStatus.FINAL
    with pytest.raises(InvalidTransition):
        service.restore_revision(report, first, None)


def test_changes_rebuild_sections_moved_added_and_removed_with_or_without_ids():
    def section(id_, title, body):
        return {"id": id_, "kind": "free", "title": title, "body": body}

    old = {"title": "Report", "subtitle": "", "numbered": False, "status": "draft", "letter": None,
           "sections": [section(1, "A", "one\ntwo\nthree\n"), section(2, "B", "b"), section(3, "C", "c")]}
    new = old | {"title": "Report 2", "sections": [
        section(3, "C", "c"), section(1, "A", "one\n2\nthree\nfour\n"), section(9, "New", "n")]}
    for before, after in ((old, new), (new, old)):
        assert revisions.apply_changes(before, revisions.changes_between(before, after)) == after
    without_ids = {**old, "sections": [{k: v for k, v in s.items() if k != "id"} for s in old["sections"]]}
    edited = {**without_ids, "sections": [without_ids["sections"][0] | {"body": "one\n"}]}
    assert revisions.apply_changes(without_ids, revisions.changes_between(without_ids, edited)) == edited
