"""The shared import reader: limits checked while reading, XLSX checked before openpyxl opens it."""

from __future__ import annotations

import io
import zipfile

import pytest

from eventmgr import tabular
from eventmgr.tabular import Limits, TableProblems, UnreadableFile, read_table

HEADER = "given_name,family_name,email\n"


def test_the_row_limit_stops_the_reading_before_the_rest_of_the_file():
    rows = "".join(f"Ana,Silva,ana{n}@example.org\n" for n in range(60_000))
    rows += "Bo,L\x01i,bo@example.org\n"  # past the limit: never read, so never reported
    with pytest.raises(UnreadableFile) as refused:
        read_table((HEADER + rows).encode(), "people.csv", limits=Limits(rows=50_000))
    assert not isinstance(refused.value, TableProblems)
    assert refused.value.message.startswith("The file has more than 50,000 rows")


def test_the_cell_limit_counts_cells_while_reading():
    wide = ",".join(f"c{n}" for n in range(100)) + "\n"
    with pytest.raises(UnreadableFile, match="more than 1,000 cells"):
        read_table((wide * 20).encode(), "wide.csv", limits=Limits(cells=1_000))


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_from_its_declared_sizes_before_openpyxl_opens_it(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl opened a zip bomb")

    monkeypatch.setattr(tabular.openpyxl, "load_workbook", never)
    bomb = _zip({"xl/worksheets/sheet1.xml": b"<?xml version='1.0'?>" + b" " * 50_000_000})
    assert len(bomb) < 100_000
    with pytest.raises(UnreadableFile, match="as a “zip bomb” does"):
        read_table(bomb, "people.xlsx")
    with pytest.raises(UnreadableFile, match="unpacks to 48 MB, more than the 10 MB"):
        read_table(bomb, "people.xlsx", limits=Limits(unpacked_bytes=10 * 2**20))


def test_a_document_type_declaration_in_utf_16_is_found_too(monkeypatch):
    monkeypatch.setattr(tabular.openpyxl, "load_workbook", lambda *a, **k: pytest.fail("opened"))
    part = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'.encode("utf-16-le")
    with pytest.raises(UnreadableFile, match="XML document type declaration"):
        read_table(_zip({"xl/workbook.xml": part}), "people.xlsx")


def test_cells_are_normalised_and_multi_line_only_where_allowed():
    data = (HEADER.strip() + ",notes\n" + 'Jose\u0301,\u200b,a@example.org,"one\r\ntwo"\n').encode()
    table = read_table(data, "people.csv", multiline_columns={"notes"})
    assert table.rows == [(2, {"given_name": "José", "family_name": "", "email": "a@example.org",
                               "notes": "one\ntwo"})]
    with pytest.raises(TableProblems) as refused:
        read_table(data, "people.csv")
    assert [str(p) for p in refused.value.problems] == [
        "row 2, column notes: the cell runs over several lines: a quote is probably not closed where it "
        "should be"]


def test_trailing_blank_headings_ask_no_cells():
    table = read_table(b"given_name,family_name,,\nAna,Silva\n", "people.csv")
    assert table.rows == [(2, {"given_name": "Ana", "family_name": "Silva"})]
