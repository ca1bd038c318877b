"""Every document converted to PDF by LibreOffice headless, read back with pypdf: A4 pages,
page counts and text. One converter run for all documents keeps the suite quick."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from sqlalchemy import select

from eventmgr.agenda import queries as agenda_queries
from eventmgr.agenda.docx import agenda_docx
from eventmgr.demo import load_demo
from eventmgr.documents import pdf
from eventmgr.extensions import db
from eventmgr.letters import service as letters_service
from eventmgr.letters.enums import LetterKind
from eventmgr.registry.badges import badges_docx
from eventmgr.registry.enclosure import enclosure_docx
from eventmgr.registry.registration_queries import badge_registrations
from eventmgr.reports import queries, service
from eventmgr.reports.docx import render_docx
from eventmgr.series.models import Event

pytestmark = pytest.mark.pdf
A4 = (595, 842)


def _pages(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture
def converted(real_pdf):
    load_demo()
    db.session.commit()
    frankfurt, wiesbaden = (db.session.scalar(select(Event).where(Event.slug == slug))
                            for slug in ("frankfurt-2014", "wiesbaden-2012"))
    visa = letters_service.recipients(frankfurt, LetterKind.VISA)
    badges = badge_registrations(frankfurt)
    documents = {
        "report": render_docx(service.export_document(queries.report_of(frankfurt))),
        "summary": render_docx(service.export_document(queries.report_of(wiesbaden))),
        "enclosure": enclosure_docx(frankfurt),
        "programme": agenda_docx(frankfurt, agenda_queries.public_sessions(frankfurt),
                                 zone_label="Europe/Berlin (CET, UTC+01:00)", venue="Frankfurt am Main"),
        "badges": badges_docx(frankfurt, badges),
        "visa": letters_service.render(frankfurt, LetterKind.VISA, visa),
    }
    pdfs = dict(zip(documents, pdf.docx_to_pdf_many(list(documents.values())), strict=True))
    return {name: _pages(body) for name, body in pdfs.items()}, len(visa), len(badges), frankfurt.slug


def test_each_document_as_pdf_pages(converted, real_pdf):
    pages, visa_letters, badges, slug = converted

    report = pages["report"]
    assert 4 <= len(report) <= 7
    assert "Distr.: General" in report[0] and "Original: English" in report[0]
    assert "Letter dated 23 December 2014 from the Chargé d'affaires a.i." in report[0]
    assert "(Signed)" in report[0] and report[0].endswith(f"1/{len(report)}")
    assert report[1].startswith("Industry outreach conference on resolution 1540 (2004) 23 December 2014 "
                                "Annex to the letter dated 23 December 2014")
    assert "Enclosure List of participants States and Government authorities:" in report[-1]
    assert all(page.endswith(f"{n}/{len(report)}") for n, page in enumerate(report, start=1))

    summary = " ".join(pages["summary"])
    # Word numbering, laid out by LibreOffice: I., II., III. and paragraphs 1. onwards, unbroken.
    numbers = [int(n) for n in re.findall(r"(?<![\d(])(\d{1,2})\. [A-Z]", summary)]
    assert numbers[:9] == list(range(1, 10))
    assert re.search(r"I\. Summary 1\. ", summary) and re.search(r"II\. In detail 4\. ", summary)
    assert re.search(r"III\. Conclusion 9\. ", summary)

    assert len(pages["enclosure"]) == 1 and "Enclosure List of participants" in pages["enclosure"][0]
    programme = pages["programme"]
    assert len(programme) == 2
    assert ("Thursday, 20 November 2014 Time Item Time to be confirmed Registration and welcome coffee "
            "09.00–10.30 Opening statements") in programme[0]
    assert "Coffee break" in programme[0] and "Panel: " not in programme[0].split("Opening")[0]
    assert len(pages["badges"]) == -(-badges // 8)
    assert len(pages["visa"]) == visa_letters > 0
    assert all("Letter in support of a visa application" in page for page in pages["visa"])

    # The web download is the same conversion (cached by the DOCX), so it costs no second run.
    client = real_pdf.test_client()
    client.post("/auth/login", data={"email": "rapporteur@example.org",
                                     "password": "demo-rapporteur-password"})
    response = client.get(f"/events/{slug}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert len(_pages(response.data)) == len(report)
