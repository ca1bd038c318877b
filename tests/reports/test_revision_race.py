"""Editors saving one report at the same moment each get their own revision number."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from eventmgr.extensions import db
from eventmgr.reports import service
from eventmgr.reports.models import Report, ReportRevision, ReportSection
from eventmgr.series.enums import EventStatus
from tests.builders import make_event

EDITORS = 6


def test_simultaneous_section_edits_are_numbered_one_after_another(threaded_app):
    app = threaded_app(EDITORS)
    with app.app_context():
        event = make_event(status=EventStatus.HELD)
        report = service.draft_report(event, None).report
        db.session.commit()
        event_id, section_ids = event.id, [section.id for section in report.sections][:EDITORS]
    start = threading.Barrier(EDITORS)

    def edit(section_id: int) -> None:
        with app.app_context():
            section = db.session.get(ReportSection, section_id)
            start.wait()
            service.update_section(section, None, title=section.title, body=f"Edited {section_id}")
            db.session.commit()

    with ThreadPoolExecutor(max_workers=EDITORS) as pool:
        list(pool.map(edit, section_ids))

    with app.app_context():
        numbers = db.session.scalars(select(ReportRevision.number).join(Report)
                                     .where(Report.event_id == event_id)
                                     .order_by(ReportRevision.number)).all()
        edited = db.session.scalars(select(ReportSection.body).where(ReportSection.id.in_(section_ids))).all()

    assert numbers == list(range(1, EDITORS + 2))  # the draft, then one per editor
    assert sorted(edited) == sorted(f"Edited {section_id}" for section_id in section_ids)
