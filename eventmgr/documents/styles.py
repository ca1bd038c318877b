"""The styles and numbering definitions of every document eventmgr writes, as WordprocessingML.

Modelled on the United Nations editorial layout: Times New Roman 10 pt on a 12 pt line,
body text indented 2.24 cm (1,267 twips) on both sides and justified, headings bold and
black hanging at the margin ("I." at the margin, the words at the text's indent), numbered
paragraphs whose number sits at the text's indent. All sizes are in twips (1/20 pt) or
half-points, as the XML wants them.

Two lists carry a report's numbering. The section list is multilevel: level 0 numbers
section headings (I., II.), level 1 subsections (A., B.), restarting at each section. The
paragraph list numbers paragraphs (1., 2.); being a list of its own, no heading restarts it
(Word and LibreOffice agree on that, where a paragraph level inside the heading list would
be counted differently by each), so numbers run through the whole report. A new `w:num`
over the same definitions, with start overrides, restarts either.
"""

from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

FONT = "Times New Roman"
INDENT = 1267  # the UN text indent, 2.24 cm
NUMBER_TAB = INDENT + 567  # where a numbered paragraph's words start, 1 cm after its number
BULLET_INDENT = INDENT + 475

BULLETS_ABSTRACT_ID = 1
SECTIONS_ABSTRACT_ID = 2
PARAGRAPHS_ABSTRACT_ID = 3
BULLETS_NUM_ID = 1
SECTIONS_NUM_ID = 2
PARAGRAPHS_NUM_ID = 3
# Levels of the section list.
SECTION_LEVEL, SUBSECTION_LEVEL = 0, 1


def _fonts(name: str = FONT) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:cs="{name}" w:eastAsia="{name}"/>'


def _paragraph_style(style_id: str, name: str, *, based_on: str | None = "Normal", next_id: str | None = None,
                     ppr: str = "", rpr: str = "", extra: str = "") -> str:
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    following = f'<w:next w:val="{next_id}"/>' if next_id else ""
    return (f'<w:style w:type="paragraph" w:styleId="{style_id}"{extra}><w:name w:val="{name}"/>'
            f'{based}{following}<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>')


def _heading(style_id: str, name: str, level: int, size: int, *, bold: bool = True, italic: bool = False,
             before: int = 240, after: int = 120) -> str:
    return _paragraph_style(
        style_id, name, next_id="BodyText",
        ppr=(f'<w:keepNext/><w:keepLines/><w:suppressAutoHyphens/>'
             f'<w:spacing w:before="{before}" w:after="{after}" w:line="{size * 24}" w:lineRule="exact"/>'
             f'<w:ind w:left="{INDENT}" w:right="{INDENT}" w:hanging="{INDENT}"/>'
             f'<w:outlineLvl w:val="{level}"/>'),
        rpr=("<w:b/><w:bCs/>" if bold else "") + ("<w:i/><w:iCs/>" if italic else "")
        + f'<w:color w:val="000000"/><w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/>')


STYLES_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}">
<w:docDefaults>
<w:rPrDefault><w:rPr>{_fonts()}<w:color w:val="000000"/><w:sz w:val="20"/><w:szCs w:val="20"/>
<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="exact"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>
<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="exact"/></w:pPr>
<w:rPr>{_fonts()}<w:sz w:val="20"/></w:rPr></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">
<w:name w:val="Default Paragraph Font"/>
<w:uiPriority w:val="1"/><w:semiHidden/></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/>
<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>
<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>
</w:tblCellMar></w:tblPr></w:style>
<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>
<w:semiHidden/></w:style>
{_paragraph_style("BodyText", "Body Text", ppr=(
    f'<w:spacing w:after="120" w:line="240" w:lineRule="exact"/>'
    f'<w:ind w:left="{INDENT}" w:right="{INDENT}"/><w:jc w:val="both"/>'))}
{_paragraph_style("NumberedParagraph", "Numbered Paragraph", based_on="BodyText",
                  next_id="NumberedParagraph")}
{_paragraph_style("ListBullet", "List Bullet", based_on="BodyText", ppr=(
    f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{BULLETS_NUM_ID}"/></w:numPr>'
    f'<w:ind w:left="{BULLET_INDENT}" w:right="{INDENT}" w:hanging="475"/>'))}
{_paragraph_style("ListBullet2", "List Bullet 2", based_on="BodyText", ppr=(
    f'<w:numPr><w:ilvl w:val="1"/><w:numId w:val="{BULLETS_NUM_ID}"/></w:numPr>'
    f'<w:ind w:left="{BULLET_INDENT + 475}" w:right="{INDENT}" w:hanging="475"/>'))}
{_paragraph_style("Title", "Title", next_id="BodyText", ppr=(
    f'<w:keepNext/><w:suppressAutoHyphens/><w:spacing w:before="240" w:after="240" w:line="340" '
    f'w:lineRule="exact"/><w:ind w:left="{INDENT}" w:right="{INDENT}"/>'),
    rpr='<w:b/><w:bCs/><w:color w:val="000000"/><w:sz w:val="34"/><w:szCs w:val="34"/>')}
{_paragraph_style("Subtitle", "Subtitle", next_id="BodyText", ppr=(
    f'<w:keepNext/><w:suppressAutoHyphens/><w:spacing w:after="240" w:line="300" w:lineRule="exact"/>'
    f'<w:ind w:left="{INDENT}" w:right="{INDENT}"/>'),
    rpr='<w:b/><w:bCs/><w:color w:val="000000"/><w:sz w:val="26"/><w:szCs w:val="26"/>')}
{_heading("Heading1", "heading 1", 0, 13)}
{_heading("Heading2", "heading 2", 1, 10)}
{_heading("Heading3", "heading 3", 2, 10, bold=False, italic=True, before=120)}
{_heading("Heading4", "heading 4", 3, 10, bold=False, italic=True, before=120)}
{_paragraph_style("Masthead", "Masthead", ppr='<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>')}
{_paragraph_style("LetterTitle", "Letter Title", next_id="LetterBody", ppr=(
    f'<w:keepNext/><w:suppressAutoHyphens/><w:spacing w:before="480" w:after="240" w:line="320" '
    f'w:lineRule="exact"/><w:ind w:left="{INDENT}" w:right="{INDENT}"/>'),
    rpr='<w:b/><w:bCs/><w:sz w:val="28"/><w:szCs w:val="28"/>')}
{_paragraph_style("LetterBody", "Letter Body", based_on="BodyText",
                  ppr=f'<w:ind w:left="{INDENT}" w:right="{INDENT}" w:firstLine="{INDENT // 2}"/>')}
{_paragraph_style("Signature", "Signature", based_on="BodyText", ppr=(
    '<w:keepLines/><w:keepNext/><w:spacing w:before="240" w:after="0"/><w:ind w:left="5670" w:right="0"/>'
    '<w:jc w:val="left"/>'))}
{_paragraph_style("AnnexHeading", "Annex Heading", next_id="BodyText", ppr=(
    f'<w:keepNext/><w:suppressAutoHyphens/><w:spacing w:before="0" w:after="240" w:line="280" '
    f'w:lineRule="exact"/><w:ind w:left="{INDENT}" w:right="{INDENT}"/>'),
    rpr='<w:b/><w:bCs/><w:sz w:val="24"/><w:szCs w:val="24"/>')}
{_paragraph_style("Label", "Label", next_id="BodyText", ppr=(
    f'<w:keepNext/><w:spacing w:before="0" w:after="240"/><w:ind w:left="{INDENT}"/>'),
    rpr='<w:b/><w:bCs/>')}
{_paragraph_style("TableText", "Table Text", ppr=(
    '<w:keepLines/><w:spacing w:before="40" w:after="40" w:line="220" w:lineRule="exact"/>'),
    rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>')}
{_paragraph_style("Header", "header", ppr=(
    '<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="000000"/></w:pBdr>'
    '<w:tabs><w:tab w:val="right" w:pos="9638"/></w:tabs>'),
    rpr='<w:b/><w:bCs/><w:sz w:val="17"/><w:szCs w:val="17"/>')}
{_paragraph_style("Footer", "footer", ppr='<w:jc w:val="center"/>',
                  rpr='<w:sz w:val="17"/><w:szCs w:val="17"/>')}
<w:style w:type="character" w:styleId="CodeChar"><w:name w:val="Code"/><w:rPr>{_fonts("Liberation Mono")}
<w:sz w:val="18"/></w:rPr></w:style>
</w:styles>"""


def _level(ilvl: int, fmt: str, text: str, *, left: int, hanging: int = 0, first_line: int = 0,
           restart: int | None = None, font: str | None = None, tab: int | None = None) -> str:
    restart_xml = f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else ""
    indent = (f'<w:ind w:left="{left}" w:hanging="{hanging}"/>' if hanging
              else f'<w:ind w:left="{left}" w:firstLine="{first_line}"/>')
    tabs = f'<w:tabs><w:tab w:val="num" w:pos="{tab}"/></w:tabs>' if tab else ""
    rpr = f"<w:rPr>{_fonts(font)}</w:rPr>" if font else ""
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{restart_xml}'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:suff w:val="tab"/>'
            f'<w:pPr>{tabs}{indent}</w:pPr>{rpr}</w:lvl>')


def _bullet_levels() -> str:
    symbols = ("•", "–", "•")
    return "".join(_level(i, "bullet", symbols[i % 3], left=BULLET_INDENT + 475 * i, hanging=475, font=FONT)
                   for i in range(9))


def _section_levels() -> str:
    levels = [_level(SECTION_LEVEL, "upperRoman", "%1.", left=INDENT, hanging=INDENT),
              _level(SUBSECTION_LEVEL, "upperLetter", "%2.", left=INDENT, hanging=INDENT)]
    levels += [_level(i, "decimal", f"%{i + 1}.", left=INDENT, hanging=INDENT) for i in range(2, 9)]
    return "".join(levels)


def _paragraph_levels() -> str:
    # The number at the text's indent, the words after a tab, further lines back at the indent.
    levels = [_level(0, "decimal", "%1.", left=INDENT, first_line=0, tab=NUMBER_TAB)]
    levels += [_level(i, "lowerLetter", f"({'%'}{i + 1})", left=INDENT + 567 * i, hanging=567)
               for i in range(1, 9)]
    return "".join(levels)


def num_xml(num_id: int, abstract_id: int, *, restart: bool = False) -> str:
    """A list instance; a restarted one starts its first levels at 1 again."""
    overrides = "".join(f'<w:lvlOverride w:ilvl="{i}"><w:startOverride w:val="1"/></w:lvlOverride>'
                        for i in range(2)) if restart else ""
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'


NUMBERING_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W_NS}">
<w:abstractNum w:abstractNumId="{BULLETS_ABSTRACT_ID}"><w:multiLevelType w:val="hybridMultilevel"/>
{_bullet_levels()}</w:abstractNum>
<w:abstractNum w:abstractNumId="{SECTIONS_ABSTRACT_ID}"><w:multiLevelType w:val="multilevel"/>
{_section_levels()}</w:abstractNum>
<w:abstractNum w:abstractNumId="{PARAGRAPHS_ABSTRACT_ID}"><w:multiLevelType w:val="multilevel"/>
{_paragraph_levels()}</w:abstractNum>
{num_xml(BULLETS_NUM_ID, BULLETS_ABSTRACT_ID)}
{num_xml(SECTIONS_NUM_ID, SECTIONS_ABSTRACT_ID)}
{num_xml(PARAGRAPHS_NUM_ID, PARAGRAPHS_ABSTRACT_ID)}
</w:numbering>"""
