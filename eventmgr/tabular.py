"""Reading tables from uploaded CSV and XLSX files: a header row, then data rows.

Shared by every import (participants, invitation lists, programmes). Rows are numbered
as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import openpyxl

from eventmgr.errors import DomainError

EXTENSIONS = (".csv", ".txt", ".xlsx")


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


class UnreadableFile(DomainError):
    pass


def decode(data: bytes) -> str:
    """Text of a CSV file in UTF-8 (with or without BOM), UTF-16 (BOM or not) or Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if len(data) >= 4 and b"\x00" in data[:4]:
        # UTF-16 without a BOM: ASCII header letters leave a zero byte on one side.
        return data.decode("utf-16-le" if data[1] == 0 else "utf-16-be")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def column_key(header: str) -> str:
    return "_".join(str(header or "").strip().casefold().replace("-", " ").split())


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(data: bytes, filename: str) -> Table:
    """The header and non-blank rows of a CSV (comma, semicolon or tab) or XLSX file."""
    name = filename.lower()
    if not name.endswith(EXTENSIONS):
        raise UnreadableFile("Only .csv and .xlsx files can be imported.", field="file")
    if name.endswith(".xlsx"):
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise UnreadableFile(f"The spreadsheet could not be read ({error}).", field="file") from None
        records = [[_cell_text(v) for v in row] for row in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
    else:
        text = decode(data)
        first_line = text.split("\n", 1)[0]
        delimiter = max((",", ";", "\t"), key=first_line.count)
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        records = [[cell.strip() for cell in row] for row in reader]
    if not records or not any(records[0]):
        raise UnreadableFile("The file is empty: the first row must name the columns.", field="file")
    columns = [column_key(h) for h in records[0]]
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if any(record):
            rows.append((number, {c: (record[i] if i < len(record) else "")
                                  for i, c in enumerate(columns) if c}))
    return Table(columns=columns, rows=rows)
