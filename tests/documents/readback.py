"""Reading a DOCX back with python-docx: what every document of eventmgr must hold."""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn
from docx.shared import Mm

from eventmgr.reports.document import PLACEHOLDER

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FONT = "Times New Roman"
ALLOWED_FONTS = {FONT, "Liberation Mono"}


def read(data: bytes):
    return docx.Document(io.BytesIO(data))


def number_format(document, paragraph) -> tuple[int, int, str, str] | None:
    """(numId, ilvl, numFmt, lvlText) of a paragraph's numbering, from its own or its style's numPr."""
    num_pr = paragraph._p.find(f"{W}pPr/{W}numPr")
    style = paragraph.style
    while num_pr is None and style is not None:
        num_pr = style.element.find(f"{W}pPr/{W}numPr")
        style = style.base_style
    if num_pr is None:
        return None
    num_id = int(num_pr.find(f"{W}numId").get(qn("w:val")))
    ilvl_element = num_pr.find(f"{W}ilvl")
    ilvl = int(ilvl_element.get(qn("w:val"))) if ilvl_element is not None else 0
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.findall(f"{W}num") if int(n.get(qn("w:numId"))) == num_id)
    abstract_id = num.find(f"{W}abstractNumId").get(qn("w:val"))
    abstract = next(a for a in numbering.findall(f"{W}abstractNum")
                    if a.get(qn("w:abstractNumId")) == abstract_id)
    level = next(lvl for lvl in abstract.findall(f"{W}lvl") if int(lvl.get(qn("w:ilvl"))) == ilvl)
    return (num_id, ilvl, level.find(f"{W}numFmt").get(qn("w:val")),
            level.find(f"{W}lvlText").get(qn("w:val")))


def all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def assert_un_document(document, *, furniture: bool = True) -> None:
    """A4, our styles in Times New Roman and black, headers and page numbers, properties,
    every numbered paragraph defined, no empty heading and no placeholder text."""
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    styles = document.styles.element
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(qn("w:ascii")) == FONT and defaults.get(qn("w:hAnsi")) == FONT
    xml = styles.xml
    for banned in ("Calibri", "Cambria", "asciiTheme", "majorHAnsi", "4F81BD", "365F91", "17365D"):
        assert banned not in xml, banned
    used = {p.style.name for p in all_paragraphs(document)}
    for name in used:
        style = document.styles[name]
        color = style.font.color.rgb if style.font.color and style.font.color.type else None
        assert color in (None, docx.shared.RGBColor(0, 0, 0)), (name, color)
    for paragraph in all_paragraphs(document):
        for run in paragraph.runs:
            assert run.font.name in (None, *ALLOWED_FONTS), run.font.name
        if paragraph.style.name.startswith("Heading"):
            assert paragraph.text.strip(), "empty heading"
        assert not PLACEHOLDER.match(paragraph.text.strip()), paragraph.text
        numbering = number_format(document, paragraph)
        if numbering is not None:
            assert numbering[2] in ("decimal", "upperRoman", "upperLetter", "bullet", "lowerLetter")
    properties = document.core_properties
    assert properties.author and properties.author != "python-docx"
    assert properties.title
    if furniture:
        assert section.header.paragraphs[0].text.strip()
        footer_xml = section.footer._element.xml
        assert 'w:instr=" PAGE "' in footer_xml and 'w:instr=" NUMPAGES "' in footer_xml
