"""Hostile and careless import files: zip bombs, XXE and billion laughs, unclosed quotes,
duplicated headers, ragged rows, too many rows: each refused whole with a clear message
naming the row and column where there is one."""

from __future__ import annotations

import html
import io
import zipfile

import pytest
from openpyxl import Workbook

from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from tests.bad_input.conftest import row_counts
from tests.builders import make_event
from tests.conftest import PASSWORD, ROLE_EMAILS

HEADER = "given_name,family_name,email,organization,organization_kind,position\n"
ROW = "Ana,Silva,ana@example.org,Petrobras,company,Director\n"
NEXT = "Bo,Li,bo@example.org,Sinopec,company,Engineer\n"


def _xlsx() -> bytes:
    book = Workbook()
    book.active.append(HEADER.strip().split(","))
    book.active.append(ROW.strip().split(","))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_with(part: str, rewrite) -> bytes:
    """The small workbook with one of its XML parts rewritten."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item.filename, rewrite(data) if item.filename == part else data)
    return out.getvalue()


def _with_prolog(extra: bytes):
    def rewrite(xml: bytes) -> bytes:
        if not xml.startswith(b"<?xml"):
            return extra + xml
        declaration, rest = xml.split(b"?>", 1)
        return declaration + b"?>" + extra + rest
    return rewrite


SHEET = "xl/worksheets/sheet1.xml"
XXE = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
                     for n in range(1, 10)) + b"]>")

CASES = {
    "a zip bomb (20 MB of blanks in the sheet)": (
        "people.xlsx", _xlsx_with(SHEET, _with_prolog(b" " * 20_000_000)), "as a “zip bomb” does"),
    "an XXE worksheet": ("people.xlsx", _xlsx_with(SHEET, _with_prolog(XXE)),
                         "holds an XML document type declaration"),
    "billion laughs in the content types": (
        "people.xlsx", _xlsx_with("[Content_Types].xml", _with_prolog(LAUGHS)),
        "holds an XML document type declaration"),
    "a DTD hidden behind a long comment": (
        "people.xlsx", _xlsx_with(SHEET, _with_prolog(b"<!--" + b"x" * 20_000 + b"-->" + XXE)),
        "holds an XML document type declaration"),
    "an unclosed quote in an optional column": (
        "people.csv", (HEADER + ROW.replace("Director", '"Director') + NEXT).encode(),
        "a quoted cell is never closed"),
    "a quote closing a cell too early": (
        "people.csv", (HEADER + ROW.replace("Director", '"Dir"ector') + NEXT).encode(),
        "a quote closes a cell but more text follows it"),
    "a duplicated column header": (
        "people.csv", (HEADER.replace("position", "email") + ROW).encode(),
        "the column appears twice (columns C and F)"),
    "a row longer than the header": (
        "people.csv", (HEADER + ROW.replace("Director", "Director,Extra")).encode(),
        "the row has 7 cells but the header names 6 columns"),
    "a row shorter than the header": (
        "people.csv", (HEADER + "Ana,Silva,ana@example.org\n").encode(),
        "the row has 3 cells but the header names 6 columns"),
    "a quoted cell swallowing the next rows": (
        "people.csv", (HEADER + ROW.replace("Director", '"Director') + NEXT.replace("Engineer", 'Engineer"'))
        .encode(), "the cell runs over several lines"),
    "a NUL in a cell": ("people.csv", (HEADER + ROW.replace("Silva", "Sil\x00va")).encode(),
                        "Remove a NUL character (\\0) (at character 4): it is not text."),
    "a control character in a cell": (
        "people.csv", (HEADER + ROW.replace("Silva", "Sil\x01va")).encode(),
        "Remove the control character U+0001"),
}


def _upload(client, world, filename: str, data: bytes):
    before = row_counts()
    response = client.post(f"/events/{world.slug}/import", data={"file": (io.BytesIO(data), filename)},
                           content_type="multipart/form-data")
    db.session.rollback()
    assert row_counts() == before
    return response.status_code, " ".join(html.unescape(response.get_data(as_text=True)).split())


@pytest.mark.parametrize("filename, data, message", CASES.values(), ids=CASES.keys())
def test_hostile_files_are_refused_whole_with_a_clear_message(client, auth, world, filename, data, message):
    auth.login(Role.ORGANIZER)
    status, page = _upload(client, world, filename, data)
    assert (status, message in page) == (400, True), page[-2500:]


def test_an_unclosed_quote_names_the_row_and_imports_nothing(client, auth, world):
    auth.login(Role.ORGANIZER)
    data = (HEADER + NEXT + ROW.replace("Director", '"Director') + NEXT.replace("Bo", "Cy")).encode()
    status, page = _upload(client, world, "people.csv", data)
    assert status == 400
    assert '<td class="num">3</td> <td></td>' in page  # row 3, no column: the quote opens there


def test_a_duplicated_header_names_the_column(client, auth, world):
    auth.login(Role.ORGANIZER)
    status, page = _upload(client, world, "people.csv", (HEADER.replace("position", "email") + ROW).encode())
    assert status == 400 and '<td class="num">1</td> <td>email</td>' in page


@pytest.fixture
def small_limits(make_app):
    app = make_app(IMPORT_MAX_ROWS=3, IMPORT_MAX_UNPACKED_BYTES=100_000, IMPORT_MAX_BYTES=50_000)
    with app.app_context():
        auth_service.create_user(ROLE_EMAILS[Role.ORGANIZER], role=Role.ORGANIZER, password=PASSWORD)
        db.session.commit()
    return app


@pytest.mark.parametrize("filename, data, message", [
    ("people.csv", (HEADER + "".join(ROW.replace("ana@", f"ana{n}@") for n in range(4))).encode(),
     "The file has more than 3 rows, the most an import reads"),
    ("people.csv", (HEADER + ROW * 1000).encode(), "The file is larger than the 49 KB an import reads"),
    ("people.xlsx", _xlsx_with(SHEET, _with_prolog(b" " * 200_000)), "more than the 98 KB an import reads"),
])
def test_the_limits_are_configurable_and_checked_while_reading(small_limits, filename, data, message):
    with small_limits.app_context():
        slug = make_event().slug
    client = small_limits.test_client()
    client.post("/auth/login", data={"email": ROLE_EMAILS[Role.ORGANIZER], "password": PASSWORD})
    response = client.post(f"/events/{slug}/import", data={"file": (io.BytesIO(data), filename)},
                           content_type="multipart/form-data")
    page = " ".join(html.unescape(response.get_data(as_text=True)).split())
    assert (response.status_code, message in page) == (400, True), page[-2000:]
