"""The one document template every DOCX of eventmgr starts from: A4, UN layout, our styles.

python-docx's own template (US Letter, Calibri, blue headings) is only the empty package
here: its styles and numbering parts are replaced by ours (`styles.py`), the page is set
up for A4 with UN margins, the header carries the document symbol (or short title) and
date, the footer the page number, and the properties name the organizing office.

`UNDocument` appends paragraphs right before the body's closing sectPr (python-docx's
add_paragraph searches the body for it on every call, which grows with the document).

Every text it is given passes `eventmgr.text.writable` (its paragraphs' `add_run` too):
a value stored with a control character, which XML 1.0 cannot hold, never stops a document.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Twips
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement

from eventmgr.documents import styles
from eventmgr.documents.dates import long_date
from eventmgr.documents.styles import NUMBERING_XML, STYLES_XML
from eventmgr.text import writable

A4_WIDTH, A4_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP = MARGIN_BOTTOM = Mm(25)
MARGIN_SIDE = Mm(20)
HEADER_DISTANCE = FOOTER_DISTANCE = Mm(12.7)
HEADING_STYLES = {1: "Heading1", 2: "Heading2", 3: "Heading3", 4: "Heading4"}
BULLET_STYLES = {1: "ListBullet", 2: "ListBullet2"}
FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
W_P, W_PPR, W_PSTYLE, W_R, W_RPR, W_RSTYLE, W_B, W_I, W_T, W_BR, W_ILVL, W_NUMID, W_VAL = (
    qn(f"w:{name}") for name in ("p", "pPr", "pStyle", "r", "rPr", "rStyle", "b", "i", "t", "br", "ilvl",
                                 "numId", "val"))
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass(frozen=True)
class DocumentSetup:
    """What the page furniture and the properties say."""

    title: str
    author: str  # the organizing office
    running_head: str  # the document symbol, else the event's short title
    date: dt.date | None = None
    subject: str = ""
    # Right of the running head: the date, unless another text is given (a programme's dates).
    running_date: str = ""
    # Documents opening with a masthead (a letter's symbol block) have no running head on page 1.
    masthead: bool = False
    # Sheets to cut (badges) carry no header or footer.
    furniture: bool = True


class WritableParagraph(Paragraph):
    """A python-docx paragraph whose runs drop what XML 1.0 cannot hold (lxml would raise)."""

    def add_run(self, text: str | None = None, style=None):
        return super().add_run(writable(text) if text else text, style)


@dataclass
class TextRun:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False


class UNDocument:
    def __init__(self, setup: DocumentSetup) -> None:
        self.setup = setup
        self.document = docx.Document()
        part = self.document.part
        part._styles_part._element = parse_xml(STYLES_XML.encode())
        self._numbering = part.numbering_part
        self._numbering._element = parse_xml(NUMBERING_XML.encode())
        self._next_num_id = styles.PARAGRAPHS_NUM_ID + 1
        self.section_num_id, self.paragraph_num_id = styles.SECTIONS_NUM_ID, styles.PARAGRAPHS_NUM_ID
        body = self.document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        self._end = body.sectPr
        self._page_setup()
        self._properties()

    # ------------------------------------------------------------ page and properties

    def _page_setup(self) -> None:
        section = self.document.sections[0]
        width = A4_WIDTH
        section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin = section.right_margin = MARGIN_SIDE
        section.header_distance, section.footer_distance = HEADER_DISTANCE, FOOTER_DISTANCE
        section.different_first_page_header_footer = self.setup.masthead
        if not self.setup.furniture:
            return
        text_width = Twips(width.twips - 2 * MARGIN_SIDE.twips)
        header = section.header.paragraphs[0]
        header._p.style = "Header"
        header.paragraph_format.tab_stops.clear_all()
        header.paragraph_format.tab_stops.add_tab_stop(text_width, alignment=2)  # right
        header.add_run(writable(self.setup.running_head))
        dateline = self.setup.running_date or (long_date(self.setup.date) if self.setup.date else "")
        if dateline:
            header.add_run("\t" + writable(dateline))
        for footer in ([section.footer, section.first_page_footer] if self.setup.masthead
                       else [section.footer]):
            paragraph = footer.paragraphs[0]
            paragraph._p.style = "Footer"
            self._field(paragraph, "PAGE")
            paragraph.add_run("/")
            self._field(paragraph, "NUMPAGES")

    @staticmethod
    def _field(paragraph: Paragraph, instruction: str) -> None:
        """A Word field (PAGE, NUMPAGES) that Word and LibreOffice compute when they lay out."""
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), f" {instruction} ")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)

    def _properties(self) -> None:
        properties = self.document.core_properties
        properties.title = writable(self.setup.title)
        properties.author = properties.last_modified_by = writable(self.setup.author)
        properties.subject = writable(self.setup.subject)
        properties.comments = properties.keywords = properties.category = ""
        properties.revision = 1
        moment = dt.datetime.combine(self.setup.date or dt.date.today(), dt.time(12))
        properties.created = properties.modified = moment

    # ------------------------------------------------------------ blocks

    # Paragraphs and runs are built with lxml directly, in schema order: python-docx's setters
    # search each element's children for where to insert, which dominates long reports.

    def paragraph(self, text: str = "", style: str | None = "BodyText") -> Paragraph:
        element = OxmlElement("w:p")
        self._end.addprevious(element)
        if style is not None:
            properties = SubElement(element, W_PPR)
            SubElement(properties, W_PSTYLE).set(W_VAL, style)
        paragraph = WritableParagraph(element, self.document._body)
        if text:
            self.runs(paragraph, [TextRun(text)])
        return paragraph

    def runs(self, paragraph: Paragraph, runs: list[TextRun]) -> Paragraph:
        for data in runs:
            run = SubElement(paragraph._p, W_R)
            if data.bold or data.italic or data.code:
                properties = SubElement(run, W_RPR)
                if data.code:
                    SubElement(properties, W_RSTYLE).set(W_VAL, "CodeChar")
                if data.bold:
                    SubElement(properties, W_B)
                if data.italic:
                    SubElement(properties, W_I)
            # Line breaks inside a run ("\n" from a Markdown hard break) become <w:br/>.
            for index, piece in enumerate(writable(data.text).split("\n")):
                if index:
                    SubElement(run, W_BR)
                if piece:
                    text = SubElement(run, W_T)
                    text.text = piece
                    if piece != piece.strip():
                        text.set(XML_SPACE, "preserve")
        return paragraph

    def lines(self, lines: list[str], style: str = "BodyText", *, bold: bool = False) -> Paragraph | None:
        """One paragraph whose lines are kept apart by line breaks."""
        lines = [line.strip() for line in lines if line.strip()]
        if not lines:
            return None
        paragraph = self.paragraph(style=style)
        for index, line in enumerate(lines):
            run = paragraph.add_run(line)
            if bold:
                run.bold = True
            if index < len(lines) - 1:
                run.add_break()
        return paragraph

    def heading(self, text: str | list[TextRun], level: int = 1, *, numbered: bool = False) -> Paragraph:
        paragraph = self.paragraph(style=HEADING_STYLES[min(max(level, 1), 4)])
        if isinstance(text, str):
            paragraph.add_run(text)
        else:
            self.runs(paragraph, text)
        if numbered and level <= 2:
            self._number(paragraph, self.section_num_id,
                         styles.SECTION_LEVEL if level == 1 else styles.SUBSECTION_LEVEL)
        else:
            # No number in the hanging space: the words line up with the text, as in UN documents.
            paragraph.paragraph_format.left_indent = Twips(styles.INDENT)
            paragraph.paragraph_format.first_line_indent = Twips(0)
        return paragraph

    def numbered_paragraph(self, runs: list[TextRun]) -> Paragraph:
        paragraph = self.runs(self.paragraph(style="NumberedParagraph"), runs)
        self._number(paragraph, self.paragraph_num_id, 0)
        return paragraph

    def bullet(self, runs: list[TextRun], level: int = 1) -> Paragraph:
        return self.runs(self.paragraph(style=BULLET_STYLES[min(max(level, 1), 2)]), runs)

    @staticmethod
    def _number(paragraph: Paragraph, num_id: int, level: int) -> None:
        ppr = paragraph._p.get_or_add_pPr()
        num_pr = OxmlElement("w:numPr")
        SubElement(num_pr, W_ILVL).set(W_VAL, str(level))
        SubElement(num_pr, W_NUMID).set(W_VAL, str(num_id))
        # numPr follows pStyle (and keepNext etc.) in the schema's order.
        style = ppr.find(W_PSTYLE)
        if style is not None:
            style.addnext(num_pr)
        else:
            ppr.insert(0, num_pr)

    def restart_numbering(self) -> None:
        """Start sections at I. and paragraphs at 1. again from the next numbered ones."""
        self.section_num_id = self._new_num(styles.SECTIONS_ABSTRACT_ID)
        self.paragraph_num_id = self._new_num(styles.PARAGRAPHS_ABSTRACT_ID)

    def _new_num(self, abstract_id: int) -> int:
        num_id = self._next_num_id
        self._next_num_id += 1
        self._numbering._element.append(parse_xml(
            f'<w:numbering xmlns:w="{styles.W_NS}">'
            f'{styles.num_xml(num_id, abstract_id, restart=True)}</w:numbering>')[0])
        return num_id

    def page_break(self) -> None:
        self.paragraph(style="Normal").add_run().add_break(WD_BREAK.PAGE)

    def table(self, rows: int, widths: list, *, borders: bool = False) -> Table:
        """A table of fixed column widths appended to the body."""
        table = self.document.add_table(rows=rows, cols=len(widths))
        self._end.addprevious(table._tbl)
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        tbl_pr.append(layout)
        grid = table._tbl.tblGrid
        for column, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
            column.set(qn("w:w"), str(width.twips))
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
        if borders:
            set_borders(table)
        return table

    def save(self) -> bytes:
        """The DOCX bytes, the same for the same content (fixed entry times), so a converted PDF
        can be cached by the DOCX's digest and downloads compare equal."""
        buffer = io.BytesIO()
        self.document.save(buffer)
        fixed = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
                zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(entry, source.read(info.filename))
        return fixed.getvalue()


def set_borders(table: Table, *, horizontal_only: bool = True, color: str = "000000",
                weights: dict[str, int] | None = None) -> None:
    """Lines around and between rows (and columns unless `horizontal_only`); `weights` gives
    an edge's width in eighths of a point (default 4, a half point)."""
    edges = ("top", "bottom", "insideH") if horizontal_only else (
        "top", "left", "bottom", "right", "insideH", "insideV")
    borders = OxmlElement("w:tblBorders")
    for edge in edges:
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), str((weights or {}).get(edge, 4)))
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), color)
        borders.append(element)
    table._tbl.tblPr.append(borders)


def repeat_as_header(row) -> None:
    """The row repeats at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def keep_row_together(row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def cell_paragraph(cell, style: str = "TableText", *, first: bool = False) -> Paragraph:
    """The cell's first (empty) paragraph, or a new one after it (taking any text, as above)."""
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph._p.style = style
    return WritableParagraph(paragraph._p, paragraph._parent)
