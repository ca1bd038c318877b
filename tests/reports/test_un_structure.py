"""The demo's reports against the two real documents of the process (shared/domain):
the 2014 letter and report section by section, the 2012 report's numbered paragraphs.

The documents' outlines (headings, the letter's title, signature and symbol block, the
enclosure's categories) are kept in un_structure.json, so a clone without shared/ beside it
runs every check; where shared/domain is there, a test checks the outline against it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from eventmgr.demo import load_demo
from eventmgr.extensions import db
from eventmgr.reports import queries, service
from eventmgr.reports.docx import render_docx
from eventmgr.series.models import Event
from tests.documents.readback import assert_un_document, number_format, read

OUTLINES = json.loads((Path(__file__).with_name("un_structure.json")).read_text(encoding="utf-8"))
REPORT_2014 = "2014-frankfurt-conference-report.txt"
REPORT_2012 = "2012-wiesbaden-summary-report.txt"


def _domain(name: str) -> str | None:
    """The document from shared/domain/ beside the checkout, if it is there."""
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "shared" / "domain" / name
        if candidate.exists():
            return candidate.read_text(encoding="utf-8")
    return None


def _blocks(text: str) -> list[str]:
    """Paragraphs of the text version: lines joined, markup and list dashes dropped."""
    return [" ".join(line.strip().strip("*#").strip() for line in block.splitlines()).strip()
            for block in re.split(r"\n\s*\n", text) if block.strip()]


def _headings(text: str) -> list[str]:
    """Short lines standing alone, without closing punctuation, not a sentence leading into a list."""
    lines = [line.strip() for line in text.splitlines()]
    found = []
    for index, line in enumerate(lines):
        following = next((later for later in lines[index + 1:] if later), "")
        alone = (index == 0 or not lines[index - 1]) and (index + 1 == len(lines) or not lines[index + 1])
        if (alone and line and len(line) < 90 and not line.startswith(("-", "*"))
                and not re.search(r"[.,:;]$", line)
                and not (line.startswith("The ") and following.startswith("-"))):
            found.append(line)
    return found


@pytest.fixture
def demo(app_ctx):
    load_demo()
    db.session.commit()

    def document(slug: str):
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        return read(render_docx(service.export_document(queries.report_of(event))))

    return document


def test_outlines_agree_with_the_domain_documents():
    original = _domain(REPORT_2014)
    if original is None:
        pytest.skip("shared/domain is not beside this checkout; the outlines were taken from it")
    outline = OUTLINES[REPORT_2014]
    blocks, headings = _blocks(original), _headings(original)
    assert all(line in original for line in outline["masthead"])
    assert outline["letter_title"] == next(b for b in blocks if b.startswith("Letter dated"))
    assert outline["annex_heading"] == next(b for b in blocks if b.startswith("Annex to the letter"))
    assert outline["signature"] == original[original.index("(Signed)"):].split("\n\n")[0].splitlines()
    assert outline["title"] in headings
    assert outline["sections"] == headings[headings.index("Background"):headings.index("Enclosure")]
    topics = original.split("The individual conference panels considered the following topics and issues")[1]
    assert outline["panel_topics"] == [line.strip("- .").strip()
                                       for line in topics.strip().split("\n\n")[0].splitlines()]
    assert outline["enclosure_categories"] == [
        b.split(":")[0] for b in blocks[blocks.index("List of participants") + 1:]]
    assert "20 and 21 November 2014, Frankfurt, Germany" in blocks[blocks.index("Conference report") + 1]

    original = _domain(REPORT_2012)
    outline = OUTLINES[REPORT_2012]
    lines = [line.strip("#* ").strip() for line in original.splitlines() if line.strip()]
    assert lines[0] == outline["title"] and [line for line in lines if line.isupper()] == outline["sections"]
    assert "23-25 April 2012, Wiesbaden, Germany" in lines
    numbers = [int(m) for m in re.findall(r"^(?:- )?(\d+)\. ", original, re.M)]
    assert numbers == list(range(1, outline["numbered_paragraphs"] + 1))


def test_2014_letter_and_report_follow_the_2014_document(demo):
    outline = OUTLINES[REPORT_2014]
    document = demo("frankfurt-2014")
    assert_un_document(document)

    # The symbol block.
    masthead = "\n".join(cell.text for row in document.tables[0].rows for cell in row.cells)
    assert all(line in masthead for line in outline["masthead"])
    styled = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    by_style = {}
    for style, text in styled:
        by_style.setdefault(style, []).append(text)
    # The letter's title, word for word, and its annex heading.
    assert by_style["Letter Title"] == [outline["letter_title"]]
    assert by_style["Annex Heading"] == [outline["annex_heading"]]
    # "(Signed)" then the name, then the functions on their own lines, as in the original.
    signature = by_style["Signature"][0].split("\n")
    assert signature[0].startswith("(Signed) ") and signature[1:] == outline["signature"][1:]
    # The blocks in the original's order.
    order = [style for style, _ in styled]
    firsts = [order.index(style) for style in ("Letter Title", "Letter Body", "Signature", "Annex Heading",
                                               "Title", "Subtitle", "Heading 1", "Label")]
    assert firsts == sorted(firsts)
    assert by_style["Title"] == [outline["title"]]
    assert by_style["Subtitle"][0].endswith("20 and 21 November 2014, Frankfurt am Main, Germany")

    # Section by section: the original's sections come in the same order, its panels under the highlights.
    ours = by_style["Heading 1"]
    top = [h for h in outline["sections"] if h in ours]
    assert top == ["Background", "Goals and composition", "Key findings",
                   "Highlights of presentations and discussion"]
    assert [h for h in ours if h in top] == top
    panels = by_style["Heading 2"]
    assert panels[0] == "Opening statements"
    assert [p.lower() for p in panels[1:5]] == [t.lower() for t in outline["panel_topics"]]
    # The enclosure: labelled, titled, one paragraph per category, in the original's order.
    assert by_style["Label"] == ["Enclosure"] and ours[-1] == "List of participants"
    categories = outline["enclosure_categories"]
    enclosure = [t.split(":")[0] for t in by_style["Body Text"] if t.split(":")[0] in categories]
    assert enclosure == categories
    # Nothing the 2014 report would not have: no empty heading, no placeholder (assert_un_document).
    assert all(number_format(document, p) is None for p in document.paragraphs
               if p.style.name in ("Heading 1", "Body Text"))


def test_2012_report_has_the_numbered_paragraph_layout_of_2012(demo):
    outline = OUTLINES[REPORT_2012]
    document = demo("wiesbaden-2012")
    assert_un_document(document)

    assert outline["title"].lower() == document.paragraphs[0].text.lower() == "summary report"
    ours = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [h.upper() for h in ours[:3]] == outline["sections"] == ["SUMMARY", "IN DETAIL", "CONCLUSION"]
    subtitle = next(p.text for p in document.paragraphs if p.style.name == "Subtitle")
    assert subtitle.endswith("23 to 25 April 2012, Wiesbaden, Germany")

    # Each section's paragraphs are numbered by one Word list that no heading restarts; the bullets
    # that close a numbered paragraph ("… the following:") carry no number, as in 2012.
    kinds = []
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Label":  # the enclosure, which 2012 did not have
            break
        if paragraph.style.name == "Heading 1":
            if paragraph.text not in ours[:3]:
                break
            kinds.append(("section", number_format(document, paragraph)[1:]))
        elif paragraph.text and kinds:  # after the title block
            kinds.append(("paragraph" if paragraph.style.name == "Numbered Paragraph" else "bullet",
                          number_format(document, paragraph)))
    assert [k for k, _ in kinds if k == "section"] == ["section"] * 3
    assert {n for k, n in kinds if k == "section"} == {(0, "upperRoman", "%1.")}
    paragraph_lists = {n[0] for k, n in kinds if k == "paragraph"}
    assert len(paragraph_lists) == 1
    assert {n[2] for k, n in kinds if k == "bullet"} == {"bullet"}
    assert outline["numbered_paragraphs"] == 20
    ours_numbered = sum(1 for k, _ in kinds if k == "paragraph")
    assert ours_numbered >= 6
    # The summary opens with numbered paragraphs; the conclusion's closes with bullets, as in 2012.
    assert [k for k, _ in kinds][:2] == ["section", "paragraph"]
    assert [k for k, _ in kinds][-2:] == ["bullet", "bullet"]
