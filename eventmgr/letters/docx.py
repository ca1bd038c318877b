"""Visa-support letters and certificates of attendance on the host's letterhead, as DOCX.

Every statement comes from the registry and the event: the person's names (the family
name in capitals first, as a passport reads), nationality, organization and function
where recorded, the event's title, dates and venue. A detail not recorded is left out,
never guessed.
"""

from __future__ import annotations

import datetime as dt

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from eventmgr.countries import country_name
from eventmgr.documents.dates import date_span, long_date, un_dates
from eventmgr.documents.template import DocumentSetup, UNDocument, cell_paragraph
from eventmgr.letters.enums import LetterKind
from eventmgr.letters.models import Letterhead
from eventmgr.registry.models import Registration
from eventmgr.reports.wording import Tense, join, organizers_by_role, place, tense_on, verb, with_article
from eventmgr.series.enums import OrganizerRole
from eventmgr.series.models import Event

DETAIL_WIDTHS = (Mm(50), Mm(100))


def passport_name(registration: Registration) -> str:
    """ "KELLER, Anna": the family name in capitals, then the given names."""
    person = registration.person
    family = " ".join(person.family_name.split()).upper()
    given = " ".join((person.given_name or "").split())
    return f"{family}, {given}" if given else family


def venue(event: Event) -> str:
    """ "the Conference centre, Frankfurt am Main, Germany"."""
    name = with_article(event.venue_name) if event.venue_name else ""
    return ", ".join(part for part in (name, place(event)) if part)


def _rule(paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "4"), ("color", "000000")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _letterhead(document: UNDocument, letterhead: Letterhead) -> None:
    issuer = document.paragraph(style="Masthead")
    issuer.add_run(letterhead.issuer).bold = True
    issuer.runs[0].font.size = Pt(14)
    lines = [line for text in (letterhead.address, letterhead.contact) for line in text.splitlines()
             if line.strip()]
    small = document.lines(lines, "Masthead") if lines else None
    if small is not None:
        for run in small.runs:
            run.font.size = Pt(9)
    _rule(small or issuer)


def _dateline(document: UNDocument, letterhead: Letterhead, today: dt.date) -> None:
    dateline = document.paragraph(", ".join(part for part in (letterhead.place, long_date(today)) if part),
                                  "Masthead")
    dateline.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    dateline.paragraph_format.space_before = Pt(18)
    dateline.paragraph_format.space_after = Pt(18)


def _signature(document: UNDocument, letterhead: Letterhead) -> None:
    lines = [letterhead.signatory_name, *letterhead.signatory_function.splitlines()]
    signature = document.lines(lines, "Signature")
    if signature is not None:
        signature.paragraph_format.space_before = Pt(36)


def _hosts(event: Event) -> str:
    hosts = organizers_by_role(event)[OrganizerRole.HOST]
    return join(hosts)


def _details(document: UNDocument, rows: list[tuple[str, str]]) -> None:
    table = document.table(len(rows), list(DETAIL_WIDTHS))
    for row, (label, value) in zip(table.rows, rows, strict=True):
        label_cell, value_cell = row.cells
        for cell, text, italic in ((label_cell, label, True), (value_cell, value, False)):
            paragraph = cell_paragraph(cell, "Masthead", first=True)
            paragraph.paragraph_format.space_after = Pt(4)
            paragraph.add_run(text).italic = italic
    table._tbl.tblPr.append(_indent(Mm(22.35)))


def _indent(width):
    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), str(width.twips))
    indent.set(qn("w:type"), "dxa")
    return indent


def _visa(document: UNDocument, event: Event, letterhead: Letterhead, registration: Registration,
          today: dt.date) -> None:
    tense = tense_on(event, today)
    person, organization = registration.person, registration.organization
    if letterhead.visa_addressee:
        document.paragraph(letterhead.visa_addressee, "BodyText")
    subject = document.paragraph(style="BodyText")
    subject.add_run(f"Letter in support of a visa application: {passport_name(registration)}").bold = True
    hosted = f", hosted by {_hosts(event)}" if _hosts(event) else ""
    where = f" at {venue(event)}," if venue(event) else ""
    takes_place = verb(tense, "took place", "is taking place", "will take place")
    document.paragraph(
        f"This is to confirm that the person named below is registered as a participant in “{event.title}”"
        f"{hosted}, which {takes_place}{where} {un_dates(event.start_date, event.end_date)}.", "LetterBody")
    given = " ".join((person.given_name or "").split())
    rows = [("Surname", " ".join(person.family_name.split()).upper())]
    if given:
        rows.append(("Given names", given))
    if person.country:
        rows.append(("Nationality", country_name(person.country)))
    if organization is not None:
        rows.append(("Organization", organization.name))
    if person.position:
        rows.append(("Function", person.position))
    rows.append(("Dates of the conference", date_span(event.start_date, event.end_date)))
    if venue(event):
        rows.append(("Venue", venue(event)[0].upper() + venue(event)[1:]))
    _details(document, rows)
    if tense is not Tense.PAST:
        document.paragraph("We should be grateful if the competent authorities would issue the visa "
                           "this participant needs to attend the conference.", "LetterBody")


def _certificate(document: UNDocument, event: Event, registration: Registration) -> None:
    title = document.paragraph("Certificate of attendance", "Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    centred = []
    centred.append(document.paragraph("This is to certify that", "BodyText"))
    name = document.paragraph(style="BodyText")
    name_run = name.add_run(registration.person.display_name)
    name_run.bold = True
    name_run.font.size = Pt(16)
    centred.append(name)
    if registration.organization is not None:
        centred.append(document.paragraph(registration.organization.name, "BodyText"))
    theme = f" on the theme “{event.theme}”" if event.theme else ""
    where = f", held at {venue(event)}," if venue(event) else ""
    centred.append(document.paragraph(
        f"attended “{event.title}”{theme}{where} {un_dates(event.start_date, event.end_date)}.", "BodyText"))
    for paragraph in centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(12)


def render_letters(event: Event, letterhead: Letterhead, kind: LetterKind, registrations: list[Registration],
                   *, today: dt.date) -> bytes:
    document = UNDocument(DocumentSetup(
        title=f"{event.title} — {kind.label}", author=letterhead.issuer, running_head=event.title,
        date=today, subject=kind.label, furniture=False))
    if not registrations:
        document.paragraph(f"No participant gets a {kind.label.lower()} yet.")
    for index, registration in enumerate(registrations):
        if index:
            document.page_break()
        _letterhead(document, letterhead)
        _dateline(document, letterhead, today)
        if kind is LetterKind.VISA:
            _visa(document, event, letterhead, registration, today)
        else:
            _certificate(document, event, registration)
        _signature(document, letterhead)
    return document.save()
