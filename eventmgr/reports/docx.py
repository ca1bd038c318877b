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


class _Styles:
    """Paragraph style ids, looked up once.

    Giving python-docx a style (by name or object) makes it scan the whole styles part
    for every paragraph — most of the time of a 300-session report — so paragraphs get
    the style id written directly.
    """

    def __init__(self, document) -> None:
        styles = document.styles
        self.headings = {level: styles[f"Heading {level}"].style_id
                         for level in range(1, MAX_HEADING_LEVEL + 1)}
        self.bullets = {1: styles["List Bullet"].style_id, 2: styles["List Bullet 2"].style_id}
        self.title = styles["Title"].style_id


def _styled_paragraph(document, style_id: str, text: str = ""):
    paragraph = document.add_paragraph(text)
    paragraph._p.style = style_id
    return paragraph


def _add_runs(paragraph, block: Block) -> None:
    for run_data in block.runs:
        run = paragraph.add_run(run_data.text)
        if run_data.bold:
            run.bold = True
        if run_data.italic:
            run.italic = True
        if run_data.code:
            run.font.name = "Courier New"
            run.font.size = Pt(10)


def _add_blocks(document, styles: _Styles, blocks: list[Block]) -> None:
    for block in blocks:
        if block.kind == "heading":
            paragraph = _styled_paragraph(document, styles.headings[min(block.level - 1,
                                                                         MAX_HEADING_LEVEL)])
        elif block.kind == "bullet":
            paragraph = _styled_paragraph(document, styles.bullets[min(block.level, 2)])
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
        if bold:
            run.bold = True
        if index < len(lines) - 1:
            run.add_break()


def _page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def render_docx(report: ReportDocument) -> bytes:
    document = docx.Document()
    styles = _Styles(document)
    document.core_properties.title = report.title
    if report.letter:
        letter = report.letter
        _add_lines(document, letter.sender)
        if letter.date:
            document.add_paragraph(long_date(letter.date))
        _add_lines(document, letter.addressee, bold=True)
        _add_blocks(document, styles, letter.body)
        _add_lines(document, letter.signature)
        _page_break(document)
        document.add_paragraph("Annex")
    _styled_paragraph(document, styles.title, report.title)
    if report.subtitle:
        _add_lines(document, report.subtitle, bold=True)
    for section in report.sections:
        if section.on_own_page:
            _page_break(document)
        _styled_paragraph(document, styles.headings[1], section.title)
        _add_blocks(document, styles, section.blocks)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
