"""The agenda as a conference programme in Word: a title block, then one table per day.

Two columns: a narrow one for the time, a wide one with the item's title and, beneath it,
the room and the people by role with the function each speaks in. The kind of an item
is not repeated before a title that already says it ("Coffee break", "Panel 1: …"); breaks
and receptions are set lighter. The header row repeats on every page a day's table runs
onto, and no row splits across pages. Items without a time yet read "Time to be
confirmed"; items without a day come last, under "Date to be confirmed".
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from docx.shared import Mm, Pt

from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.agenda.people import holder_text
from eventmgr.countries import country_name
from eventmgr.documents.dates import date_span
from eventmgr.documents.meta import organizing_office
from eventmgr.documents.template import (
    DocumentSetup,
    UNDocument,
    cell_paragraph,
    keep_row_together,
    repeat_as_header,
    set_borders,
    shade,
)

COLUMN_WIDTHS = (Mm(24), Mm(146))
LIGHT_KINDS = (SessionKind.BREAK, SessionKind.RECEPTION)
LIGHT_FILL, HEADER_FILL = "F2F2F2", "D9D9D9"
# Kinds whose label goes before a title that does not name it ("Panel: Obtaining information …").
LABELLED_KINDS = (SessionKind.PANEL, SessionKind.BREAKOUT, SessionKind.KEYNOTE, SessionKind.PLENARY)
ROLE_LABELS = {
    SessionRoleKind.CHAIR: ("Chair", "Chairs"),
    SessionRoleKind.MODERATOR: ("Moderator", "Moderators"),
    SessionRoleKind.SPEAKER: ("Speaker", "Speakers"),
    SessionRoleKind.PANELIST: ("Panellist", "Panellists"),
    SessionRoleKind.RAPPORTEUR: ("Rapporteur", "Rapporteurs"),
}


def item_title(session) -> str:
    """The title, with the kind before it only where the title does not already say it."""
    title = " ".join(session.title.split())
    label = session.kind.label
    if session.kind in LABELLED_KINDS and label.split("-")[0].lower() not in title.lower():
        title = f"{label}: {title}"
    return title + (" (cancelled)" if session.is_cancelled else "")


def people_lines(session) -> list[tuple[str, list[str]]]:
    """(role label, holders) in role order: chair, moderator, speakers, panellists, rapporteurs."""
    grouped = {kind: [] for kind in SessionRoleKind}
    for role in session.roles:
        grouped[role.role].append(holder_text(role))
    return [(ROLE_LABELS[kind][len(names) > 1], names) for kind, names in grouped.items() if names]


def time_text(session, zone) -> str:
    if session.starts_at is None:
        return "Time to be confirmed"
    start = session.starts_at.astimezone(zone)
    if session.ends_at is None:
        return f"{start:%H.%M}"
    return f"{start:%H.%M}–{session.ends_at.astimezone(zone):%H.%M}"


def _item_row(table, session, zone, *, child: bool) -> None:
    row = table.add_row()
    keep_row_together(row)
    time_cell, item_cell = row.cells
    light = session.kind in LIGHT_KINDS
    time_run = cell_paragraph(time_cell, first=True).add_run(time_text(session, zone))
    title = cell_paragraph(item_cell, first=True)
    if child:
        title.paragraph_format.left_indent = Mm(5)
    title_run = title.add_run(item_title(session))
    title_run.bold = not light
    title_run.italic = light
    if session.is_side_event:
        cell_paragraph(item_cell).add_run("Side event").italic = True
    if light:
        for cell in row.cells:
            shade(cell, LIGHT_FILL)
        time_run.italic = True
        return
    if session.room is not None:
        room = cell_paragraph(item_cell).add_run(session.room.name)
        room.italic = True
    for label, names in people_lines(session):
        paragraph = cell_paragraph(item_cell)
        if child:
            paragraph.paragraph_format.left_indent = Mm(5)
        paragraph.add_run(f"{label}: ").italic = True
        for index, name in enumerate(names):
            run = paragraph.add_run(name)
            if index < len(names) - 1:
                run.add_break()
        if len(names) > 1:
            paragraph.paragraph_format.left_indent = Mm(5 if child else 0) + Mm(4)
            paragraph.paragraph_format.first_line_indent = -Mm(4)


def _day_table(document: UNDocument, sessions: list, zone) -> None:
    table = document.table(1, list(COLUMN_WIDTHS))
    set_borders(table, color="808080")
    header = table.rows[0]
    repeat_as_header(header)
    keep_row_together(header)
    for cell, text in zip(header.cells, ("Time", "Item"), strict=True):
        cell_paragraph(cell, first=True).add_run(text).bold = True
        shade(cell, HEADER_FILL)
    children: dict[int, list] = {}
    for session in sessions:
        if session.parent_id is not None:
            children.setdefault(session.parent_id, []).append(session)
    listed = {s.id for s in sessions}
    for session in sessions:
        if session.parent_id is not None and session.parent_id in listed:
            continue
        _item_row(table, session, zone, child=False)
        for child in children.get(session.id, []):
            _item_row(table, child, zone, child=True)


def agenda_docx(event, sessions: Sequence, *, zone_label: str, venue: str) -> bytes:
    """The programme of `sessions` (published ones, in agenda order) as a DOCX."""
    span = date_span(event.start_date, event.end_date)
    document = UNDocument(DocumentSetup(
        title=f"{event.title} — Programme", author=organizing_office(event), running_head=event.title,
        running_date=span, subject="Programme"))
    document.paragraph("Programme", "Label")
    document.paragraph(event.title, "Title")
    place = ", ".join(part for part in (venue, country_name(event.venue_country)) if part)
    document.lines([event.theme, ", ".join(part for part in (span, place) if part)], "Subtitle")
    document.paragraph(f"All times are local times: {zone_label}.", "BodyText").runs[0].font.size = Pt(9)
    zone = event.zone
    # The sessions come in programme order: by day, the undated ones last.
    dated = [s for s in sessions if s.day is not None]
    for day, day_sessions in groupby(dated, key=lambda s: s.day):
        document.heading(f"{day:%A}, {day.day} {day:%B %Y}", 1)
        _day_table(document, list(day_sessions), zone)
    undated = [s for s in sessions if s.day is None]
    if undated:
        document.heading("Date to be confirmed", 1)
        _day_table(document, undated, zone)
    return document.save()
