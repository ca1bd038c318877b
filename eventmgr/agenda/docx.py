"""The agenda as a Word programme: a title block and one table per day."""

from __future__ import annotations

import io
from collections.abc import Sequence
from itertools import groupby

import docx
from docx.shared import Pt

from eventmgr.agenda.people import speaker_line
from eventmgr.agenda.timing import time_span

TIME_TO_BE_CONFIRMED = "Time to be confirmed"


def agenda_docx(event, sessions: Sequence, *, zone_label: str, venue: str, dates: str) -> bytes:
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(event.title, level=0)
    if event.theme:
        document.add_paragraph(event.theme)
    document.add_paragraph(f"{dates} · {venue}\nTimes: {zone_label}")
    zone = event.zone
    # Items come in programme order: by day, undated ones last; untimed ones keep their place.
    for day, day_sessions in groupby(sessions, key=lambda s: s.day):
        document.add_heading(f"{day:%A} {day.day} {day:%B %Y}" if day else "Date to be confirmed", level=1)
        table = document.add_table(rows=1, cols=4)
        table.style = "Light Grid Accent 1"
        for cell, text in zip(table.rows[0].cells, ("Time", "Session", "Room", "Speakers"), strict=True):
            cell.text = text
        for session in day_sessions:
            cells = table.add_row().cells
            cells[0].text = time_span(session, zone) or TIME_TO_BE_CONFIRMED
            cells[1].text = f"{session.kind.label}: {session.title}" + (
                " (side event)" if session.is_side_event else "") + (
                " (cancelled)" if session.is_cancelled else "")
            cells[2].text = session.room.name if session.room else ""
            cells[3].text = speaker_line(session)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

