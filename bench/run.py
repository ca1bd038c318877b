"""`python -m bench.run --sizes 0.1,1,10`: every benchmark case at every size, one table.

Each size gets a fresh database (bench/dataset.py). Pages and exports are
fetched through the Flask test client, as a user gets them minus the network;
work without a route (an import, queueing invitations) calls the service. A
case whose route or function does not exist yet is skipped with a note, so the
runner works at every stage of the project. Columns: median and 95th-percentile
milliseconds, SQL statements per run (they must not grow with the data), and
the median at this size divided by the median at the previous size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from werkzeug.exceptions import MethodNotAllowed, NotFound

from bench.dataset import ORGANIZER, PASSWORD, Dataset, bench_database_url, build_app, generate
from eventmgr.extensions import db

# Runs per case: at least MIN_RUNS, then more until MAX_RUNS or the time budget is spent.
MIN_RUNS, MAX_RUNS, BUDGET_SECONDS = 3, 15, 4.0
# Fixed amounts of work, into an event whose size grows with the dataset.
IMPORT_ROWS = 10_000
INVITATIONS = 1_000


class Skip(Exception):
    """The capability a case measures is not in the code yet."""


@dataclass
class Row:
    case: str
    factor: float
    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    note: str = ""


@dataclass
class Context:
    app: Flask
    dataset: Dataset
    public: object  # anonymous test client
    staff: object  # organizer's test client
    notes: list[str] = field(default_factory=list)


# A case prepares its work and returns a callable running it once (inside an app context).
Case = Callable[[Context], Callable[[], None]]


def page(url_template: str, *, staff: bool = False, uncached: bool = False) -> Case:
    """GET a page; `uncached` empties the agenda's in-process cache (exports and the anonymous
    agenda page) before each run (DESIGN §6 sets the export targets uncached)."""
    def prepare(context: Context) -> Callable[[], None]:
        url = url_template.format(slug=context.dataset.slug)
        _require_route(context.app, url)
        client = context.staff if staff else context.public

        def run() -> None:
            if uncached:
                context.app.extensions.get("agenda_exports", {}).clear()
            response = client.get(url)
            if response.status_code != 200:
                raise AssertionError(f"GET {url} answered {response.status_code}")

        return run

    return prepare


def _published_session_ids(context: Context) -> list[int]:
    from eventmgr.agenda.models import AgendaSession

    return list(db.session.scalars(sa.select(AgendaSession.id).where(
        AgendaSession.event_id == context.dataset.event_id, AgendaSession.is_published.is_(True))
        .order_by(AgendaSession.id)))


def session_feed(*, uncached: bool = False) -> Case:
    """One session's ICS, a different session each run (so its own body is never cached): sliced
    from the cached agenda build, or with the whole cache emptied first (`uncached`)."""
    def prepare(context: Context) -> Callable[[], None]:
        ids = iter(_published_session_ids(context) * (MAX_RUNS + 2))
        context.public.get(f"/events/{context.dataset.slug}/agenda.ics")

        def run() -> None:
            if uncached:
                context.app.extensions.get("agenda_exports", {}).clear()
            url = f"/events/{context.dataset.slug}/sessions/{next(ids)}.ics"
            if (status := context.public.get(url).status_code) != 200:
                raise AssertionError(f"GET {url} answered {status}")

        return run

    return prepare


PERSONAL_SESSIONS = 10


def personal_feed(context: Context) -> Callable[[], None]:
    """A participant's feed of 10 chosen sessions (the agenda's build cached by the first run)."""
    from eventmgr.agenda import service
    from eventmgr.agenda.models import AgendaSession
    from eventmgr.auth import service as auth_service
    from eventmgr.auth.enums import Role

    user = auth_service.create_user("chooser@bench.example", role=Role.PARTICIPANT, password=PASSWORD)
    ids = _published_session_ids(context)
    for session_id in ids[:: max(1, len(ids) // PERSONAL_SESSIONS)][:PERSONAL_SESSIONS]:
        service.add_to_personal_agenda(user, db.session.get(AgendaSession, session_id))
    token = service.personal_feed_token(user, context.app.config["SECRET_KEY"])
    db.session.commit()
    url = f"/agenda/feed/{token}.ics"

    def run() -> None:
        if (status := context.public.get(url).status_code) != 200:
            raise AssertionError(f"GET {url} answered {status}")

    return run


def _require_route(app: Flask, url: str) -> None:
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(url.split("?")[0], method="GET")
    except (NotFound, MethodNotAllowed):
        raise Skip(f"no route {url.split('?')[0]}") from None


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise
        raise Skip(f"no module {name}") from None


def participant_import(context: Context) -> Callable[[], None]:
    from bench.registry import import_file

    imports = _module("eventmgr.registry.imports")
    from eventmgr.series.models import Event

    data = import_file(IMPORT_ROWS)

    def run() -> None:
        event = db.session.get(Event, context.dataset.event_id)
        result = imports.import_participants(event, data, "bench.csv")
        if not result.applied:
            raise AssertionError(f"import refused: {result.validation.errors[:3]}")
        # Undone so every run imports the same new people.
        db.session.rollback()

    return run


def programme_import(context: Context) -> Callable[[], None]:
    """A 3,000-item programme (bench/programme.py) imported into the bench event, matched
    against its directory; rolled back after each run."""
    from bench.programme import programme_file

    imports = _module("eventmgr.agenda.imports")
    from eventmgr.series.models import Event

    counts = context.dataset.counts
    data = programme_file(directory_people=max(counts.registrations, counts.speakers),
                          organizations=counts.organizations)

    def run() -> None:
        event = db.session.get(Event, context.dataset.event_id)
        result = imports.import_programme(event, data, "programme.csv", None)
        if not result.applied:
            raise AssertionError(f"import refused: {(result.errors or result.issues)[:3]}")
        db.session.rollback()

    return run


def queue_invitations(context: Context) -> Callable[[], None]:
    service = _module("eventmgr.invitations.service")
    from eventmgr.registry.models import Person
    from eventmgr.series.models import Event

    now = dt.datetime(2014, 9, 1, tzinfo=dt.UTC)
    db.session.execute(sa.insert(Person), [
        {"given_name": f"Invitee{n}", "family_name": f"Family {n}", "email": f"invitee{n}@bench.example",
         "email_key": f"invitee{n}@bench.example", "created_at": now} for n in range(INVITATIONS)])
    db.session.commit()

    def run() -> None:
        event = db.session.get(Event, context.dataset.event_id)
        people = db.session.scalars(sa.select(Person).where(Person.email_key.like("invitee%"))).all()
        invitations = service.invite_people(event, people)
        service.send_invitations(event, invitations, sender="The organizers")
        if len(invitations) != INVITATIONS:
            raise AssertionError(f"{len(invitations)} invitations queued")
        db.session.rollback()  # so every run invites the same people afresh

    return run


def _with_rapporteur_records(context: Context) -> None:
    """Notes, findings and recommendations on every session (bench/report.py), added once."""
    _module("eventmgr.reports.service")
    from bench.report import add_records
    from eventmgr.reports.models import SessionNote

    if db.session.scalar(sa.select(sa.func.count()).select_from(SessionNote)) == 0:
        add_records(context.dataset.event_id)


def draft_report(context: Context) -> Callable[[], None]:
    service = _module("eventmgr.reports.service")
    from eventmgr.series.models import Event

    _with_rapporteur_records(context)

    def run() -> None:
        service.draft_report(db.session.get(Event, context.dataset.event_id), None)
        db.session.flush()
        db.session.rollback()  # so every run drafts from scratch

    return run


def report_page(url_template: str) -> Case:
    """A page of the event's report, drafted (and kept) first."""
    fetch = page(url_template, staff=True)

    def prepare(context: Context) -> Callable[[], None]:
        run = fetch(context)
        service = _module("eventmgr.reports.service")
        queries = _module("eventmgr.reports.queries")
        from eventmgr.series.models import Event

        _with_rapporteur_records(context)
        event = db.session.get(Event, context.dataset.event_id)
        if queries.report_of(event) is None:
            service.draft_report(event, None)
            db.session.commit()
        return run

    return prepare


def public_list(*, first_reader: bool = False) -> Case:
    """The public participant list with the persons who consented (published before the runs);
    `first_reader` empties the kept list bodies before each run, as after a change."""
    def prepare(context: Context) -> Callable[[], None]:
        from eventmgr.registry.enums import ListVisibility
        from eventmgr.registry.models import ParticipantListSetting

        fetch = page("/events/{slug}/participant-list")(context)
        setting = (db.session.get(ParticipantListSetting, context.dataset.event_id)
                   or ParticipantListSetting(event_id=context.dataset.event_id))
        setting.visibility = ListVisibility.PERSONS
        db.session.add(setting)
        db.session.commit()

        def run() -> None:
            if first_reader:
                context.app.extensions.get("participant_lists", {}).clear()
            fetch()

        return run

    return prepare


def report_pdf(context: Context) -> Callable[[], None]:
    """The report PDF converted afresh each run (LibreOffice headless), not from the cache."""
    fetch = report_page("/events/{slug}/report.pdf")(context)
    pdf = _module("eventmgr.documents.pdf")

    def run() -> None:
        pdf.clear_cache()
        fetch()

    return run


CASES: list[tuple[str, Case]] = [
    ("agenda page", page("/events/{slug}/agenda")),
    ("agenda page, first reader", page("/events/{slug}/agenda", uncached=True)),
    ("agenda page, signed in", page("/events/{slug}/agenda", staff=True)),
    ("agenda ICS", page("/events/{slug}/agenda.ics", uncached=True)),
    ("session ICS", session_feed()),
    ("session ICS, first reader", session_feed(uncached=True)),
    ("personal feed, 10 sessions", personal_feed),
    ("agenda XML", page("/events/{slug}/schedule.xml", uncached=True)),
    ("agenda JSON", page("/events/{slug}/schedule.json", uncached=True)),
    ("agenda DOCX", page("/events/{slug}/agenda.docx", staff=True, uncached=True)),
    ("agenda timetable (a day)", page("/events/{slug}/agenda/timetable?day=2014-11-18", staff=True)),
    ("people picker search", page("/events/{slug}/agenda/people/search?q=family 12", staff=True)),
    ("participant list", page("/events/{slug}/registrations", staff=True)),
    ("public participant list", public_list()),
    ("public list, first reader", public_list(first_reader=True)),
    ("participant list, searched", page("/events/{slug}/registrations?q=famíly+12", staff=True)),
    ("check-in, searched", page("/events/{slug}/checkin?q=given12", staff=True)),
    ("people directory, searched", page("/people?q=family+12", staff=True)),
    ("participants CSV", page("/events/{slug}/registrations.csv", staff=True)),
    ("participants XLSX", page("/events/{slug}/registrations.xlsx", staff=True)),
    ("enclosure page", page("/events/{slug}/participants/enclosure", staff=True)),
    ("enclosure DOCX", page("/events/{slug}/participants/enclosure.docx", staff=True)),
    ("composition page", page("/events/{slug}/composition", staff=True)),
    ("report drafted", draft_report),
    ("report page", report_page("/events/{slug}/report")),
    ("report DOCX", report_page("/events/{slug}/report.docx")),
    ("report PDF", report_pdf),
    ("import 10,000 rows", participant_import),
    ("import 3,000-item programme", programme_import),
    ("queue 1,000 invitations", queue_invitations),
]


def measure(context: Context, label: str, case: Case) -> Row:
    row = Row(label, context.dataset.factor)
    with context.app.app_context():
        engine = db.engine
        try:
            work = case(context)
        except Skip as skip:
            row.note = f"skipped: {skip}"
            return row
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    durations: list[float] = []
    spent = 0.0
    for run in range(MAX_RUNS + 1):
        statements.clear()
        with context.app.app_context():
            sa.event.listen(engine, "after_cursor_execute", record)
            start = time.perf_counter()
            try:
                work()
            finally:
                elapsed = time.perf_counter() - start
                sa.event.remove(engine, "after_cursor_execute", record)
        if run == 0:
            continue  # the first run warms caches (templates, compiled statements)
        durations.append(elapsed)
        spent += elapsed
        if len(durations) >= MIN_RUNS and spent > BUDGET_SECONDS:
            break
    row.median_ms = statistics.median(durations) * 1000
    row.p95_ms = percentile(durations, 95) * 1000
    row.queries = len(statements)
    return row


def percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    rank = (len(ordered) - 1) * percent / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def run_size(folder: Path, factor: float, cases: list[tuple[str, Case]]) -> list[Row]:
    app = build_app(bench_database_url(folder, factor), folder)
    with app.app_context():
        dataset = generate(factor)
    # As gunicorn.conf.py does in each worker once the app is loaded.
    gc.collect()
    gc.freeze()
    staff = app.test_client()
    response = staff.post("/auth/login", data={"email": ORGANIZER, "password": PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"bench organizer could not log in ({response.status_code})")
    context = Context(app, dataset, public=app.test_client(), staff=staff)
    rows = [measure(context, label, case) for label, case in cases]
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return rows


def table(rows: list[Row]) -> str:
    previous: dict[str, Row] = {}
    lines = [f"{'case':<27} {'size':>5} {'median ms':>10} {'p95 ms':>9} {'queries':>8} {'ratio':>7}  note",
             "-" * 82]
    for row in rows:
        before = previous.get(row.case)
        ratio = ""
        if before and before.median_ms and row.median_ms:
            ratio = f"{row.median_ms / before.median_ms:.1f}×"
            if before.queries != row.queries:
                row.note = f"queries grew from {before.queries}"
        if row.median_ms is None:
            lines.append(f"{row.case:<27} ×{row.factor:<4g} {'':>10} {'':>9} {'':>8} {'':>7}  {row.note}")
        else:
            lines.append(f"{row.case:<27} ×{row.factor:<4g} {row.median_ms:>10.1f} {row.p95_ms:>9.1f} "
                         f"{row.queries:>8} {ratio:>7}  {row.note}")
        previous[row.case] = row
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.1,1,10", help="size factors, comma-separated")
    parser.add_argument("--only", default="",
                        help="run the cases whose name contains this text (or one of these, comma-separated)")
    arguments = parser.parse_args(argv)
    factors = [float(size) for size in arguments.sizes.split(",")]
    wanted = [text.strip().lower() for text in arguments.only.split(",")]
    cases = [(label, case) for label, case in CASES if any(text in label.lower() for text in wanted)]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="eventmgr-bench-") as folder:
        for factor in factors:
            started = time.perf_counter()
            rows.extend(run_size(Path(folder), factor, cases))
            print(f"size ×{factor:g} done in {time.perf_counter() - started:.0f} s", flush=True)
    # Sorted by case, then size, so the ratio column compares a case with itself.
    order = {label: index for index, (label, _) in enumerate(CASES)}
    rows.sort(key=lambda row: (order[row.case], row.factor))
    print(table(rows))


if __name__ == "__main__":
    main()
