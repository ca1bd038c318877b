"""Import of a programme: a spreadsheet (CSV or XLSX, via eventmgr.tabular) or a schedule file
(frab XML or JSON as pretalx and we write them, Indico's JSON export; agenda.schedule_files).

Reading gives items with their people entries (agenda.programme); matching finds each entry
in the directory (agenda.matching); writing puts everything in at once (agenda.writing), or
nothing: any error, or an ambiguous entry left unchosen, stops the import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from eventmgr.agenda import cells, matching, schedule_files, timing, writing
from eventmgr.agenda.entries import parse_entry, split_cell
from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.agenda.models import AgendaSession, Room, SessionRole
from eventmgr.agenda.programme import AgendaImport, Item, PeopleEntry
from eventmgr.localtime import LocalTimeError
from eventmgr.registry.imports import Issue
from eventmgr.registry.models import Organization, Person
from eventmgr.registry.service import check_email
from eventmgr.series.models import Event
from eventmgr.tabular import Table, read_table
from eventmgr.templating import counted
from eventmgr.text import too_long_message

# The columns of a programme file, with the other names programmes give them.
COLUMNS = {
    "day": ("day", "date", "jour", "tag", "datum"),
    "start": ("start", "starts", "from", "begin", "time", "start_time", "starts_at", "heure"),
    "end": ("end", "ends", "to", "until", "end_time", "ends_at"),
    "duration": ("duration", "length", "minutes", "dauer"),
    "kind": ("kind", "type", "format", "category"),
    "title": ("title", "session", "item", "topic", "subject", "titre", "titel"),
    "description": ("description", "abstract", "summary", "details", "notes"),
    "room": ("room", "location", "venue", "place", "salle", "raum"),
    "side_event": ("side_event", "side"),
}
ROLE_COLUMNS = {
    SessionRoleKind.CHAIR: ("chair", "chairs", "chairperson", "chairpersons", "chaired_by", "co_chairs"),
    SessionRoleKind.MODERATOR: ("moderator", "moderators", "moderated_by", "facilitator", "facilitators"),
    SessionRoleKind.SPEAKER: ("speaker", "speakers", "presenter", "presenters", "presented_by"),
    SessionRoleKind.PANELIST: ("panelist", "panelists", "panellist", "panellists", "panel"),
    SessionRoleKind.RAPPORTEUR: ("rapporteur", "rapporteurs"),
}


def _canonical(columns: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """File column → our column name; and the unknown ones."""
    names = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
    names |= {alias: role.value for role, aliases in ROLE_COLUMNS.items() for alias in aliases}
    mapping, unknown = {}, []
    for column in columns:
        if not column:
            continue
        if column in names and names[column] not in mapping.values():
            mapping[column] = names[column]
        else:
            unknown.append(column)
    return mapping, unknown


def read_spreadsheet(event: Event, table: Table) -> AgendaImport:
    """Items of a programme table in file order; every problem names its row and column.

    A blank day repeats the day above, as spreadsheets with merged day cells read; "tbc"
    says there is no day yet.
    """
    result = AgendaImport()
    mapping, unknown = _canonical(table.columns)
    for column in unknown:
        result.issues.append(Issue(1, column, "Unknown column, ignored.", "warning"))
    if "title" not in mapping.values():
        result.issues.append(Issue(1, "title", "The file needs a title column."))
        return result
    if not table.rows:
        result.issues.append(Issue(1, None, "The file has a header but no rows."))
        return result
    back = {ours: theirs for theirs, ours in mapping.items()}
    day: dt.date | None = None
    for number, raw in table.rows:
        row = {ours: raw.get(theirs, "") for theirs, ours in mapping.items()}

        def problem(column: str, message: str, level: str = "error", number=number) -> None:
            result.issues.append(Issue(number, back.get(column, column), message, level))

        title = " ".join(row.get("title", "").split())
        if not title:
            problem("title", "Required: this cell is empty.")
        try:
            kind = cells.parse_kind(row.get("kind", ""), title)
        except ValueError as error:
            problem("kind", str(error))
            kind = SessionKind.PLENARY
        if not cells.is_blank(row.get("day", "")):
            try:
                day = cells.parse_day(row["day"], event)
            except ValueError as error:
                problem("day", str(error))
        start = end = None
        try:
            start, end = cells.parse_time_range(row.get("start", ""))
        except ValueError as error:
            problem("start", str(error))
        try:
            end = cells.parse_time(row["end"]) if row.get("end", "").strip() else end
        except ValueError as error:
            problem("end", str(error))
        try:
            minutes = cells.parse_minutes(row.get("duration", ""))
        except ValueError as error:
            problem("duration", str(error))
            minutes = None
        item = Item(number, kind, title, description=row.get("description", "").strip(),
                    room=" ".join(row.get("room", "").split()),
                    is_side_event=cells.parse_flag(row.get("side_event", "")))
        _set_times(event, item, day, start, end, minutes, problem)
        for role in SessionRoleKind:
            for index, text in enumerate(split_cell(row.get(role.value, "")), start=1):
                item.people.append(PeopleEntry(f"r{number}.{role.value}.{index}", number,
                                               back.get(role.value, role.value), role, parse_entry(text)))
        result.items.append(item)
    return result


def _set_times(event: Event, item: Item, day, start, end, minutes, problem) -> None:
    """The item's day and times from the cells read; an end before the start past 18:00 means
    past midnight ("22:00–01:00")."""
    item.day = day
    if start is None:
        if end is not None or minutes is not None:
            problem("start", "An end or a length needs a start time.")
        return
    if day is None:
        problem("day", "An item with a time needs a day.")
        return
    try:
        item.starts_at = timing.local_to_utc(event, dt.datetime.combine(day, start))
    except LocalTimeError as error:
        problem("start", error.message)
        return
    if end is not None:
        ends = dt.datetime.combine(day, end)
        if end <= start:
            if start >= dt.time(18) and end <= dt.time(6):
                ends += dt.timedelta(days=1)
            else:
                problem("end", "The end must be after the start.")
                return
        try:
            item.ends_at = timing.local_to_utc(event, ends)
        except LocalTimeError as error:
            problem("end", error.message)
            return
        if minutes is not None and item.ends_at - item.starts_at != dt.timedelta(minutes=minutes):
            problem("duration", "The length differs from the start and end; the end is kept.", "warning")
    elif minutes is not None:
        item.ends_at = item.starts_at + dt.timedelta(minutes=minutes)


# ---------------------------------------------------------------- checking the items

def _too_long(item: Item) -> Iterable[Issue]:
    """Values longer than the column that keeps them (PostgreSQL would refuse them on writing)."""
    checks = [(item.row, "title", item.title, AgendaSession.title), (item.row, "room", item.room, Room.name)]
    for people in item.people:
        entry = people.entry
        checks += [(people.row, people.column, value, column) for value, column in (
            (entry.function, SessionRole.function), (entry.honorific, Person.honorific),
            (entry.given_name, Person.given_name), (entry.family_name, Person.family_name),
            (entry.organization, Organization.name))]
    for row, column, value, kept_in in checks:
        limit = kept_in.type.length
        if value and len(value) > limit:
            yield Issue(row, column, too_long_message(limit))


def check_items(event: Event, result: AgendaImport) -> None:
    """The rules every item follows, whatever file it came from: values that fit their columns,
    its day within the event's dates or the side-event margin (then it is a side event), an end
    after its start."""
    first, last = timing.agenda_window(event)
    for item in result.items:
        result.issues.extend(_too_long(item))
        if item.day is not None and not first <= item.day <= last:
            margin = timing.side_event_days()
            result.issues.append(Issue(item.row, "day", (
                f"{item.day:%d %B %Y} is outside the event ({event.start_date:%d %B} to "
                f"{event.end_date:%d %B %Y}) and more than {margin} days from it: side events may fall "
                f"at most {margin} days before or after.")))
        elif timing.is_outside_event(event, item.day):
            item.is_side_event = True
        if item.starts_at and item.ends_at and item.ends_at <= item.starts_at:
            result.issues.append(Issue(item.row, "end", "The end must be after the start."))
        if item.starts_at and item.day is None:
            item.day = timing.local_day(event, item.starts_at)
        for entry in item.people:
            if entry.entry.email:
                try:
                    check_email(entry.entry.email)
                except ValueError as error:
                    result.issues.append(Issue(entry.row, entry.column, str(error)))
    if result.side_events:
        result.issues.append(Issue(0, None, f"{counted(result.side_events, 'item')} will be marked as "
                                            f"{'a side event' if result.side_events == 1 else 'side events'} "
                                            "(outside the event's dates, or marked so).", "warning"))
    if result.untimed:
        result.issues.append(Issue(0, None, f"{counted(result.untimed, 'item')} without a time will show "
                                            "as “time to be confirmed”.", "warning"))


# ---------------------------------------------------------------- the whole import

def read(event: Event, data: bytes, filename: str) -> AgendaImport:
    """Read and check a programme file of any supported kind (nothing is written)."""
    name = filename.lower()
    if name.endswith((".xml", ".json")):
        result = schedule_files.read_schedule(event, data, filename)
    else:
        result = read_spreadsheet(event, read_table(data, filename))
    check_items(event, result)
    return result


def import_programme(event: Event, data: bytes, filename: str, actor, *,
                     choices: dict[str, str] | None = None, dry_run: bool = False) -> AgendaImport:
    """Read, check, match and (unless a dry run or anything is wrong) apply a programme file.
    The caller commits."""
    result = read(event, data, filename)
    if not result.errors:
        matching.match_people(result, choices)
        if not dry_run and any(entry.needs_choice for entry in result.entries):
            return result
        writing.apply(event, result, actor, dry_run=dry_run)
    return result
