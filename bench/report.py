"""Outcome report timings: `.venv/bin/python -m bench.report [FACTORS...]`.

On the benchmark dataset (×1: one event, 300 sessions, 3,000 registrations), every
session gets notes, two findings (one key) and a recommendation. Then: drafting the
report (the service, as `flask reports draft` runs it), refreshing it, and, through
the app's test client as an organizer, the report workspace, the HTML page, the
DOCX, the Markdown and the PDF (cached, and converted afresh by the app's resident
LibreOffice: the cache is emptied before each run). Prints medians
and SQL query counts; the counts must be the same at every size (DESIGN §6 targets: DOCX
≤ 1 s, PDF ≤ 3 s). The draft is created in the
warm-up run; the median is of refreshes.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench.dataset import ORGANIZER, PASSWORD, bench_database_url, build_app, generate
from eventmgr.agenda.models import AgendaSession
from eventmgr.documents import pdf
from eventmgr.extensions import db
from eventmgr.reports import service
from eventmgr.reports.models import Finding, Recommendation, SessionNote
from eventmgr.series.models import Event

FACTORS = (0.1, 1.0)
RUNS = 5
ADDRESSEES = ("the 1540 Committee", "States", "industry associations", "international organizations")


def add_records(event_id: int) -> int:
    now = dt.datetime(2014, 11, 22, tzinfo=dt.UTC)
    session_ids = db.session.scalars(sa.select(AgendaSession.id)
                                     .where(AgendaSession.event_id == event_id)).all()
    db.session.execute(sa.insert(SessionNote), [
        {"session_id": sid, "body": f"Speakers of session {sid} compared **compliance** programmes.\n\n"
         "- screening\n- training\n\nThe discussion showed broad agreement.",
         "created_at": now, "updated_at": now} for sid in session_ids])
    db.session.execute(sa.insert(Finding), [
        {"session_id": sid, "text": f"Finding {n} of session {sid}.", "is_key": n == 0, "created_at": now}
        for sid in session_ids for n in range(2)])
    db.session.execute(sa.insert(Recommendation), [
        {"session_id": sid, "text": f"Follow up session {sid}.", "addressee": ADDRESSEES[sid % 4],
         "follow_up_status": "open", "follow_up_note": "", "created_at": now} for sid in session_ids])
    db.session.commit()
    return len(session_ids)


class QueryCounter:
    def __init__(self) -> None:
        self.statements = 0

    def __call__(self, *args) -> None:
        self.statements += 1

    def measure(self, work) -> tuple[float, int]:
        """Median seconds of RUNS runs after one warm-up, and the queries of one run."""
        engine = db.engine
        durations = []
        for run in range(RUNS + 1):
            self.statements = 0
            sa.event.listen(engine, "after_cursor_execute", self)
            start = time.perf_counter()
            work()
            elapsed = time.perf_counter() - start
            sa.event.remove(engine, "after_cursor_execute", self)
            if run:
                durations.append(elapsed)
        return statistics.median(durations), self.statements


HEADER = f"{'factor':>6} {'sessions':>8} {'registrations':>13}  {'work':<26} {'median ms':>10} {'queries':>8}"
PAGES = (("report workspace", "/report/manage"), ("report page (HTML)", "/report"),
         ("DOCX", "/report.docx"), ("Markdown", "/report.md"), ("PDF, cached", "/report.pdf"))


def bench_factor(factor: float, folder: Path) -> None:
    app = build_app(bench_database_url(folder, factor), folder)
    with app.app_context():
        dataset = generate(factor)
        sessions = add_records(dataset.event_id)
    client = app.test_client()
    client.post("/auth/login", data={"email": ORGANIZER, "password": PASSWORD})
    counter = QueryCounter()

    def line(label: str, result: tuple[float, int]) -> None:
        median, queries = result
        print(f"{factor:>6g} {sessions:>8,} {dataset.counts.registrations:>13,}  {label:<26} "
              f"{median * 1000:>10.1f} {queries:>8}")

    def draft() -> None:
        db.session.expire_all()
        service.draft_report(db.session.get(Event, dataset.event_id), None)
        db.session.commit()

    def get(url: str):
        def work() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return work

    with app.app_context():
        line("refresh draft (service)", counter.measure(draft))
        for label, path in PAGES:
            line(label, counter.measure(get(f"/events/{dataset.slug}{path}")))
        fetch_pdf = get(f"/events/{dataset.slug}/report.pdf")

        def cold_pdf() -> None:
            pdf.clear_cache()
            fetch_pdf()

        line("PDF (converted afresh)", counter.measure(cold_pdf))


def main(factors: tuple[float, ...]) -> None:
    print(HEADER)
    for factor in factors:
        with tempfile.TemporaryDirectory() as folder:
            bench_factor(factor, Path(folder))


if __name__ == "__main__":
    main(tuple(float(arg) for arg in sys.argv[1:]) or FACTORS)
