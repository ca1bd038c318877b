"""CSV and XLSX of an event's registrations, with the columns the organizer chose.

Cells that a spreadsheet would run as a formula are neutralised (OWASP CSV injection):
in CSV a leading = + - @ TAB CR LF gets a quote mark; in XLSX every string is written
as a string cell, so nothing is ever evaluated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from eventmgr.countries import country_name
from eventmgr.registry.models import Registration

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters XML 1.0 forbids; openpyxl refuses them, and they have no place in a list.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    value: Callable[[Registration, ZoneInfo], str | bool | dt.datetime | None]


def _local(moment: dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    # Spreadsheets have no time zones: local time of the event, named in the header.
    return moment.astimezone(zone).replace(tzinfo=None, microsecond=0) if moment else None


def _country(registration: Registration) -> str:
    code = registration.state or (registration.organization.country if registration.organization else None)
    return country_name(code) if code else ""


COLUMNS: tuple[Column, ...] = (
    Column("honorific", "Honorific", lambda r, z: r.person.honorific),
    Column("given_name", "Given name", lambda r, z: r.person.given_name),
    Column("family_name", "Family name", lambda r, z: r.person.family_name),
    Column("email", "Email", lambda r, z: r.person.email),
    Column("position", "Position", lambda r, z: r.person.position),
    Column("organization", "Organization", lambda r, z: r.organization.name if r.organization else ""),
    Column("kind", "Kind", lambda r, z: r.organization.kind.label if r.organization else ""),
    Column("category", "Category", lambda r, z: r.organization.category.heading if r.organization else ""),
    Column("country", "Country or State", lambda r, z: _country(r)),
    Column("role", "Role", lambda r, z: r.role.label),
    Column("status", "Status", lambda r, z: r.status.label),
    Column("attendance", "Attendance", lambda r, z: r.attendance.label if r.attendance else ""),
    Column("dietary_needs", "Dietary needs", lambda r, z: r.dietary_needs),
    Column("access_needs", "Access needs", lambda r, z: r.access_needs),
    Column("visa_letter", "Visa letter", lambda r, z: r.visa_letter),
    Column("consent_to_list", "Consents to lists", lambda r, z: r.consent_to_list),
    Column("registered_at", "Registered (local time)", lambda r, z: _local(r.registered_at, z)),
    Column("checked_in_at", "Checked in (local time)", lambda r, z: _local(r.checked_in_at, z)),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
DEFAULT_COLUMNS = ("honorific", "given_name", "family_name", "email", "organization", "country",
                   "role", "status")


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


def registrations_csv(registrations: Sequence[Registration], columns: Sequence[Column],
                      zone: ZoneInfo) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads accents right), RFC 4180 quoting."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.header for column in columns])
    for registration in registrations:
        writer.writerow([_csv_text(column.value(registration, zone)) for column in columns])
    return buffer.getvalue().encode("utf-8-sig")


def registrations_xlsx(registrations: Sequence[Registration], columns: Sequence[Column],
                       zone: ZoneInfo, title: str = "Registrations") -> bytes:
    """One sheet, a header row, one row per registration; strings stay strings."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([column.header for column in columns])

    def cell(value):
        if isinstance(value, str):
            text = WriteOnlyCell(sheet, value=None)
            # Assigning the value would let openpyxl read "=…" as a formula; set it as text.
            text._value = XML_ILLEGAL.sub("", value)
            text.data_type = "s"
            return text
        if isinstance(value, bool):
            return "yes" if value else "no"
        return value

    for registration in registrations:
        sheet.append([cell(column.value(registration, zone)) for column in columns])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
