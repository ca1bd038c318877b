"""Name badges as a DOCX (and so a PDF): eight per A4 sheet, 90 × 68 mm, with cut lines.

The same data as the printable badge page: the event, the name, the organization and the
country (the State a government authority came for).
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from eventmgr.countries import country_name
from eventmgr.documents.meta import organizing_office
from eventmgr.documents.template import DocumentSetup, UNDocument, cell_paragraph, keep_row_together
from eventmgr.registry.models import Registration
from eventmgr.series.models import Event

BADGE_WIDTH, BADGE_HEIGHT = Mm(90), Mm(68)
PER_ROW = 2


def _cut_lines(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        for name, value in (("val", "dashed"), ("sz", "4"), ("space", "0"), ("color", "A6A6A6")):
            element.set(qn(f"w:{name}"), value)
        borders.append(element)
    table._tbl.tblPr.append(borders)


def badge_country(registration: Registration) -> str:
    organization = registration.organization
    return country_name(registration.state or (organization.country if organization else None))


def _fill(cell, event: Event, registration: Registration) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = [(event.title, 9, False), (registration.person.display_name, 18, True),
             (registration.organization.name if registration.organization else "", 11, False),
             (badge_country(registration), 10, False)]
    for index, (text, size, bold) in enumerate(lines):
        paragraph = cell_paragraph(cell, "Masthead", first=index == 0)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(10 if index in (0, 1) else 2)
        if text:
            run = paragraph.add_run(text)
            run.font.size = Pt(size)
            run.bold = bold


def badges_docx(event: Event, registrations: Sequence[Registration]) -> bytes:
    document = UNDocument(DocumentSetup(title=f"{event.title} — Name badges", author=organizing_office(event),
                                        running_head=event.title, subject="Name badges", furniture=False))
    section = document.document.sections[0]
    section.top_margin = section.bottom_margin = Mm(10)
    section.left_margin = section.right_margin = Mm(15)
    rows = -(-len(registrations) // PER_ROW)
    if not rows:
        document.paragraph("No confirmed participant yet.")
        return document.save()
    table = document.table(rows, [BADGE_WIDTH] * PER_ROW)
    _cut_lines(table)
    for index, row in enumerate(table.rows):
        row.height, row.height_rule = BADGE_HEIGHT, WD_ROW_HEIGHT_RULE.EXACTLY
        keep_row_together(row)
        for column, cell in enumerate(row.cells):
            position = index * PER_ROW + column
            if position < len(registrations):
                _fill(cell, event, registrations[position])
    return document.save()
