"""The agenda as a Word programme: a title block and one table per day."""

from __future__ import annotations

import io
from collections.abc import Sequence
from itertools import groupby

import docx
from docx.shared import Pt

from eventmgr.agenda.exportmeta import speaker_line
from eventmgr.text import writable


def agenda_docx(event, sessions: Sequence, *, zone_label: str, venue: str, dates: str) -> bytes:
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(10)
    # Every stored text through writable(): a control character must not stop the export.
    document.add_heading(writable(event.title), level=0)
    if event.theme:
        document.add_paragraph(writable(event.theme))
    document.add_paragraph(writable(f"{dates} · {venue}\nTimes: {zone_label}"))
    zone = event.zone
    for day, day_sessions in groupby(sessions, key=lambda s: s.starts_at.astimezone(zone).date()):
        document.add_heading(f"{day:%A} {day.day} {day:%B %Y}", level=1)
        table = document.add_table(rows=1, cols=4)
        table.style = "Light Grid Accent 1"
        for cell, text in zip(table.rows[0].cells, ("Time", "Session", "Room", "Speakers"), strict=True):
            cell.text = text
        for session in day_sessions:
            cells = table.add_row().cells
            cells[0].text = (f"{session.starts_at.astimezone(zone):%H:%M}–"
                             f"{session.ends_at.astimezone(zone):%H:%M}")
            cells[1].text = writable(f"{session.kind.label}: {session.title}" + (
                " (cancelled)" if session.is_cancelled else ""))
            cells[2].text = writable(session.room.name) if session.room else ""
            cells[3].text = writable(speaker_line(session))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
