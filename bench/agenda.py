"""Agenda timings: `.venv/bin/python -m bench.agenda [SESSIONS...]`.

For events of 30, 300 and 3,000 sessions (the bench dataset at ×0.1, ×1 and ×10, each on a
fresh SQLite file, published through the agenda service), requests through the app's test
client: the public agenda page, then every export with its per-version cache emptied before
each request, so the figure is the full build. Prints the median of several runs and the SQL
query count, which must not change with size; time should grow about linearly.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench.dataset import ORGANIZER, PASSWORD, bench_database_url, build_app, generate
from eventmgr.agenda import service as agenda_service
from eventmgr.extensions import db
from eventmgr.series.models import Event

SESSIONS = (30, 300, 3_000)
RUNS = 7
WORK = (("HTML page", "/events/{slug}/agenda"),
        ("ICS", "/events/{slug}/agenda.ics"),
        ("XML", "/events/{slug}/schedule.xml"),
        ("JSON", "/events/{slug}/schedule.json"),
        ("DOCX", "/events/{slug}/agenda.docx"))


def published_event(folder: Path, sessions: int):
    factor = sessions / 300
    app = build_app(bench_database_url(folder, factor), folder)
    with app.app_context():
        dataset = generate(factor)
        agenda_service.publish_agenda(db.session.get(Event, dataset.event_id), None)
        db.session.commit()
    return app, dataset.slug


def timed(app, client, url: str) -> tuple[float, int]:
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(*args):
        statements.append(args[2])

    durations = []
    for run in range(RUNS + 1):
        # Exports are cached per agenda version; measure the build, not the cache.
        app.extensions.get("agenda_exports", {}).clear()
        statements.clear()
        sa.event.listen(engine, "after_cursor_execute", record)
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
        sa.event.remove(engine, "after_cursor_execute", record)
        assert response.status_code == 200, (url, response.status_code)
        if run:  # the first run warms templates and statement caches
            durations.append(elapsed)
    return statistics.median(durations), len(statements)


def main(sizes: tuple[int, ...]) -> None:
    print(f"{'sessions':>8}  {'work':<10} {'median ms':>10} {'queries':>8}")
    for sessions in sizes:
        with tempfile.TemporaryDirectory() as folder:
            app, slug = published_event(Path(folder), sessions)
            client = app.test_client()
            # Logged in as an organizer, as the DOCX needs; staff see the same published sessions.
            client.post("/auth/login", data={"email": ORGANIZER, "password": PASSWORD})
            for label, url in WORK:
                median, queries = timed(app, client, url.format(slug=slug))
                print(f"{sessions:>8,}  {label:<10} {median * 1000:>10.1f} {queries:>8}")


if __name__ == "__main__":
    main(tuple(int(arg) for arg in sys.argv[1:]) or SESSIONS)
