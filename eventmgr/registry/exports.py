"""CSV and XLSX of an event's registrations, with the columns the organizer chose.

Cells that a spreadsheet would run as a formula are neutralised (OWASP CSV injection):
in CSV a leading = + - @ TAB CR LF gets a quote mark; in XLSX every string is written
as a string cell (XlsxWriter, about twice as fast as openpyxl here), so nothing is
ever evaluated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import xlsxwriter

from eventmgr.countries import country_name
from eventmgr.gcpause import collector_paused
from eventmgr.registry.enums import NameStyle
from eventmgr.registry.models import person_name
from eventmgr.text import writable

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    # The cell of one record: a registration row (registration_queries.EXPORT_FIELDS) here,
    # an invitation for the invitation list.
    value: Callable[[Any, ZoneInfo], str | bool | int | dt.datetime | None]


def _local(moment: dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    # Spreadsheets have no time zones: local time of the event, named in the header.
    return moment.astimezone(zone).replace(tzinfo=None, microsecond=0) if moment else None


def _country(row) -> str:
    code = row.state or row.organization_country
    return country_name(code) if code else ""


COLUMNS: tuple[Column, ...] = (
    Column("honorific", "Honorific", lambda r, z: r.honorific),
    Column("given_name", "Given name", lambda r, z: r.given_name),
    Column("family_name", "Family name", lambda r, z: r.family_name),
    # As UN participant lists print names: "Mr. Arnold WALLRAFF", "Ms. LI Hong".
    Column("list_name", "Name (UN list style)", lambda r, z: person_name(
        r.honorific, r.given_name, r.family_name, r.name_order, NameStyle.UN_LIST)),
    Column("email", "Email", lambda r, z: r.email),
    Column("position", "Position", lambda r, z: r.position),
    Column("organization", "Organization", lambda r, z: r.organization_name or ""),
    Column("kind", "Kind", lambda r, z: r.organization_kind.label if r.organization_kind else ""),
    Column("category", "Category",
           lambda r, z: r.organization_kind.category.heading if r.organization_kind else ""),
    Column("country", "Country or State", lambda r, z: _country(r)),
    Column("role", "Role", lambda r, z: r.role.label),
    Column("status", "Status", lambda r, z: r.status.label),
    Column("attendance", "Attendance", lambda r, z: r.attendance.label if r.attendance else ""),
    Column("dietary_needs", "Dietary needs", lambda r, z: r.dietary_needs),
    Column("access_needs", "Access needs", lambda r, z: r.access_needs),
    Column("visa_letter", "Visa letter", lambda r, z: r.visa_letter),
    Column("consent_to_list", "Consents to lists", lambda r, z: r.consent_to_list),
    Column("registered_at", "Registered (local time)", lambda r, z: _local(r.registered_at, z)),
    Column("status_changed_at", "Status since (local time)", lambda r, z: _local(r.status_changed_at, z)),
    Column("checked_in_at", "Checked in (local time)", lambda r, z: _local(r.checked_in_at, z)),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
DEFAULT_COLUMNS = ("honorific", "given_name", "family_name", "email", "organization", "country",
                   "role", "status", "registered_at", "checked_in_at")


def choose_columns(keys: Iterable[str]) -> list[Column]:
    """The known columns among `keys`, in the order given; the default set when none is known."""
    chosen = [COLUMNS_BY_KEY[key] for key in dict.fromkeys(keys) if key in COLUMNS_BY_KEY]
    return chosen or [COLUMNS_BY_KEY[key] for key in DEFAULT_COLUMNS]


def neutralize(value: str) -> str:
    """A text cell no spreadsheet will take for a formula."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return neutralize(str(value))


@collector_paused()
def registrations_csv(registrations: Sequence, columns: Sequence[Column],
                      zone: ZoneInfo) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads accents right), RFC 4180 quoting."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.header for column in columns])
    for registration in registrations:
        writer.writerow([_csv_text(column.value(registration, zone)) for column in columns])
    return buffer.getvalue().encode("utf-8-sig")


@collector_paused()
def registrations_xlsx(registrations: Sequence, columns: Sequence[Column],
                       zone: ZoneInfo, title: str = "Registrations") -> bytes:
    """One sheet, a header row, one row per registration; strings stay strings, numbers and
    times are the spreadsheet's own (they sort and sum).

    XlsxWriter's write_string never makes a formula, whatever the text starts with.
    """
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True, "in_memory": True})
    sheet = workbook.add_worksheet(title[:31])
    bold = workbook.add_format({"bold": True})
    moment = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column.header, bold)
    for row, registration in enumerate(registrations, start=1):
        for col, column in enumerate(columns):
            value = column.value(registration, zone)
            if isinstance(value, dt.datetime):
                sheet.write_datetime(row, col, value, moment)
            elif isinstance(value, bool):
                sheet.write_string(row, col, "yes" if value else "no")
            elif isinstance(value, int | float):
                sheet.write_number(row, col, value)
            elif value:
                sheet.write_string(row, col, writable(str(value)))
    workbook.close()
    return output.getvalue()
