"""Served throughput: `python -m bench.serve [--workers 4] [--clients 16] [--seconds 10]`.

Generates the ×1 dataset, serves the app under gunicorn on 127.0.0.1 and counts
requests per second on the public pages with concurrent clients, next to a
minimal Flask "hello" app served the same way; the ratio says how much of the
framework's ceiling the app keeps. SQLite by default; PostgreSQL with
`bash .ci/with-postgres.sh .venv/bin/python -m bench.serve --postgres` (it uses
TEST_DATABASE_URL). Each measurement stops after --requests or --seconds,
whichever comes first. The clients are Python threads on the same two cores,
so absolute figures are a floor; the ratio is the figure to compare.
"""

from __future__ import annotations

import argparse
import http.client
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.dataset import build_app, generate
from bench.gunicorn import served
from config import _database_url
from eventmgr.extensions import db


@dataclass
class Throughput:
    label: str
    requests: int
    errors: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def hammer(base_url: str, path: str, *, clients: int, max_requests: int, max_seconds: float,
           label: str) -> Throughput:
    host, port = base_url.removeprefix("http://").split(":")
    lock = threading.Lock()
    counts = {"sent": 0, "errors": 0}
    deadline = time.monotonic() + max_seconds

    def client() -> None:
        while time.monotonic() < deadline:
            with lock:
                if counts["sent"] >= max_requests:
                    return
                counts["sent"] += 1
            connection = http.client.HTTPConnection(host, int(port), timeout=30)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    with lock:
                        counts["errors"] += 1
            finally:
                connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Throughput(label, counts["sent"], counts["errors"], time.perf_counter() - start)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=3000, help="per measurement, at most")
    parser.add_argument("--seconds", type=float, default=10.0, help="per measurement, at most")
    parser.add_argument("--postgres", action="store_true", help="use TEST_DATABASE_URL")
    arguments = parser.parse_args(argv)
    limits = {"clients": arguments.clients, "max_requests": arguments.requests,
              "max_seconds": arguments.seconds}
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
            routes = {rule.rule for rule in app.url_map.iter_rules()}
            db.engine.dispose()
        candidates = [("event page", "/events/<slug>", f"/events/{dataset.slug}"),
                      ("agenda page", "/events/<slug>/agenda", f"/events/{dataset.slug}/agenda"),
                      ("agenda ICS", "/events/<slug>/agenda.ics", f"/events/{dataset.slug}/agenda.ics")]
        targets = [(label, path) for label, rule, path in candidates if rule in routes]
        skipped = [label for label, rule, _ in candidates if rule not in routes]
        env = {"EVENTMGR_CONFIG": "config.ProductionConfig", "DATABASE_URL": database_url,
               "SECRET_KEY": "bench secret", "SESSION_COOKIE_SECURE": "0", "MAIL_BACKEND": "memory",
               # Production refuses to start without its public address (eventmgr/links.py).
               "EVENTMGR_BASE_URL": "http://127.0.0.1", "EVENTMGR_TRUSTED_HOSTS": "127.0.0.1"}
        with served("bench.hello:app", env={}, workers=arguments.workers) as base_url:
            ceiling = hammer(base_url, "/", label="Flask hello", **limits)
        results = [ceiling]
        with served("eventmgr:create_app()", env=env, workers=arguments.workers,
                    ready_path=targets[0][1]) as base_url:
            for label, path in targets:
                results.append(hammer(base_url, path, label=label, **limits))
    database = "PostgreSQL" if arguments.postgres else "SQLite"
    print(f"gunicorn, {arguments.workers} sync workers, {arguments.clients} concurrent clients, "
          f"×1 dataset on {database}, {os.cpu_count()} CPUs")
    print(f"{'target':<14} {'requests':>9} {'errors':>7} {'req/s':>8} {'of hello':>9}")
    for result in results:
        print(f"{result.label:<14} {result.requests:>9} {result.errors:>7} {result.per_second:>8.0f} "
              f"{result.per_second / ceiling.per_second:>9.2f}")
    for label in skipped:
        print(f"{label:<14} skipped: no such route yet")


if __name__ == "__main__":
    main()
