"""Reading tables from uploaded CSV and XLSX files: a header row, then data rows.

Shared by every import (participants, invitation lists, programmes). Rows are numbered
as a spreadsheet shows them: the header is row 1.

Nothing here trusts the file: the size, the rows and the cells are counted while reading
and the reading stops at the first limit passed (`Limits`, from the IMPORT_* settings);
an XLSX is checked as a zip (declared sizes, compression ratio, no XML document type
declarations) before openpyxl opens it, and openpyxl then parses through defusedxml; a
CSV is read strictly (an unclosed quote, a row longer or shorter than the header and a
duplicated header are errors naming the row and column); every cell passes the text
normaliser. Any problem refuses the whole file, so an import is never partly read.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass

import openpyxl
from defusedxml import DefusedXmlException
from flask import current_app, has_app_context

from eventmgr.errors import DomainError
from eventmgr.text import TextRefused, clean_text

EXTENSIONS = (".csv", ".txt", ".xlsx")
# Excel's own limit on the text of one cell.
CELL_LIMIT = 32_767
# At most this many cell problems are spelled out in the message; the rest are counted.
PROBLEMS_SHOWN = 10
# XML parts are opened only this far to look for a document type declaration: it must
# come before the root element (XML 1.0 §2.8); defusedxml catches one hidden further in.
PROLOG_BYTES = 8192
DTD_MARKERS = tuple(marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY")
                    for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
# A zip member that unpacks to more than this is held to the compression ratio limit.
RATIO_CHECKED_FROM = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much of a file an import reads (settings IMPORT_MAX_*)."""

    rows: int = 50_000
    bytes: int = 20 * 1024 * 1024
    cells: int = 1_000_000
    unpacked_bytes: int = 200 * 1024 * 1024
    compression_ratio: int = 100

    @classmethod
    def configured(cls) -> Limits:
        if not has_app_context():
            return cls()
        config = current_app.config
        defaults = cls()
        return cls(rows=config.get("IMPORT_MAX_ROWS", defaults.rows),
                   bytes=config.get("IMPORT_MAX_BYTES", defaults.bytes),
                   cells=config.get("IMPORT_MAX_CELLS", defaults.cells),
                   unpacked_bytes=config.get("IMPORT_MAX_UNPACKED_BYTES", defaults.unpacked_bytes),
                   compression_ratio=config.get("IMPORT_MAX_COMPRESSION_RATIO",
                                                defaults.compression_ratio))


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


@dataclass(frozen=True)
class CellProblem:
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class UnreadableFile(DomainError):
    pass


class TableProblems(UnreadableFile):
    """Cells or rows the file cannot be imported with; `problems` names each row and column."""

    def __init__(self, problems: list[CellProblem]) -> None:
        shown = "; ".join(str(p) for p in problems[:PROBLEMS_SHOWN])
        more = len(problems) - PROBLEMS_SHOWN
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"The file cannot be imported ({count}): {shown}"
                         + (f"; and {more} more." if more > 0 else "."), field="file")
        self.problems = problems


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


def column_letter(index: int) -> str:
    """The spreadsheet name of the column at 0-based `index`: A, B, … Z, AA, …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _amount(size: int) -> str:
    """'20 MB', '48 KB'."""
    return f"{size / 2**20:,.0f} MB" if size >= 2**20 else f"{size / 1024:,.0f} KB"


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------- XLSX

def _check_zip(data: bytes, limits: Limits) -> None:
    """Refuse an XLSX that would unpack too far or holds XML document type declarations.

    zipfile never unpacks a member beyond the size its header declares (a longer stream
    fails the CRC check), so checking the declared sizes bounds what openpyxl can unpack.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UnreadableFile("The spreadsheet could not be read (it is not an XLSX file).",
                             field="file") from None
    with archive:
        members = archive.infolist()
        unpacked = sum(member.file_size for member in members)
        if unpacked > limits.unpacked_bytes:
            raise UnreadableFile(
                f"The spreadsheet unpacks to {_amount(unpacked)}, more than the "
                f"{_amount(limits.unpacked_bytes)} an import reads: split it into smaller files.",
                field="file")
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > RATIO_CHECKED_FROM and ratio > limits.compression_ratio:
                raise UnreadableFile(
                    f"The spreadsheet part {member.filename} unpacks {ratio:,.0f} times its size, "
                    "as a “zip bomb” does: it was not read.", field="file")
        for member in members:
            if member.filename.endswith((".xml", ".rels", ".vml")):
                try:
                    with archive.open(member) as part:
                        prolog = part.read(PROLOG_BYTES)
                # zipfile raises NotImplementedError for a compression method it lacks.
                except (zipfile.BadZipFile, NotImplementedError, OSError) as error:
                    raise UnreadableFile(f"The spreadsheet could not be read ({error}).",
                                         field="file") from None
                if any(marker in prolog for marker in DTD_MARKERS):
                    raise _declaration_refused()


def _declaration_refused() -> UnreadableFile:
    return UnreadableFile("The spreadsheet holds an XML document type declaration, which "
                          "spreadsheets never need and attacks use (external entities, "
                          "“billion laughs”): it was not read.", field="file")


def _unreadable(error: Exception) -> UnreadableFile:
    """What to say about an error of openpyxl, which wraps defusedxml's refusals in its own."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return _declaration_refused()
        cause = cause.__cause__ or cause.__context__
    return UnreadableFile(f"The spreadsheet could not be read ({error}).", field="file")


def _xlsx_records(data: bytes, limits: Limits) -> Iterator[list[str]]:
    _check_zip(data, limits)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _unreadable(error) from None
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    except Exception as error:
        raise _unreadable(error) from None
    finally:
        workbook.close()


# ---------------------------------------------------------------- CSV

def _csv_records(data: bytes) -> Iterator[list[str]]:
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    # strict: a quote in the wrong place is an error, not a cell that swallows the next rows.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    row = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            row += 1
            raise TableProblems([CellProblem(row, None, _csv_error_message(str(error), reader.line_num))]) \
                from None
        row += 1
        yield record


def _csv_error_message(error: str, line: int) -> str:
    if "unexpected end of data" in error:
        return (f"a quoted cell is never closed (the file ends on line {line} inside it): "
                "add the closing quote, or remove the opening one")
    if "expected after" in error:
        return (f"a quote closes a cell but more text follows it on line {line}: a quote inside a "
                "quoted cell is written twice (\"\")")
    return f"the CSV cannot be read on line {line} ({error})"


# ---------------------------------------------------------------- the table

def read_table(data: bytes, filename: str, *, limits: Limits | None = None,
               multiline_columns: Collection[str] = ()) -> Table:
    """The header and non-blank rows of a CSV (comma, semicolon or tab) or XLSX file.

    Every cell is normalised (eventmgr.text); cells may hold several lines only in
    `multiline_columns`. Raises UnreadableFile, or TableProblems naming rows and columns.
    """
    limits = limits or Limits.configured()
    name = filename.lower()
    if not name.endswith(EXTENSIONS):
        raise UnreadableFile("Only .csv and .xlsx files can be imported.", field="file")
    if len(data) > limits.bytes:
        raise UnreadableFile(f"The file is larger than the {_amount(limits.bytes)} an import reads: "
                             "split it into smaller files.", field="file")
    is_csv = not name.endswith(".xlsx")
    records = _csv_records(data) if is_csv else _xlsx_records(data, limits)
    header = next(records, None)
    if not header or not any(cell.strip() for cell in header):
        raise UnreadableFile("The file is empty: the first row must name the columns.", field="file")
    columns = [column_key(cell) for cell in header]
    problems = _header_problems(header, columns)
    if problems:
        raise TableProblems(problems)
    # Trailing blank headings (a spreadsheet's empty columns) ask no cells of a row.
    width = max((index + 1 for index, column in enumerate(columns) if column), default=0)
    rows: list[tuple[int, dict[str, str]]] = []
    cells = len(columns)
    for number, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) >= limits.rows:
            raise UnreadableFile(f"The file has more than {limits.rows:,} rows, the most an import "
                                 "reads: split it into smaller files.", field="file")
        cells += len(record)
        if cells > limits.cells:
            raise UnreadableFile(f"The file has more than {limits.cells:,} cells, the most an import "
                                 "reads: split it into smaller files.", field="file")
        problems.extend(_shape_problems(number, record, len(columns), width, is_csv=is_csv))
        row: dict[str, str] = {}
        for index, column in enumerate(columns):
            if not column:
                continue
            cell = record[index] if index < len(record) else ""
            try:
                row[column] = _clean_cell(cell, multiline=column in multiline_columns, is_csv=is_csv)
            except TextRefused as refused:
                problems.append(CellProblem(number, column, refused.message))
        rows.append((number, row))
    if problems:
        raise TableProblems(problems)
    return Table(columns=columns, rows=rows)


def _header_problems(header: list[str], columns: list[str]) -> list[CellProblem]:
    problems = []
    first: dict[str, int] = {}
    for index, (cell, column) in enumerate(zip(header, columns, strict=True)):
        try:
            clean_text(cell, max_length=200)
        except TextRefused as refused:
            problems.append(CellProblem(1, column_letter(index), refused.message))
            continue
        if not column:
            continue
        if column in first:
            problems.append(CellProblem(1, column, (
                f"the column appears twice (columns {column_letter(first[column])} and "
                f"{column_letter(index)}): keep one, or the second would silently win")))
        else:
            first[column] = index
    return problems


def _shape_problems(number: int, record: list[str], columns: int, width: int, *,
                    is_csv: bool) -> list[CellProblem]:
    """A row with values beyond the header, or (CSV) missing cells the header names."""
    extra = [index for index in range(columns, len(record)) if record[index].strip()]
    if extra:
        return [CellProblem(number, column_letter(extra[0]), (
            f"the row has {len(record)} cells but the header names {width} columns: a cell "
            "holding the delimiter needs quotes around it"))]
    if is_csv and len(record) < width:
        return [CellProblem(number, None, (
            f"the row has {len(record)} cells but the header names {width} columns: a "
            "delimiter is missing, or a line was broken in two"))]
    return []


def _clean_cell(cell: str, *, multiline: bool, is_csv: bool) -> str:
    if is_csv and not multiline and ("\n" in cell or "\r" in cell):
        raise TextRefused("the cell runs over several lines: a quote is probably not closed "
                          "where it should be")
    return clean_text(cell, multiline=multiline, max_length=CELL_LIMIT).strip()
