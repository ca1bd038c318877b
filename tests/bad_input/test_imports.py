"""Bad participant files, uploaded on the import page: a clear message and nothing written."""

from __future__ import annotations

import html
import io

import pytest
from openpyxl import Workbook

from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from tests.bad_input.conftest import row_counts

HEADER = "given_name,family_name,email,organization,organization_kind,country\n"
GOOD_ROW = "Ana,Silva,ana@example.org,Petrobras,company,BR\n"


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CASES = {
    "not a spreadsheet named .xlsx": ("people.xlsx", b"PK\x03\x04 this is not a zip at all",
                                      "The spreadsheet could not be read"),
    "a PDF named .csv": ("people.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n",
                         "This required column is missing."),
    "an executable extension": ("people.exe", b"MZ\x90\x00", "Upload a .csv or .xlsx file."),
    "an empty file": ("people.csv", b"", "The file is empty: the first row must name the columns."),
    "a header without rows": ("people.csv", HEADER.encode(), "The file has a header but no rows."),
    "a required column missing": ("people.csv", b"given_name,email\nAna,ana@example.org\n",
                                  "This required column is missing."),
    "an invalid email": ("people.csv", (HEADER + "Ana,Silva,ana(at)example.org,Petrobras,company,BR\n")
                         .encode(), "email"),
    "the same person twice": ("people.csv", (HEADER + GOOD_ROW + GOOD_ROW.replace("Ana", "Anna"))
                              .encode(), "ana@example.org is already on row 2."),
    "an unknown country": ("people.csv", (HEADER + GOOD_ROW.replace(",BR", ",Atlantis")).encode(),
                           "Unknown country “Atlantis”"),
    "an unknown organization kind": ("people.csv", (HEADER + GOOD_ROW.replace("company", "cartel"))
                                     .encode(), "Unknown kind “cartel”"),
    "a name far too long": ("people.csv", (HEADER + GOOD_ROW.replace("Silva", "S" * 500)).encode(),
                            "120"),
    "one bad row among good ones (all or nothing)": (
        "people.csv", (HEADER + GOOD_ROW + "Bo,Li,bo@example.org,Sinopec,company,Nowhere\n").encode(),
        "Unknown country “Nowhere”"),
    "UTF-16 text with a bad row": ("people.csv", (HEADER + GOOD_ROW.replace(",BR", ",Atlantis"))
                                   .encode("utf-16"), "Unknown country “Atlantis”"),
    "a formula as the country": (
        "people.csv", (HEADER + GOOD_ROW.replace(",BR", ',"=HYPERLINK(""x"",""BR"")"')).encode(),
        "Unknown country “=HYPERLINK"),
    # openpyxl reads cached values; a formula saved without one reads as an empty cell.
    "a spreadsheet formula for a family name": (
        "people.xlsx", xlsx([["given_name", "family_name", "email", "organization", "organization_kind",
                              "country"], ["Ana", "=A2&A2", "ana@example.org", "Petrobras", "company",
                                           "BR"]]),
        "Required: this cell is empty."),
}


@pytest.mark.parametrize("filename, data, message", CASES.values(), ids=CASES.keys())
def test_bad_participant_files_are_refused_whole(client, auth, world, filename, data, message):
    auth.login(Role.ORGANIZER)
    before = row_counts()
    response = client.post(f"/events/{world.slug}/import",
                           data={"file": (io.BytesIO(data), filename)},
                           content_type="multipart/form-data")
    body = html.unescape(response.get_data(as_text=True))
    assert (response.status_code, message in body) == (400, True), body[-2500:]
    db.session.rollback()
    assert row_counts() == before


@pytest.mark.parametrize("upload", ["../../config.py", "/etc/passwd", "a" * 300, "missing.csv"])
def test_a_forged_upload_name_at_confirmation_imports_nothing(client, auth, world, upload):
    auth.login(Role.ORGANIZER)
    before = row_counts()
    response = client.post(f"/events/{world.slug}/import/confirm", data={"upload": upload},
                           follow_redirects=True)
    assert "That upload has expired or is unknown: upload the file again." in html.unescape(
        response.get_data(as_text=True))
    db.session.rollback()
    assert row_counts() == before


def test_formula_cells_are_imported_as_text_and_exported_inert(client, auth, world):
    auth.login(Role.ORGANIZER)
    data = (HEADER + '=HYPERLINK("http://evil.example"),+SUM(A1),ana@example.org,@Petrobras,company,BR\n')
    preview = client.post(f"/events/{world.slug}/import",
                          data={"file": (io.BytesIO(data.encode()), "people.csv")},
                          content_type="multipart/form-data")
    assert preview.status_code == 200
    upload = html.unescape(preview.get_data(as_text=True)).split('name="upload" type="hidden" value="')[1]
    client.post(f"/events/{world.slug}/import/confirm", data={"upload": upload.split('"')[0]})

    exported = client.get(f"/events/{world.slug}/registrations.csv").get_data(as_text=True)
    assert "'=HYPERLINK(\"\"http://evil.example\"\")" in exported
    assert "'+SUM(A1)" in exported
