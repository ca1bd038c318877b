"""The report as a Word document (python-docx), from the blocks of `document.py`.

The transmittal letter comes first, then the report; the enclosure starts a page.
Numbers are written into the paragraph text (with a hanging indent), so they read
the same in Word, in any converter and when the file is read back.
"""

from __future__ import annotations

import io

import docx
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt

from eventmgr.reports.document import Block, ReportDocument, long_date

NUMBER_INDENT = Cm(1)
MAX_HEADING_LEVEL = 4


def _add_runs(paragraph, block: Block) -> None:
    for run_data in block.runs:
        run = paragraph.add_run(run_data.text)
        run.bold = run_data.bold or None
        run.italic = run_data.italic or None
        if run_data.code:
            run.font.name = "Courier New"
            run.font.size = Pt(10)


def _add_blocks(document, blocks: list[Block]) -> None:
    for block in blocks:
        if block.kind == "heading":
            paragraph = document.add_heading(level=min(block.level - 1, MAX_HEADING_LEVEL))
        elif block.kind == "bullet":
            paragraph = document.add_paragraph(style="List Bullet" if block.level == 1 else "List Bullet 2")
        else:
            paragraph = document.add_paragraph()
            if block.number is not None:
                paragraph.add_run(f"{block.number}.\t")
                paragraph.paragraph_format.left_indent = NUMBER_INDENT
                paragraph.paragraph_format.first_line_indent = -NUMBER_INDENT
                paragraph.paragraph_format.tab_stops.add_tab_stop(NUMBER_INDENT)
        _add_runs(paragraph, block)


def _add_lines(document, text: str, *, bold: bool = False) -> None:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return
    paragraph = document.add_paragraph()
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold or None
        if index < len(lines) - 1:
            run.add_break()


def _page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def render_docx(report: ReportDocument) -> bytes:
    document = docx.Document()
    document.core_properties.title = report.title
    if report.letter:
        letter = report.letter
        _add_lines(document, letter.sender)
        if letter.date:
            document.add_paragraph(long_date(letter.date))
        _add_lines(document, letter.addressee, bold=True)
        _add_blocks(document, letter.body)
        _add_lines(document, letter.signature)
        _page_break(document)
        document.add_paragraph("Annex")
    document.add_paragraph(report.title, style="Title")
    if report.subtitle:
        _add_lines(document, report.subtitle, bold=True)
    for section in report.sections:
        if section.on_own_page:
            _page_break(document)
        document.add_heading(section.title, level=1)
        _add_blocks(document, section.blocks)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
