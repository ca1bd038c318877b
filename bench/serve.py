"""Served throughput: `python -m bench.serve [--workers 2] [--clients 8] [--rounds 3] [--compressed]`.

Generates the ×1 dataset and serves the app under gunicorn on 127.0.0.1 next to a bare Flask
app (bench/hello.py) that answers a body of the same size as each page, both at once. For each
page, rounds alternate between the floor and the app (so a change in the machine's load hits
both); each round is a median of sequential requests, then requests per second with concurrent
clients. The ratio of the medians says how much of the framework's ceiling the page keeps.
Requests carry a browser's Accept header; `--compressed` adds Accept-Encoding (gzip, br) and
sizes the floor's body as the compressed page. SQLite by default; PostgreSQL with
`bash .ci/with-postgres.sh .venv/bin/python -m bench.serve --postgres` (TEST_DATABASE_URL).
The clients are Python threads on the same cores, so absolute figures are a floor; the ratio
is the figure to compare.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from bench.dataset import build_app, generate
from bench.gunicorn import served
from config import _database_url
from eventmgr.agenda.models import AgendaSession
from eventmgr.extensions import db

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
COMPRESSED = "gzip, deflate, br"


@dataclass
class Throughput:
    requests: int
    errors: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def _headers(compressed: bool) -> dict[str, str]:
    return {"Accept": BROWSER_ACCEPT, **({"Accept-Encoding": COMPRESSED} if compressed else {})}


def fetch(base_url: str, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def sequential_ms(base_url: str, path: str, headers: dict[str, str], *, requests: int = 30) -> float:
    """The median milliseconds of `requests` requests sent one after another."""
    durations = []
    for _ in range(requests):
        start = time.perf_counter()
        status, _ = fetch(base_url, path, headers)
        durations.append(time.perf_counter() - start)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
    return statistics.median(durations) * 1000


def hammer(base_url: str, path: str, headers: dict[str, str], *, clients: int, max_requests: int,
           max_seconds: float) -> Throughput:
    lock = threading.Lock()
    counts = {"sent": 0, "errors": 0}
    deadline = time.monotonic() + max_seconds

    def client() -> None:
        while time.monotonic() < deadline:
            with lock:
                if counts["sent"] >= max_requests:
                    return
                counts["sent"] += 1
            status, _ = fetch(base_url, path, headers)
            if status != 200:
                with lock:
                    counts["errors"] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Throughput(counts["sent"], counts["errors"], time.perf_counter() - start)


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


@dataclass
class Measured:
    label: str
    body_bytes: int
    floor_ms: list[float]
    app_ms: list[float]
    floor_rps: list[float]
    app_rps: list[float]
    errors: int

    def line(self) -> str:
        floor_ms, app_ms = statistics.median(self.floor_ms), statistics.median(self.app_ms)
        floor_rps, app_rps = statistics.median(self.floor_rps), statistics.median(self.app_rps)
        return (f"{self.label:<13} {self.body_bytes:>9,} {floor_ms:>9.1f} {app_ms:>8.1f} "
                f"{floor_rps:>9.0f} {app_rps:>8.0f} {app_rps / floor_rps:>9.2f} {self.errors:>6}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers of each server")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="floor/app alternations per page")
    parser.add_argument("--requests", type=int, default=2000, help="per throughput measurement, at most")
    parser.add_argument("--seconds", type=float, default=5.0, help="per throughput measurement, at most")
    parser.add_argument("--compressed", action="store_true", help="send Accept-Encoding: gzip, br")
    parser.add_argument("--postgres", action="store_true", help="use TEST_DATABASE_URL")
    arguments = parser.parse_args(argv)
    limits = {"clients": arguments.clients, "max_requests": arguments.requests,
              "max_seconds": arguments.seconds}
    headers = _headers(arguments.compressed)
    with tempfile.TemporaryDirectory(prefix="eventmgr-serve-") as folder:
        if arguments.postgres:
            database_url = _database_url("TEST_DATABASE_URL", "")
            if not database_url:
                raise SystemExit("--postgres needs TEST_DATABASE_URL (run under .ci/with-postgres.sh)")
        else:
            database_url = f"sqlite:///{Path(folder) / 'serve.sqlite'}"
        app = build_app(database_url, Path(folder))
        with app.app_context():
            dataset = generate(1)
            session_id = db.session.scalar(sa.select(sa.func.min(AgendaSession.id)))
            db.engine.dispose()
        slug = dataset.slug
        targets = [("event page", f"/events/{slug}"), ("agenda page", f"/events/{slug}/agenda"),
                   ("agenda ICS", f"/events/{slug}/agenda.ics"),
                   ("session ICS", f"/events/{slug}/sessions/{session_id}.ics")]
        results: list[Measured] = []
        started_load = load_average()
        with (served("bench.hello:app", env={}, workers=arguments.workers) as floor_url,
              served("eventmgr:create_app()", env=production_env(database_url), workers=arguments.workers,
                     ready_path=targets[0][1]) as app_url):
            for label, path in targets:
                status, body = fetch(app_url, path, headers)  # warms the caches, sizes the floor
                if status != 200:
                    raise RuntimeError(f"GET {path} answered {status}")
                floor_path = f"/bytes/{len(body)}"
                measured = Measured(label, len(body), [], [], [], [], 0)
                for _ in range(arguments.rounds):
                    measured.floor_ms.append(sequential_ms(floor_url, floor_path, headers))
                    measured.app_ms.append(sequential_ms(app_url, path, headers))
                    floor = hammer(floor_url, floor_path, headers, **limits)
                    served_app = hammer(app_url, path, headers, **limits)
                    measured.floor_rps.append(floor.per_second)
                    measured.app_rps.append(served_app.per_second)
                    measured.errors += floor.errors + served_app.errors
                results.append(measured)
    database = "PostgreSQL" if arguments.postgres else "SQLite"
    print(f"gunicorn, {arguments.workers} sync workers per server, {arguments.clients} client threads, "
          f"{arguments.rounds} interleaved rounds, ×1 dataset on {database}, {os.cpu_count()} CPUs, "
          f"{'compressed' if arguments.compressed else 'uncompressed'}; "
          f"load average {started_load} at the start, {load_average()} at the end")
    print(f"{'page':<13} {'bytes':>9} {'floor ms':>9} {'app ms':>8} {'floor r/s':>9} {'app r/s':>8} "
          f"{'of floor':>9} {'errors':>6}")
    for measured in results:
        print(measured.line())


def production_env(database_url: str) -> dict[str, str]:
    """The app as deployed: production configuration, its public address on 127.0.0.1."""
    return {"EVENTMGR_CONFIG": "config.ProductionConfig", "DATABASE_URL": database_url,
            "SECRET_KEY": "bench secret", "SESSION_COOKIE_SECURE": "0", "MAIL_BACKEND": "memory",
            # Production refuses to start without its public address (eventmgr/links.py).
            "EVENTMGR_BASE_URL": "http://127.0.0.1", "EVENTMGR_TRUSTED_HOSTS": "127.0.0.1"}


if __name__ == "__main__":
    main()
