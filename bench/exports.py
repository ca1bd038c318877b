"""Uncached agenda builds, wall clock and CPU: `python -m bench.exports [FACTOR] [REQUESTS] [CASE ...]`.

Builds the dataset at FACTOR (default 1), publishes its agenda, then requests each case
REQUESTS times (default 15) — the agenda ICS, frab XML and schedule JSON, and the public agenda
page for its first reader (anonymous) and for a signed-in reader (the organizer) — with the
agenda cache emptied before every request (but for the signed-in reader of the cached days:
their own buttons joined in), and prints the medians of the wall-clock and CPU
(`time.process_time`) milliseconds with the body's size. CASE names (e.g. `page`) keep only the
cases whose label contains one of them. CPU time is the figure to compare on a loaded machine:
the wall clock there is mostly waiting for a core. Objects built at start are frozen out of
the collector's scans, as gunicorn.conf.py does in each worker.
"""

from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.dataset import ORGANIZER, PASSWORD, build_app, generate
from eventmgr.agenda import service as agenda_service
from eventmgr.extensions import db
from eventmgr.series.models import Event

# (label, path after /events/<slug>/, signed in, cache emptied before each request)
CASES = (("agenda.ics", "agenda.ics", False, True), ("schedule.xml", "schedule.xml", False, True),
         ("schedule.json", "schedule.json", False, True), ("page, first reader", "agenda", False, True),
         ("page, signed in, first", "agenda", True, True), ("page, signed in, cached", "agenda", True, False))


def main(argv: list[str]) -> None:
    factor = float(argv[0]) if argv else 1.0
    requests = int(argv[1]) if len(argv) > 1 else 15
    chosen = [case for case in CASES if not argv[2:] or any(name in case[0] for name in argv[2:])]
    with tempfile.TemporaryDirectory(prefix="eventmgr-exports-") as folder:
        app = build_app(f"sqlite:///{Path(folder) / 'exports.sqlite'}", Path(folder))
        with app.app_context():
            dataset = generate(factor)
            agenda_service.publish_agenda(db.session.get(Event, dataset.event_id), None)
            db.session.commit()
        app.config.update(TESTING=False)
        anonymous, organizer = app.test_client(), app.test_client()
        response = organizer.post("/auth/login", data={"email": ORGANIZER, "password": PASSWORD})
        assert response.status_code == 302, "the bench organizer could not sign in"
        gc.collect()
        gc.freeze()
        for label, name, signed_in, uncached in chosen:
            client = organizer if signed_in else anonymous
            path = f"/events/{dataset.slug}/{name}"
            walls, cpus = [], []
            for attempt in range(requests + 1):  # the first one warms up, uncounted
                if uncached:
                    app.extensions.get("agenda_exports", {}).clear()
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.get(path)
                assert response.status_code == 200, path
                if attempt:
                    walls.append(time.perf_counter() - wall)
                    cpus.append(time.process_time() - cpu)
            print(f"×{factor:g} {label:23} wall {statistics.median(walls) * 1000:8.1f} ms"
                  f"  cpu {statistics.median(cpus) * 1000:8.1f} ms  {len(response.data):,} bytes", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
