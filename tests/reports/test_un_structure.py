"""The demo's reports against the two real documents of the process (shared/domain):
the 2014 letter and report section by section, the 2012 report's numbered paragraphs."""

from __future__ import annotations

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


def _domain(name: str) -> str:
    """shared/domain/ beside the checkout (CI lays shared/ beside the clone)."""
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "shared" / "domain" / name
        if candidate.exists():
            return candidate.read_text(encoding="utf-8")
    pytest.fail(f"shared/domain/{name} not found beside the checkout")


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


def test_2014_letter_and_report_follow_the_2014_document(demo):
    original = _domain("2014-frankfurt-conference-report.txt")
    blocks = _blocks(original)
    document = demo("frankfurt-2014")
    assert_un_document(document)

    # The symbol block.
    masthead = "\n".join(cell.text for row in document.tables[0].rows for cell in row.cells)
    for line in ("Security Council", "Distr.: General", "23 December 2014", "Original: English"):
        assert line in original and line in masthead
    styled = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    by_style = {}
    for style, text in styled:
        by_style.setdefault(style, []).append(text)
    # The letter's title, word for word, and its annex heading.
    letter_title = next(b for b in blocks if b.startswith("Letter dated"))
    assert by_style["Letter Title"] == [letter_title]
    annex = next(b for b in blocks if b.startswith("Annex to the letter"))
    assert by_style["Annex Heading"] == [annex]
    # "(Signed)" then the name, then the functions on their own lines, as in the original.
    signature = by_style["Signature"][0].split("\n")
    signed = original[original.index("(Signed)"):].split("\n\n")[0].splitlines()
    assert signature[0].startswith("(Signed) ") and signature[1:] == signed[1:]
    # The blocks in the original's order.
    order = [style for style, _ in styled]
    firsts = [order.index(style) for style in ("Letter Title", "Letter Body", "Signature", "Annex Heading",
                                               "Title", "Subtitle", "Heading 1", "Label")]
    assert firsts == sorted(firsts)
    assert by_style["Title"] == ["Conference report"] and "Conference report" in _headings(original)
    assert by_style["Subtitle"][0].endswith("20 and 21 November 2014, Frankfurt am Main, Germany")
    assert "20 and 21 November 2014, Frankfurt, Germany" in blocks[blocks.index("Conference report") + 1]

    # Section by section: the original's sections come in the same order, its panels under the highlights.
    headings = _headings(original)
    sections = headings[headings.index("Background"):headings.index("Enclosure")]
    ours = by_style["Heading 1"]
    top = [h for h in sections if h in ours]
    assert top == ["Background", "Goals and composition", "Key findings",
                   "Highlights of presentations and discussion"]
    assert [h for h in ours if h in top] == top
    topics = original.split("The individual conference panels considered the following topics and issues")[1]
    topics = [line.strip("- .").strip() for line in topics.strip().split("\n\n")[0].splitlines()]
    panels = by_style["Heading 2"]
    assert panels[0] == "Opening statements"
    assert [p.lower() for p in panels[1:5]] == [t.lower() for t in topics]
    # The enclosure: labelled, titled, one paragraph per category, in the original's order.
    assert by_style["Label"] == ["Enclosure"] and ours[-1] == "List of participants"
    categories = [b.split(":")[0] for b in blocks[blocks.index("List of participants") + 1:]]
    enclosure = [t.split(":")[0] for t in by_style["Body Text"] if t.split(":")[0] in categories]
    assert enclosure == categories
    # Nothing the 2014 report would not have: no empty heading, no placeholder (assert_un_document).
    assert all(number_format(document, p) is None for p in document.paragraphs
               if p.style.name in ("Heading 1", "Body Text"))


def test_2012_report_has_the_numbered_paragraph_layout_of_2012(demo):
    original = _domain("2012-wiesbaden-summary-report.txt")
    document = demo("wiesbaden-2012")
    assert_un_document(document)

    lines = [line.strip("#* ").strip() for line in original.splitlines() if line.strip()]
    assert lines[0].lower() == document.paragraphs[0].text.lower() == "summary report"
    headings = [line for line in lines if line.isupper()]
    ours = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [h.upper() for h in ours[:3]] == headings == ["SUMMARY", "IN DETAIL", "CONCLUSION"]
    subtitle = next(p.text for p in document.paragraphs if p.style.name == "Subtitle")
    assert subtitle.endswith("23 to 25 April 2012, Wiesbaden, Germany")
    assert "23-25 April 2012, Wiesbaden, Germany" in lines

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
    original_numbers = [int(m) for m in re.findall(r"^(?:- )?(\d+)\. ", original, re.M)]
    assert original_numbers == list(range(1, 21))
    ours_numbered = sum(1 for k, _ in kinds if k == "paragraph")
    assert ours_numbered >= 6
    # The summary opens with numbered paragraphs; the conclusion's closes with bullets, as in 2012.
    assert [k for k, _ in kinds][:2] == ["section", "paragraph"]
    assert [k for k, _ in kinds][-2:] == ["bullet", "bullet"]
