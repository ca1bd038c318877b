"""The registration rush: `python -m bench.rush [--clients 1000] [--seconds 10] [--seats 50]`.

The ×1 dataset (3,000 registrations) served by gunicorn as README deploys it (4 sync workers;
`--threads 4` for threaded workers), its event's capacity set so that `--seats` seats are
left. Every client first fetches the
public form (CSRF on, its own session), before the clock; then the clients post the form
at evenly spaced moments over `--seconds` seconds, each from its own thread, as people
clicking "Register" the minute registration opens. Prints the answers, the latency
distribution of the posts (from each one's send time), and checks the outcome in the
database: exactly the free seats confirmed, everyone else waitlisted, one registration
per person, one outbox message per registration.

On a throwaway PostgreSQL: `bash .ci/with-postgres.sh .venv/bin/python -m bench.rush --postgres`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa

from bench.dataset import bench_database_url, build_app, generate
from bench.gunicorn import served
from bench.run import percentile
from config import TestingConfig
from eventmgr import create_app
from eventmgr.extensions import db
from eventmgr.mail.models import Message
from eventmgr.registry.enums import RegistrationStatus
from eventmgr.registry.models import Person, Registration
from eventmgr.series.models import Event
from tests.drills.http import Answer, FormClient

PREPARING_THREADS = 16


def prepare(folder: Path, seats: int) -> tuple[str, str, int, int]:
    """The ×1 dataset with `seats` seats left; (database URL, slug, event id, seated before)."""
    url = bench_database_url(folder, 1)
    app = build_app(url, folder)
    with app.app_context():
        dataset = generate(1)
        # The dataset's waiting list would take the free seats first: its people withdrew.
        db.session.execute(sa.update(Registration).where(
            Registration.event_id == dataset.event_id, Registration.status == RegistrationStatus.WAITLISTED,
        ).values(status=RegistrationStatus.CANCELLED))
        seated = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
            Registration.event_id == dataset.event_id,
            Registration.status == RegistrationStatus.CONFIRMED))
        db.session.get(Event, dataset.event_id).capacity = seated + seats
        db.session.commit()
        _advance_sequences()
        _settle()
        db.session.remove()
        db.engine.dispose()
    return url, dataset.slug, dataset.event_id, seated


def _advance_sequences() -> None:
    """PostgreSQL: the dataset wrote its ids itself, so move each id sequence past them."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement:
            db.session.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                f"COALESCE((SELECT max(id) FROM \"{table.name}\"), 0) + 1, false)"))
    db.session.commit()


def _settle() -> None:
    """PostgreSQL: VACUUM ANALYZE the freshly loaded tables and write the load out (CHECKPOINT), as
    after any bulk load. Otherwise the autovacuum daemon and the checkpointer work through the
    load during the rush, on the same two cores, and the planner has no statistics yet."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")
        connection.exec_driver_sql("CHECKPOINT")


def outcome(url: str, folder: Path, event_id: int) -> tuple[Counter, int, int, int]:
    """Statuses of the rush's registrations, distinct people, registrations, their messages."""
    app = create_app(type("RushConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    with app.app_context():
        rush = sa.and_(Registration.event_id == event_id, Registration.person_id.in_(
            sa.select(Person.id).where(Person.email_key.like("rusher-%"))))
        statuses = Counter(db.session.scalars(sa.select(Registration.status).where(rush)))
        people = db.session.scalar(sa.select(sa.func.count(sa.distinct(Registration.person_id))).where(rush))
        registrations = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(rush))
        messages = db.session.scalar(sa.select(sa.func.count()).select_from(Message).where(
            Message.recipient.like("rusher-%")))
        db.engine.dispose()
    return statuses, people, registrations, messages


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--postgres", action="store_true",
                        help="use TEST_DATABASE_URL (run under .ci/with-postgres.sh)")
    arguments = parser.parse_args(argv)
    if arguments.postgres:
        if not os.environ.get("TEST_DATABASE_URL"):
            raise SystemExit("--postgres needs TEST_DATABASE_URL (run under .ci/with-postgres.sh)")
        os.environ["BENCH_DATABASE_URL"] = os.environ["TEST_DATABASE_URL"]
    with tempfile.TemporaryDirectory(prefix="eventmgr-rush-") as name:
        folder = Path(name)
        url, slug, event_id, seated = prepare(folder, arguments.seats)
        env = {"EVENTMGR_CONFIG": "config.DevelopmentConfig", "DATABASE_URL": url,
               "SECRET_KEY": "rush secret", "RATELIMIT_ENABLED": "0", "MAIL_BACKEND": "memory"}
        form = f"/events/{slug}/register"
        with served("eventmgr:create_app()", env=env, workers=arguments.workers, threads=arguments.threads,
                    ready_path=form, log=folder / "gunicorn.log") as base_url:
            clients = [FormClient(base_url) for _ in range(arguments.clients)]
            started = time.perf_counter()
            with ThreadPoolExecutor(PREPARING_THREADS) as pool:
                tokens = list(pool.map(lambda client: client.csrf_token(form), clients))
            print(f"{arguments.clients} forms fetched in {time.perf_counter() - started:.1f} s "
                  f"(before the rush)", flush=True)
            latencies: list[float] = [0.0] * arguments.clients
            answers: list = [None] * arguments.clients
            gap = arguments.seconds / arguments.clients
            zero = time.perf_counter() + 0.5

            def register(index: int) -> None:
                moment = zero + index * gap
                time.sleep(max(0.0, moment - time.perf_counter()))
                sent = time.perf_counter()
                try:
                    answers[index] = clients[index].post(form, {
                        "csrf_token": tokens[index], "given_name": "Rusher",
                        "family_name": f"Number {index}", "email": f"rusher-{index}@example.org",
                        "organization_name": f"Rush team {index % 40}", "organization_kind": "company",
                        "organization_country": "DE", "consent_to_list": "y"})
                except OSError as error:  # refused, reset or timed out: no answer at all
                    answers[index] = Answer(0, type(error).__name__, "")
                latencies[index] = time.perf_counter() - sent

            threads = [threading.Thread(target=register, args=(index,)) for index in range(arguments.clients)]
            client_before, machine_before = time.process_time(), machine_cpu_seconds()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            took = time.perf_counter() - zero
            client_cpu = time.process_time() - client_before
            busy, available = (after - before for after, before
                               in zip(machine_cpu_seconds(), machine_before, strict=True))
        statuses, people, registrations, messages = outcome(url, folder, event_id)
    print(f"database: {db_name(url)}; {arguments.clients} posts over {arguments.seconds:g} s "
          f"(all answered {took:.1f} s after the first), {arguments.seats} seats left of "
          f"{seated + arguments.seats}, gunicorn {arguments.workers} workers × {arguments.threads} threads; "
          f"load average {' '.join(f'{value:.1f}' for value in os.getloadavg())}")
    print(f"CPU while posting: {busy:.1f} s busy of {available:.1f} s on {os.cpu_count()} cores, "
          f"of which this client {client_cpu:.1f} s (the server and the database the rest, with "
          f"anything else the machine runs)")
    print("answers:", dict(Counter(f"{answer.status} {answer.location.rsplit('/', 1)[-1]}".strip()
                                   for answer in answers)))
    ms = sorted(latency * 1000 for latency in latencies)
    print("post latency ms: " + "  ".join(
        f"p{p} {percentile(ms, p):,.0f}" for p in (50, 90, 95, 99)) + f"  max {ms[-1]:,.0f}  "
        f"mean {statistics.mean(ms):,.0f}")
    print("  histogram: " + "  ".join(f"≤{limit}: {sum(1 for value in ms if value <= limit)}"
                                       for limit in (100, 250, 500, 1000, 2000, 5000, 10000)))
    print(f"outcome: {dict((status.value, count) for status, count in statuses.items())}, "
          f"{people} people, {registrations} registrations, {messages} messages")
    confirmed = statuses.get(RegistrationStatus.CONFIRMED, 0)
    waiting = statuses.get(RegistrationStatus.WAITLISTED, 0)
    correct = (confirmed == arguments.seats and waiting == arguments.clients - arguments.seats
               and people == registrations == messages == arguments.clients
               and all(answer.status == 302 for answer in answers))
    print("correct" if correct else "NOT CORRECT")
    if not correct:
        raise SystemExit(1)


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of every core since boot, from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - idle) / tick, sum(fields) / tick


def db_name(url: str) -> str:
    return sa.engine.make_url(url).get_backend_name()


if __name__ == "__main__":
    main()
