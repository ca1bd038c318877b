"""The DOCX export read back with python-docx."""

import io

import docx

from eventmgr.reports.document import build_document
from eventmgr.reports.docx import render_docx

PAGE_BREAK = 'w:type="page"'


def _snapshot(*, numbered: bool, letter: dict | None = None, first_body: str = "First.\n\nSecond.") -> dict:
    return {"title": "Conference report", "subtitle": "Frankfurt", "numbered": numbered, "status": "final",
            "letter": letter, "sections": [
                {"kind": "background", "title": "Background", "body": first_body},
                {"kind": "key_findings", "title": "Key findings", "body": "- one\n- two"},
                {"kind": "highlights", "title": "Highlights", "body": "### Panel\n\nThird *point*."},
                {"kind": "enclosure", "title": "List of participants",
                 "body": "**States and Government authorities:** Germany (Federal Foreign Office)."}]}


def _read(snapshot: dict):
    return docx.Document(io.BytesIO(render_docx(build_document(snapshot))))


def _lines(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.text]


def test_headings_numbered_paragraphs_bullets_and_enclosure():
    document = _read(_snapshot(numbered=True))

    assert _lines(document) == [
        ("Title", "Conference report"), ("Normal", "Frankfurt"),
        ("Heading 1", "Background"), ("Normal", "1.\tFirst."), ("Normal", "2.\tSecond."),
        ("Heading 1", "Key findings"), ("List Bullet", "one"), ("List Bullet", "two"),
        ("Heading 1", "Highlights"), ("Heading 2", "Panel"), ("Normal", "3.\tThird point."),
        ("Heading 1", "List of participants"),
        ("Normal", "States and Government authorities: Germany (Federal Foreign Office)."),
    ]
    enclosure = document.paragraphs[-1]
    assert [(run.text, run.bold) for run in enclosure.runs] == [
        ("States and Government authorities:", True), (" Germany (Federal Foreign Office).", None)]
    # The enclosure starts a page: the paragraph before its heading holds a page break.
    heading = next(i for i, p in enumerate(document.paragraphs) if p.text == "List of participants")
    assert PAGE_BREAK in document.paragraphs[heading - 1]._p.xml
    assert document.core_properties.title == "Conference report"


def test_numbering_off():
    lines = _lines(_read(_snapshot(numbered=False)))

    assert ("Normal", "First.") in lines
    assert [text for _, text in lines if text[:1].isdigit()] == []


def test_letter_first_then_the_report_on_a_new_page():
    letter = {"sender": "Permanent Mission of Germany", "addressee": "The President of the Security Council",
              "date": "2014-12-23", "body": "Please circulate the annex.",
              "signature": "Heiko Thoms\nAmbassador"}

    document = _read(_snapshot(numbered=False, letter=letter))

    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:7] == ["Permanent Mission of Germany", "23 December 2014",
                         "The President of the Security Council", "Please circulate the annex.",
                         "Heiko Thoms\nAmbassador", "Annex", "Conference report"]
    annex = next(i for i, p in enumerate(document.paragraphs) if p.text == "Annex")
    assert PAGE_BREAK in document.paragraphs[annex - 1]._p.xml


def test_script_payload_is_plain_text_in_the_docx():
    payload = 'Notes <script>alert("x")</script> end'
    raw = render_docx(build_document(_snapshot(numbered=False, first_body=payload)))
    document = docx.Document(io.BytesIO(raw))

    assert ("Normal", payload) in _lines(document)
    xml = document.element.xml
    assert "<script" not in xml
    assert "&lt;script&gt;" in xml
