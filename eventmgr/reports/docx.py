"""The report as a Word document in UN form, from the blocks of `document.py`.

The letter comes first (symbol block, title, text, "(Signed)" block), then on a new page
"Annex to the letter dated …" and the report; the enclosure starts a page of its own under
its label. Sections, subsections and paragraphs are numbered by Word's own multilevel
numbering (see `documents/styles.py`), so an editor who inserts a paragraph gets the next
number from Word.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from eventmgr.documents.template import DocumentSetup, TextRun, UNDocument, cell_paragraph, set_borders
from eventmgr.reports.document import Block, Letter, ReportDocument, Section, symbol_block
from eventmgr.text import writable

MASTHEAD_WIDTHS = (Mm(105), Mm(65))


def _runs(block: Block) -> list[TextRun]:
    return [TextRun(run.text, bold=run.bold, italic=run.italic, code=run.code) for run in block.runs]


def add_blocks(document: UNDocument, blocks: list[Block], *, paragraph_style: str = "BodyText") -> None:
    for block in blocks:
        if block.kind == "heading":
            # Section headings are level 1; body headings (### and below) follow as 2, 3, 4.
            document.heading(_runs(block), block.level - 1, numbered=block.label is not None)
        elif block.kind == "bullet":
            document.bullet(_runs(block), block.level)
        elif block.number is not None:
            document.numbered_paragraph(_runs(block))
        else:
            document.runs(document.paragraph(style=paragraph_style), _runs(block))


def _masthead(document: UNDocument, letter: Letter) -> None:
    """The UN symbol block: organ and symbol, then distribution, date and original language."""
    table = document.table(2, list(MASTHEAD_WIDTHS))
    # As on UN documents: a fine rule above, heavier ones under the symbol line and the block.
    set_borders(table, weights={"insideH": 12, "bottom": 12})
    top_left, top_right = table.rows[0].cells
    if letter.organ:
        cell_paragraph(top_left, "Masthead", first=True).add_run("United Nations")
    symbol = cell_paragraph(top_right, "Masthead", first=True)
    symbol.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if letter.symbol:
        run = symbol.add_run(letter.symbol)
        run.bold = True
        run.font.size = Pt(20)
    organ, details = table.rows[1].cells
    organ_paragraph = cell_paragraph(organ, "Masthead", first=True)
    organ_paragraph.paragraph_format.space_before = Pt(6)
    if letter.organ:
        run = organ_paragraph.add_run(letter.organ)
        run.bold = True
        run.font.size = Pt(26)
    lines = [line for line in symbol_block(letter) if line not in (letter.symbol, letter.organ)]
    first = True
    for line in lines:
        paragraph = cell_paragraph(details, "Masthead", first=first)
        if first:
            paragraph.paragraph_format.space_before = Pt(6)
        if line.startswith("Original:"):
            paragraph.paragraph_format.space_before = Pt(12)
            paragraph.paragraph_format.space_after = Pt(6)
        paragraph.add_run(line)
        first = False


def add_letter(document: UNDocument, letter: Letter) -> None:
    _masthead(document, letter)
    document.paragraph(letter.title, "LetterTitle")
    add_blocks(document, letter.body, paragraph_style="LetterBody")
    if letter.signature_lines:
        first, *rest = letter.signature_lines
        signature = document.paragraph(style="Signature")
        signature.add_run("(")
        signature.add_run("Signed").italic = True
        signature.add_run(f") {first}")
        for line in rest:
            run = signature.add_run()
            run.add_break()
            run.add_text(writable(line))


def _section(document: UNDocument, section: Section) -> None:
    if section.on_own_page:
        document.page_break()
        document.paragraph("Enclosure", "Label")
    document.heading(section.title, 1, numbered=section.label is not None)
    add_blocks(document, section.blocks)


def add_report(document: UNDocument, report: ReportDocument) -> None:
    document.paragraph(report.title, "Title")
    document.lines(report.subtitle.splitlines(), "Subtitle")
    for section in report.sections:
        _section(document, section)


def render_docx(report: ReportDocument) -> bytes:
    letter, meta = report.letter, report.meta
    document = UNDocument(DocumentSetup(
        title=letter.title if letter else report.title, author=meta.author,
        running_head=(letter.symbol if letter and letter.symbol else meta.running_head) or report.title,
        date=(letter.date if letter and letter.date else meta.date), subject=report.title,
        masthead=letter is not None))
    if letter:
        add_letter(document, letter)
        document.page_break()
        document.paragraph(letter.annex_heading, "AnnexHeading")
    add_report(document, report)
    return document.save()
