"""Our calendars as a calendar client reads them: ical.js (Mozilla's parser, the one of
Thunderbird and many web calendars) on the agenda feed, a session's file, the event's file and
the CANCEL mailed for a cancelled session. A start ical.js cannot tie to its zone would be read
as floating (local wherever the reader is): every timed start must come out in the event's
zone, at the instant we stored."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from eventmgr.agenda import service as agenda_service
from eventmgr.agenda.models import AgendaSession
from eventmgr.extensions import db
from eventmgr.mail.models import Message
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_published_agenda

HERE = Path(__file__).resolve().parent / "icaljs"


def read_with_icaljs(tmp_path: Path, calendars: dict[str, bytes]) -> dict[str, dict]:
    if not (HERE / "node_modules" / "ical.js").exists() or shutil.which("node") is None:
        pytest.fail("ical.js is missing: run `make test` (it runs npm ci in tests/interop/icaljs)")
    paths = []
    for name, content in calendars.items():
        path = tmp_path / f"{name}.ics"
        path.write_bytes(content)
        paths.append(str(path))
    run = subprocess.run(["node", str(HERE / "read.mjs"), *paths], capture_output=True, text=True,
                         timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    return {Path(result["path"]).stem: result for result in json.loads(run.stdout)}


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Asia/Kolkata", "America/Sao_Paulo"])
def test_every_calendar_we_write_is_read_in_its_zone_at_the_stored_instant(client, app_ctx, tmp_path, zone):
    # Berlin leaves summer time on 26 October 2014 (within the event); Kolkata is 5:30 ahead.
    event = make_event(status=EventStatus.PUBLISHED, timezone=zone, start_date=dt.date(2014, 10, 25),
                       end_date=dt.date(2014, 10, 26))
    sessions = make_published_agenda(event, 6, rooms=2)
    tricky = sessions[1]
    tricky.title = "Export controls; dual-use, “catch-all” \\ items — 🌍 Zoë's panel, 2014"
    db.session.commit()
    agenda_service.cancel_session(sessions[2], None)
    db.session.commit()
    cancel = db.session.scalars(select(Message.ics).where(Message.ics_method == "CANCEL")
                                .order_by(Message.id)).first()

    calendars = {
        "agenda": client.get(f"/events/{event.slug}/agenda.ics").data,
        "session": client.get(f"/events/{event.slug}/sessions/{tricky.id}.ics").data,
        "event": client.get(f"/events/{event.slug}/calendar.ics").data,
        "cancel": cancel.encode(),
    }
    read = read_with_icaljs(tmp_path, calendars)

    stored = {s.title: s for s in db.session.scalars(select(AgendaSession).where(
        AgendaSession.event_id == event.id))}
    agenda_events = read["agenda"]["events"]
    assert len(agenda_events) == 6
    for entry in agenda_events + read["session"]["events"]:
        session = stored[entry["summary"]]
        assert entry["zone"] == zone, entry
        assert (entry["start"], entry["end"]) == (_utc(session.starts_at), _utc(session.ends_at))
    assert read["session"]["events"][0]["summary"] == tricky.title
    assert [e["status"] for e in agenda_events].count("CANCELLED") == 1
    [cancelled] = read["cancel"]["events"]
    assert read["cancel"]["method"] == "CANCEL" and cancelled["zone"] == zone
    assert cancelled["start"] == _utc(sessions[2].starts_at)
    # The CANCEL names the entry the agenda feed put in the calendar, at its sequence or later.
    [in_feed] = [e for e in agenda_events if e["uid"] == cancelled["uid"]]
    assert in_feed["status"] == "CANCELLED" and cancelled["sequence"] >= in_feed["sequence"]
    [whole] = read["event"]["events"]
    assert whole["zone"] == "date" and whole["summary"] == event.title
