"""`python -m bench.hostile`: what hostile or careless input costs before it gets its answer.

The cases of issue 14, each timed once or a few times on a fresh SQLite file:
a 10 MB "email" on the public registration form, a 100,000-row participant file, an XLSX
that unpacks 1,000 times its size, and 100 saves of a 200 KB report (time and the bytes
its revisions store).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

import sqlalchemy as sa

from bench.dataset import build_app
from eventmgr.extensions import db

REGISTRATION = {"given_name": "Amani", "family_name": "Okafor", "organization_name": "Lagos Chamber",
                "organization_kind": "company", "organization_country": "NG"}


def _timed(work, runs: int = 3) -> float:
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations) * 1000


def main() -> None:
    from openpyxl import Workbook

    from eventmgr.registry import imports
    from eventmgr.reports import service as reports
    from eventmgr.reports.models import ReportRevision
    from eventmgr.series import service as series
    from eventmgr.series.enums import EventStatus, RegistrationMode

    folder = Path(tempfile.mkdtemp(prefix="eventmgr-hostile-"))
    app = build_app(f"sqlite:///{folder / 'hostile.sqlite'}", folder)
    with app.app_context():
        event = series.create_event(series.create_series(slug="bench", name="Bench"), slug="bench-2014",
                                    title="Bench", start_date=dt.date(2014, 11, 20),
                                    end_date=dt.date(2014, 11, 21),
                                    timezone="Europe/Berlin", registration_mode=RegistrationMode.OPEN)
        for status in list(EventStatus)[1:3]:
            series.change_event_status(event, status)
        db.session.commit()
        slug, event_id = event.slug, event.id
    client = app.test_client()
    rows = []

    huge = REGISTRATION | {"email": "a" * 10_000_000 + "@example.org"}
    status = []

    def register() -> None:
        status.append(client.post(f"/events/{slug}/register", data=huge).status_code)

    rows.append(("10 MB email on the registration form", _timed(register), f"answer {status[-1]}"))

    csv = ("given_name,family_name,email,organization,organization_kind\n"
           + "".join(f"Ana,Silva,ana{n}@example.org,Petrobras,company\n" for n in range(100_000))).encode()
    with app.app_context():
        from eventmgr.series.models import Event

        outcome = []

        def preview() -> None:
            try:
                imports.import_participants(db.session.get(Event, event_id), csv, "people.csv", dry_run=True)
            except Exception as error:  # the answer is the refusal
                outcome.append(str(error)[:60])
            db.session.rollback()

        rows.append(("preview of a 100,000-row CSV", _timed(preview, runs=1), outcome[-1] if outcome else ""))

        book, out = Workbook(), io.BytesIO()
        book.active.append(["given_name"])
        book.save(out)
        source, bomb = zipfile.ZipFile(io.BytesIO(out.getvalue())), io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = source.read(item)
                if item.filename.endswith("sheet1.xml"):
                    data = b" " * 190_000_000 + data  # blanks before the root: well-formed XML
                target.writestr(item.filename, data)
        data = bomb.getvalue()
        answer = []

        def refuse_bomb() -> None:
            try:
                imports.import_participants(db.session.get(Event, event_id), data, "bomb.xlsx", dry_run=True)
            except Exception as error:
                answer.append(str(error)[:60])

        rows.append((f"XLSX of {len(data) / 2**20:.1f} MB unpacking to 190 MB", _timed(refuse_bomb),
                     answer[-1] if answer else ""))

        report = reports.draft_report(db.session.get(Event, event_id), None).report
        section = report.sections[0]
        reports.update_section(section, None, title=section.title,
                               body="\n\n".join(f"Paragraph {n}. " + "Export controls. " * 30
                                                for n in range(400)))
        db.session.commit()

        def stored() -> int:
            return sum(len(json.dumps(row.snapshot or row.changes)) for row in db.session.execute(
                sa.select(ReportRevision.snapshot, ReportRevision.changes)))

        before = stored()
        start = time.perf_counter()
        for save in range(100):
            body = section.body + f"\n\nSave {save}."
            reports.update_section(section, None, title=section.title, body=body)
            db.session.commit()
        elapsed = (time.perf_counter() - start) * 1000
        rows.append(("one of 100 saves of a 200 KB report", elapsed / 100,
                     f"{(stored() - before) / 2**20:.1f} MB stored by the 100"))

    print(f"{'case':<46} {'ms':>9}  answer")
    for case, milliseconds, note in rows:
        print(f"{case:<46} {milliseconds:>9,.1f}  {note}")


if __name__ == "__main__":
    main()
