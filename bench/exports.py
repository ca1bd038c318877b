"""Uncached agenda exports, wall clock and CPU: `python -m bench.exports [FACTOR] [REQUESTS]`.

Builds the dataset at FACTOR (default 1), publishes its agenda, then requests the agenda ICS,
frab XML and schedule JSON REQUESTS times each (default 15) with the export cache emptied
before every request, and prints the medians of the wall-clock and CPU (`time.process_time`)
milliseconds with the body's size. CPU time is the figure to compare on a loaded machine: the
wall clock there is mostly waiting for a core.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.dataset import build_app, generate
from eventmgr.agenda import service as agenda_service
from eventmgr.extensions import db
from eventmgr.series.models import Event

EXPORTS = ("agenda.ics", "schedule.xml", "schedule.json")


def main(argv: list[str]) -> None:
    factor = float(argv[0]) if argv else 1.0
    requests = int(argv[1]) if len(argv) > 1 else 15
    with tempfile.TemporaryDirectory(prefix="eventmgr-exports-") as folder:
        app = build_app(f"sqlite:///{Path(folder) / 'exports.sqlite'}", Path(folder))
        with app.app_context():
            dataset = generate(factor)
            agenda_service.publish_agenda(db.session.get(Event, dataset.event_id), None)
            db.session.commit()
        app.config.update(TESTING=False)
        client = app.test_client()
        for name in EXPORTS:
            path = f"/events/{dataset.slug}/{name}"
            walls, cpus = [], []
            for attempt in range(requests + 1):  # the first one warms up, uncounted
                app.extensions.get("agenda_exports", {}).clear()
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.get(path)
                assert response.status_code == 200, path
                if attempt:
                    walls.append(time.perf_counter() - wall)
                    cpus.append(time.process_time() - cpu)
            print(f"×{factor:g} {name:14} wall {statistics.median(walls) * 1000:8.1f} ms"
                  f"  cpu {statistics.median(cpus) * 1000:8.1f} ms  {len(response.data):,} bytes", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
