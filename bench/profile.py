"""Where one request's time goes: `python -m bench.profile [PATH ...] [--requests 300] [--top 25]`.

Builds the ×1 dataset, warms each page up once (so a cached page is measured as a
cache hit), then runs it --requests times through the test client (TESTING off; CSRF and rate limits off
as in every bench app), timed and then under cProfile, and prints
the functions with the largest own time, and the SQL statements one request runs.
PATH may contain {slug} and {session_id}; the default is the anonymous agenda page,
its ICS and one session's ICS.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench.dataset import build_app, generate
from eventmgr.agenda import service as agenda_service
from eventmgr.agenda.models import AgendaSession
from eventmgr.extensions import db
from eventmgr.series.models import Event

DEFAULT_PATHS = ("/events/{slug}/agenda", "/events/{slug}/agenda.ics",
                 "/events/{slug}/sessions/{session_id}.ics")
# A browser's request headers: compression and content negotiation are part of the cost.
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
           "Accept-Encoding": "gzip, deflate, br"}


def published_app(folder: Path):
    """The app on the ×1 dataset with its agenda published (TESTING off), and the values
    a PATH may name: {slug} and {session_id}."""
    app = build_app(f"sqlite:///{folder / 'profile.sqlite'}", folder)
    with app.app_context():
        dataset = generate(1)
        agenda_service.publish_agenda(db.session.get(Event, dataset.event_id), None)
        db.session.commit()
        session_id = db.session.scalar(sa.select(sa.func.min(AgendaSession.id)))
    app.config.update(TESTING=False)
    return app, {"slug": dataset.slug, "session_id": session_id}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=list(DEFAULT_PATHS))
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="eventmgr-profile-") as folder:
        app, values = published_app(Path(folder))
        with app.app_context():
            engine = db.engine
        client = app.test_client()
        for template in arguments.paths:
            path = template.format(**values)
            assert client.get(path, headers=BROWSER).status_code == 200, path
            statements: list[str] = []

            def record(conn, cursor, statement, *args, statements=statements) -> None:
                statements.append(statement)

            sa.event.listen(engine, "after_cursor_execute", record)
            client.get(path, headers=BROWSER)
            sa.event.remove(engine, "after_cursor_execute", record)
            durations = []
            for _ in range(arguments.requests):
                start = time.perf_counter()
                client.get(path, headers=BROWSER)
                durations.append(time.perf_counter() - start)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(arguments.requests):
                client.get(path, headers=BROWSER)
            profiler.disable()
            print(f"\n== {path}: median {statistics.median(durations) * 1000:.2f} ms a request "
                  f"(without the profiler), {len(statements)} SQL statements")
            for statement in statements:
                print("   SQL:", " ".join(statement.split())[:150])
            report = io.StringIO()
            pstats.Stats(profiler, stream=report).sort_stats("tottime").print_stats(arguments.top)
            lines = report.getvalue().splitlines()
            first = next(n for n, line in enumerate(lines) if "ncalls" in line)
            print("\n".join(line for line in lines[first - 3:] if line.strip()))


if __name__ == "__main__":
    main()
