"""The shared template: page, styles, numbering that restarts, page furniture, same bytes."""

import datetime as dt

from eventmgr.documents.template import DocumentSetup, TextRun, UNDocument
from tests.documents.readback import assert_un_document, number_format, read

SETUP = DocumentSetup(title="Report", author="Office for Disarmament Affairs", running_head="A/70/123",
                      date=dt.date(2015, 6, 1))


def test_numbering_restarts_on_request():
    document = UNDocument(SETUP)
    document.heading("First part", 1, numbered=True)
    document.numbered_paragraph([TextRun("One.")])
    document.numbered_paragraph([TextRun("Two.")])
    document.restart_numbering()
    document.heading("Second part", 1, numbered=True)
    document.numbered_paragraph([TextRun("One again.")])

    back = read(document.save())

    assert_un_document(back)
    numbers = {p.text: number_format(back, p) for p in back.paragraphs if p.text}
    assert numbers["One."][0] == numbers["Two."][0] != numbers["One again."][0]
    restarted = back.part.numbering_part.element.xml
    assert f'w:numId="{numbers["One again."][0]}"' in restarted and "w:startOverride" in restarted
    header = back.sections[0].header.paragraphs[0]
    assert header.text == "A/70/123\t1 June 2015"
    assert back.core_properties.author == "Office for Disarmament Affairs"


def test_unnumbered_headings_line_up_with_the_text():
    document = UNDocument(SETUP)
    heading = document.heading("Background", 1)
    assert heading.paragraph_format.first_line_indent == 0
    assert heading.paragraph_format.left_indent.twips == 1267


def test_the_same_content_gives_the_same_bytes():
    def build() -> bytes:
        document = UNDocument(SETUP)
        document.paragraph("Text.")
        return document.save()

    assert build() == build()
