"""The report as a Word document (python-docx), from the blocks of `document.py`.

The transmittal letter comes first, then the report; the enclosure starts a page.
Numbers are written into the paragraph text (with a hanging indent), so they read
the same in Word, in any converter and when the file is read back.
"""

from __future__ import annotations

import io

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from eventmgr.reports.document import Block, ReportDocument, long_date
from eventmgr.text import writable

NUMBER_INDENT = Cm(1)
MAX_HEADING_LEVEL = 4


class _Body:
    """Appends paragraphs to the end of the document's body.

    python-docx's add_paragraph searches the body's children for its closing sectPr on every
    call, which grows with the document (8 of 10 s for a 3,000-session report); here the
    sectPr is found once and each paragraph goes right before it. Style ids are looked up
    once too: giving python-docx a style by name scans the whole styles part each time.
    """

    def __init__(self, document) -> None:
        self.document = document
        self._end = document.element.body.sectPr
        styles = document.styles
        self.headings = {level: styles[f"Heading {level}"].style_id
                         for level in range(1, MAX_HEADING_LEVEL + 1)}
        self.bullets = {1: styles["List Bullet"].style_id, 2: styles["List Bullet 2"].style_id}
        self.title = styles["Title"].style_id

    def paragraph(self, text: str = "", style_id: str | None = None) -> Paragraph:
        element = OxmlElement("w:p")
        self._end.addprevious(element)
        paragraph = Paragraph(element, self.document)
        if style_id is not None:
            element.style = style_id
        if text:
            paragraph.add_run(writable(text))
        return paragraph


def _add_runs(paragraph, block: Block) -> None:
    for run_data in block.runs:
        run = paragraph.add_run(writable(run_data.text))
        if run_data.bold:
            run.bold = True
        if run_data.italic:
            run.italic = True
        if run_data.code:
            run.font.name = "Courier New"
            run.font.size = Pt(10)


def _add_blocks(body: _Body, blocks: list[Block]) -> None:
    for block in blocks:
        if block.kind == "heading":
            paragraph = body.paragraph(style_id=body.headings[min(block.level - 1, MAX_HEADING_LEVEL)])
        elif block.kind == "bullet":
            paragraph = body.paragraph(style_id=body.bullets[min(block.level, 2)])
        else:
            paragraph = body.paragraph()
            if block.number is not None:
                paragraph.add_run(f"{block.number}.\t")
                paragraph.paragraph_format.left_indent = NUMBER_INDENT
                paragraph.paragraph_format.first_line_indent = -NUMBER_INDENT
                paragraph.paragraph_format.tab_stops.add_tab_stop(NUMBER_INDENT)
        _add_runs(paragraph, block)


def _add_lines(body: _Body, text: str, *, bold: bool = False) -> None:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return
    paragraph = body.paragraph()
    for index, line in enumerate(lines):
        run = paragraph.add_run(writable(line))
        if bold:
            run.bold = True
        if index < len(lines) - 1:
            run.add_break()


def _page_break(body: _Body) -> None:
    body.paragraph().add_run().add_break(WD_BREAK.PAGE)


def render_docx(report: ReportDocument) -> bytes:
    document = docx.Document()
    body = _Body(document)
    # Every text goes through writable(): a control character must not stop the export.
    document.core_properties.title = writable(report.title)
    if report.letter:
        letter = report.letter
        _add_lines(body, letter.sender)
        if letter.date:
            body.paragraph(long_date(letter.date))
        _add_lines(body, letter.addressee, bold=True)
        _add_blocks(body, letter.body)
        _add_lines(body, letter.signature)
        _page_break(body)
        body.paragraph("Annex")
    body.paragraph(report.title, body.title)
    if report.subtitle:
        _add_lines(body, report.subtitle, bold=True)
    for section in report.sections:
        if section.on_own_page:
            _page_break(body)
        body.paragraph(section.title, body.headings[1])
        _add_blocks(body, section.blocks)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
