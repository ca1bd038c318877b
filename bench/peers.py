"""eventmgr side by side with pretalx and the bare-Flask floor: `python -m bench.peers`.

Options: `--venv DIR` (pretalx's own virtual environment, made and installed on first use;
default /tmp/eventmgr-bench-pretalx), `--version` (default 2025.2.2: the newest that installs on
Python 3.11; 2026.x needs 3.12), `--workers 2`, `--clients 8`, `--rounds 3`.

One run: bench/dataset.py writes the ×1 agenda into a fresh SQLite file for eventmgr; the same
rooms, sessions (UTC times) and speakers go to pretalx (bench/pretalx_load.py, in pretalx's
venv, SQLite, no Redis: pretalx's default cache is a dummy, so it builds every answer). The three
servers run at once under gunicorn with the same number of sync workers; for each comparable page,
rounds alternate floor → eventmgr → pretalx, each a median of 30 sequential requests and then
requests per second with concurrent client threads, all sending a browser's Accept header
(pretalx answers a client without one with a plain-text table). The floor answers a body of
eventmgr's size. Printed: the medians, pretalx's time over eventmgr's, and eventmgr's throughput
as a share of the floor's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from bench.dataset import build_app, generate
from bench.gunicorn import ROOT, free_port, served
from bench.serve import BROWSER_ACCEPT, fetch, hammer, load_average, production_env, sequential_ms
from eventmgr.agenda import queries
from eventmgr.extensions import db
from eventmgr.series.models import Event

DEFAULT_VENV = Path("/tmp/eventmgr-bench-pretalx")
HEADERS = {"Accept": BROWSER_ACCEPT}
# (label, eventmgr path, pretalx path): {slug} is the event, {session}/{code} one session's.
PAGES = (
    ("agenda page", "/events/{slug}/agenda", "/{slug}/schedule/nojs"),
    ("agenda ICS", "/events/{slug}/agenda.ics", "/{slug}/schedule/export/schedule.ics"),
    ("schedule XML", "/events/{slug}/schedule.xml", "/{slug}/schedule/export/schedule.xml"),
    ("schedule JSON", "/events/{slug}/schedule.json", "/{slug}/schedule/export/schedule.json"),
    ("session ICS", "/events/{slug}/sessions/{session}.ics", "/{slug}/talk/{code}.ics"),
)


def ensure_pretalx(venv: Path, version: str) -> Path:
    """pretalx's Python, installing pretalx and gunicorn into `venv` if they are not there yet."""
    python = venv / "bin" / "python"
    if not (venv / "bin" / "gunicorn").exists() or _installed(python) != version:
        subprocess.run([sys._base_executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", f"pretalx=={version}", "gunicorn"],
                       check=True)
    return python


def _installed(python: Path) -> str | None:
    if not python.exists():
        return None
    found = subprocess.run([str(python), "-c", "import pretalx; print(pretalx.__version__)"],
                           capture_output=True, text=True)
    return found.stdout.strip() or None


def pretalx_config(folder: Path, static: Path, port: int) -> Path:
    config = folder / "pretalx.cfg"
    # No `base`: pretalx finds its own static sources from its package's folder.
    config.write_text(f"""[filesystem]
data = {folder / "data"}
static = {static}
logs = {static.parent / "logs"}

[database]
backend = sqlite3
name = {folder / "data" / "db.sqlite3"}

[site]
debug = False
url = http://127.0.0.1:{port}

[mail]
from = bench@example.org
""")
    return config


def agenda_for_pretalx(event_id: int) -> dict:
    """The published agenda as plain data (inside an app context)."""
    event = db.session.get(Event, event_id)
    sessions = queries.public_sessions(event)
    people = {role.person.email: f"{role.person.given_name} {role.person.family_name}"
              for session in sessions for role in session.roles}
    return {
        "slug": event.slug, "title": event.title, "timezone": event.timezone,
        "start_date": event.start_date.isoformat(), "end_date": event.end_date.isoformat(),
        "rooms": [{"id": room.id, "name": room.name, "position": room.position}
                  for room in queries.rooms(event)],
        "people": [{"email": email, "name": name} for email, name in people.items()],
        "sessions": [{"title": s.title, "description": s.description, "room_id": s.room_id,
                      "starts_at": s.starts_at.isoformat(), "ends_at": s.ends_at.isoformat(),
                      "speakers": [role.person.email for role in s.roles]} for s in sessions],
    }


def prepare_pretalx(python: Path, folder: Path, venv: Path, port: int, agenda: dict) -> dict[str, str]:
    """A fresh pretalx database holding `agenda`; the migrated empty database and the static
    files are made once and kept in `venv` (migrating takes a minute or more)."""
    static, migrated = venv / "static.dist", venv / "migrated.sqlite3"
    config = pretalx_config(folder, static, port)
    (folder / "data").mkdir(exist_ok=True)
    env = {**os.environ, "PRETALX_CONFIG_FILE": str(config), "DJANGO_SETTINGS_MODULE": "pretalx.settings"}
    log = venv / "setup.log"  # outside the run's folder, so a failure can be read afterwards
    with open(log, "wb") as output:
        def run(*args: str) -> None:
            subprocess.run([str(python), *args], check=True, env=env, cwd=folder, stdout=output,
                           stderr=output)

        if not migrated.exists():
            run("-m", "pretalx", "migrate", "--noinput")
            shutil.copyfile(folder / "data" / "db.sqlite3", migrated)
        shutil.copyfile(migrated, folder / "data" / "db.sqlite3")
        if not (static / "staticfiles.json").exists():
            run("-m", "pretalx", "rebuild")  # the static files pages name (kept between runs)
        source = folder / "agenda.json"
        source.write_text(json.dumps(agenda))
        run(str(ROOT / "bench" / "pretalx_load.py"), str(source))
    return {"PRETALX_CONFIG_FILE": str(config), "DJANGO_SETTINGS_MODULE": "pretalx.settings"}


def first_talk_code(python: Path, env: dict[str, str], folder: Path, title: str) -> str:
    script = ("import django; django.setup()\n"
              "from django_scopes import scopes_disabled\n"
              "from pretalx.submission.models import Submission\n"
              "with scopes_disabled():\n"
              f"    print(Submission.objects.filter(title={title!r}).first().code)\n")
    found = subprocess.run([str(python), "-c", script], env={**os.environ, **env}, cwd=folder,
                           capture_output=True, text=True, check=True)
    return found.stdout.strip().splitlines()[-1]


@dataclass
class Side:
    ms: list[float] = field(default_factory=list)
    rps: list[float] = field(default_factory=list)
    errors: int = 0
    size: int = 0

    def measure(self, base_url: str, path: str, limits: dict) -> None:
        self.ms.append(sequential_ms(base_url, path, HEADERS))
        throughput = hammer(base_url, path, HEADERS, **limits)
        self.rps.append(throughput.per_second)
        self.errors += throughput.errors

    @property
    def median_ms(self) -> float:
        return statistics.median(self.ms)

    @property
    def median_rps(self) -> float:
        return statistics.median(self.rps)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    parser.add_argument("--version", default="2025.2.2")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=1500, help="per throughput measurement, at most")
    parser.add_argument("--seconds", type=float, default=5.0, help="per throughput measurement, at most")
    arguments = parser.parse_args(argv)
    limits = {"clients": arguments.clients, "max_requests": arguments.requests,
              "max_seconds": arguments.seconds}
    python = ensure_pretalx(arguments.venv, arguments.version)
    with tempfile.TemporaryDirectory(prefix="eventmgr-vs-pretalx-") as name:
        folder = Path(name)
        database_url = f"sqlite:///{folder / 'eventmgr.sqlite'}"
        app = build_app(database_url, folder)
        with app.app_context():
            dataset = generate(1)
            agenda = agenda_for_pretalx(dataset.event_id)
            first = min(queries.public_sessions(db.session.get(Event, dataset.event_id)),
                        key=lambda s: s.id)
            session_id, session_title = first.id, first.title
            db.engine.dispose()
        pretalx_folder = folder / "pretalx"
        pretalx_folder.mkdir()
        port = free_port()
        pretalx_env = prepare_pretalx(python, pretalx_folder, arguments.venv, port, agenda)
        code = first_talk_code(python, pretalx_env, pretalx_folder, session_title)
        values = {"slug": dataset.slug, "session": session_id, "code": code}
        rows: list[tuple[str, Side, Side, Side]] = []
        started_load = load_average()
        with ExitStack() as stack:
            floor_url = stack.enter_context(served("bench.hello:app", env={}, workers=arguments.workers))
            app_url = stack.enter_context(served(
                "eventmgr:create_app()", env=production_env(database_url), workers=arguments.workers,
                ready_path=f"/events/{dataset.slug}"))
            pretalx_url = stack.enter_context(served(
                "pretalx.wsgi", env=pretalx_env, workers=arguments.workers, port=port,
                gunicorn=python.with_name("gunicorn"), cwd=pretalx_folder,
                ready_path=f"/{dataset.slug}/schedule/nojs", log=arguments.venv / "gunicorn.log"))
            for label, ours, theirs in PAGES:
                ours, theirs = ours.format(**values), theirs.format(**values)
                floor, eventmgr, pretalx = Side(), Side(), Side()
                for side, base_url, path in ((eventmgr, app_url, ours), (pretalx, pretalx_url, theirs)):
                    status, body = fetch(base_url, path, HEADERS)
                    if status != 200:
                        raise RuntimeError(f"GET {base_url}{path} answered {status}")
                    side.size = len(body)
                floor.size = eventmgr.size
                for _ in range(arguments.rounds):
                    floor.measure(floor_url, f"/bytes/{floor.size}", limits)
                    eventmgr.measure(app_url, ours, limits)
                    pretalx.measure(pretalx_url, theirs, limits)
                rows.append((label, floor, eventmgr, pretalx))
    print(f"pretalx {arguments.version} (SQLite, no Redis) beside eventmgr (SQLite) and a bare Flask floor; "
          f"gunicorn, {arguments.workers} sync workers each, {arguments.clients} client threads, "
          f"{arguments.rounds} interleaved rounds, ×1 dataset, {os.cpu_count()} CPUs; load average "
          f"{started_load} at the start, {load_average()} at the end")
    print(f"{'page':<13} {'eventmgr KB':>11} {'pretalx KB':>10} | {'floor ms':>8} {'ours ms':>8} "
          f"{'pretalx ms':>10} {'pretalx/ours':>12} | {'floor r/s':>9} {'ours r/s':>8} {'pretalx r/s':>11} "
          f"{'ours/floor':>10} {'errors':>6}")
    for label, floor, eventmgr, pretalx in rows:
        print(f"{label:<13} {eventmgr.size / 1024:>11.1f} {pretalx.size / 1024:>10.1f} | "
              f"{floor.median_ms:>8.1f} {eventmgr.median_ms:>8.1f} {pretalx.median_ms:>10.1f} "
              f"{pretalx.median_ms / eventmgr.median_ms:>11.1f}× | {floor.median_rps:>9.0f} "
              f"{eventmgr.median_rps:>8.0f} {pretalx.median_rps:>11.1f} "
              f"{eventmgr.median_rps / floor.median_rps:>10.2f} "
              f"{floor.errors + eventmgr.errors + pretalx.errors:>6}")


if __name__ == "__main__":
    main()
