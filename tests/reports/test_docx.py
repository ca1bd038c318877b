"""The report DOCX read back with python-docx: UN page and type, Word numbering, the letter."""

import datetime as dt

from eventmgr.reports.document import DocumentMeta, build_document
from eventmgr.reports.docx import render_docx
from tests.documents.readback import assert_un_document, number_format, read

PAGE_BREAK = 'w:type="page"'
LETTER = {"sender": "the Permanent Mission of Germany to the United Nations",
          "sender_function": "the Chargé d'affaires a.i.",
          "addressee": "the President of the Security Council",
          "organ": "Security Council", "symbol": "S/2014/950", "date": "2014-12-23",
          "body": "Please circulate the annex.\n\nThank you.", "signature": "Heiko Thoms\nAmbassador"}
META = DocumentMeta(author="Federal Foreign Office", running_head="Frankfurt 2014", date=dt.date(2014, 12, 1))


def _snapshot(*, numbered: bool, letter: dict | None = None, first_body: str = "First.\n\nSecond.") -> dict:
    return {"title": "Conference report", "subtitle": "Frankfurt", "numbered": numbered, "status": "final",
            "letter": letter, "sections": [
                {"kind": "background", "title": "Background", "body": first_body},
                {"kind": "key_findings", "title": "Key findings", "body": "- one\n- two"},
                {"kind": "highlights", "title": "Highlights",
                 "body": "### Panel\n\nThird *point*.\n\n### Workshop"},
                {"kind": "next_steps", "title": "Next steps",
                 "body": "No recommendations have been recorded yet."},
                {"kind": "enclosure", "title": "List of participants",
                 "body": "**States and Government authorities:** Germany (Federal Foreign Office)."}]}


def _read(snapshot: dict):
    return read(render_docx(build_document(snapshot, META)))


def _lines(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.text]


def test_un_page_type_numbering_and_enclosure():
    document = _read(_snapshot(numbered=True))

    assert_un_document(document)
    assert _lines(document) == [
        ("Title", "Conference report"), ("Subtitle", "Frankfurt"),
        ("Heading 1", "Background"), ("Numbered Paragraph", "First."), ("Numbered Paragraph", "Second."),
        ("Heading 1", "Key findings"), ("List Bullet", "one"), ("List Bullet", "two"),
        ("Heading 1", "Highlights"), ("Heading 2", "Panel"), ("Numbered Paragraph", "Third point."),
        ("Label", "Enclosure"), ("Heading 1", "List of participants"),
        ("Body Text", "States and Government authorities: Germany (Federal Foreign Office)."),
    ]
    numbers = {p.text: number_format(document, p) for p in document.paragraphs if p.text}
    # Sections I., II., III. and their subsection A. in one list; paragraphs in another, never restarted.
    assert numbers["Background"][1:] == (0, "upperRoman", "%1.")
    assert numbers["Panel"][1:] == (1, "upperLetter", "%2.")
    assert numbers["Background"][0] == numbers["Panel"][0]
    paragraph_lists = {numbers[text][0] for text in ("First.", "Second.", "Third point.")}
    assert len(paragraph_lists) == 1
    assert numbers["First."][1:] == (0, "decimal", "%1.")
    assert numbers["one"][2] == "bullet"
    # The enclosure is a list, not part of the argument: unnumbered.
    assert numbers["List of participants"] is None
    assert numbers["States and Government authorities: Germany (Federal Foreign Office)."] is None
    heading = next(i for i, p in enumerate(document.paragraphs) if p.text == "Enclosure")
    assert PAGE_BREAK in document.paragraphs[heading - 1]._p.xml
    header = document.sections[0].header.paragraphs[0].text
    assert header == "Frankfurt 2014\t1 December 2014"
    properties = document.core_properties
    assert (properties.title, properties.author) == ("Conference report", "Federal Foreign Office")


def test_numbering_off_leaves_words_only():
    document = _read(_snapshot(numbered=False))

    assert_un_document(document)
    assert ("Body Text", "First.") in _lines(document)
    assert all(number_format(document, p) is None for p in document.paragraphs
               if p.style.name.startswith(("Heading", "Body")))


def test_letter_blocks_in_order_then_the_annex_on_a_new_page():
    document = _read(_snapshot(numbered=False, letter=LETTER))
    title = ("Letter dated 23 December 2014 from the Chargé d'affaires a.i. of the Permanent Mission "
             "of Germany to the United Nations addressed to the President of the Security Council")

    assert_un_document(document)
    masthead = document.tables[0]
    assert [c.text for c in masthead.rows[0].cells] == ["United Nations", "S/2014/950"]
    assert [c.text for c in masthead.rows[1].cells] == [
        "Security Council", "Distr.: General\n23 December 2014\nOriginal: English"]
    texts = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert texts[:6] == [
        ("Letter Title", title), ("Letter Body", "Please circulate the annex."),
        ("Letter Body", "Thank you."),
        ("Signature", "(Signed) Heiko Thoms\nAmbassador"),
        ("Annex Heading", f"Annex to the l{title[1:]}"), ("Title", "Conference report")]
    annex = next(i for i, p in enumerate(document.paragraphs) if p.style.name == "Annex Heading")
    assert PAGE_BREAK in document.paragraphs[annex - 1]._p.xml
    section = document.sections[0]
    # The symbol block stands on page 1; later pages carry the symbol and the letter's date.
    assert section.different_first_page_header_footer
    assert section.header.paragraphs[0].text == "S/2014/950\t23 December 2014"
    assert document.core_properties.title == title


def test_script_payload_is_plain_text_in_the_docx():
    payload = 'Notes <script>alert("x")</script> end'
    document = _read(_snapshot(numbered=False, first_body=payload))

    assert ("Body Text", payload) in _lines(document)
    xml = document.element.xml
    assert "<script" not in xml
    assert "&lt;script&gt;" in xml


def test_same_report_same_bytes():
    snapshot = _snapshot(numbered=True, letter=LETTER)
    assert render_docx(build_document(snapshot, META)) == render_docx(build_document(snapshot, META))
