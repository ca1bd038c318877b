"""The staff timetable of one day: a grid of rooms × five-minute rows, as table cells.

Each room's items that overlap share one cell (a clash the grid shows), spanning their
rows; the free time between is cut into cells of at most a quarter of an hour, the drop
targets of drag and drop. A table needs neither inline styles (the CSP forbids them) nor
script to be read, printed or used with the keyboard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from eventmgr.agenda import timing

STEP = dt.timedelta(minutes=5)
ROWS_PER_QUARTER = 3
DAY_FROM, DAY_TO = dt.time(8), dt.time(18)
# An item with an open end is drawn this long.
OPEN_END_DRAWN = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class Column:
    room_id: int | None
    name: str


@dataclass
class Cell:
    column: Column
    row: int
    rows: int
    time: dt.time
    items: list = field(default_factory=list)

    @property
    def is_free(self) -> bool:
        return not self.items

    @property
    def minutes(self) -> int:
        return self.rows * 5


@dataclass
class Row:
    time: dt.time
    cells: list[Cell]
    # The time label spans a quarter of an hour: shown on its first row only.
    label_rows: int = 0


@dataclass
class Grid:
    day: dt.date
    columns: list[Column]
    rows: list[Row]
    clashes: dict[int, list[timing.Clash]]
    start: dt.datetime


def _local(moment: dt.datetime, zone) -> dt.datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def _drawn_end(session, zone, day_end: dt.datetime) -> dt.datetime:
    if session.ends_at is None:
        return min(_local(session.starts_at, zone) + OPEN_END_DRAWN, day_end)
    end = _local(session.ends_at, zone)
    return min(end, day_end)


def build_grid(event, day: dt.date, rooms: Sequence, sessions: Sequence) -> Grid:
    """The grid of `day` for the timed, not cancelled `sessions` of that day (with their people)."""
    zone = event.zone
    timed = [s for s in sessions if s.starts_at is not None and not s.is_cancelled]
    columns = [Column(room.id, room.name) for room in rooms]
    if any(s.room_id is None for s in timed) or not columns:
        columns.append(Column(None, "No room"))
    midnight = dt.datetime.combine(day, dt.time(0))
    day_end = midnight + dt.timedelta(days=1)
    first = min([dt.datetime.combine(day, DAY_FROM), *(_local(s.starts_at, zone) for s in timed)])
    last = max([dt.datetime.combine(day, DAY_TO), *(_drawn_end(s, zone, day_end) for s in timed)])
    start = max(first.replace(minute=0), midnight)
    whole_hour = last if last == last.replace(minute=0) else last.replace(minute=0) + dt.timedelta(hours=1)
    end = min(whole_hour, day_end)
    count = (end - start) // STEP

    def row_of(moment: dt.datetime) -> int:
        return max(0, min(count, (moment - start) // STEP))

    def row_after(moment: dt.datetime) -> int:
        return max(0, min(count, -((start - moment) // STEP)))

    cells_by_column: dict[int | None, dict[int, Cell]] = {}
    for column in columns:
        placed: dict[int, Cell] = {}
        items = sorted((s for s in timed if s.room_id == column.room_id), key=lambda s: s.starts_at)
        cluster: list = []
        cluster_end = None
        taken = 0  # rows used by the previous cell: times off the five-minute grid may round into it
        for item in [*items, None]:
            item_start = _local(item.starts_at, zone) if item else None
            if cluster and (item is None or item_start >= cluster_end):
                first_row = max(row_of(_local(cluster[0].starts_at, zone)), taken)
                if first_row >= count:  # squeezed out at the end of the day: shown with the cell before
                    placed[max(placed)].items.extend(cluster)
                else:
                    last_row = min(max(first_row + 1, row_after(cluster_end)), count)
                    taken = last_row
                    placed[first_row] = Cell(column, first_row, last_row - first_row,
                                             (start + first_row * STEP).time(), cluster)
                cluster, cluster_end = [], None
            if item is not None:
                cluster.append(item)
                item_end = _drawn_end(item, zone, day_end)
                cluster_end = item_end if cluster_end is None else max(cluster_end, item_end)
        cells_by_column[column.room_id] = placed
    rows = []
    covered: dict[int | None, int] = {column.room_id: 0 for column in columns}
    for index in range(count):
        cells = []
        for column in columns:
            if index < covered[column.room_id]:
                continue
            cell = cells_by_column[column.room_id].get(index)
            if cell is None:
                # Free time up to the next quarter of an hour, or to the next item.
                stop = index + ROWS_PER_QUARTER - index % ROWS_PER_QUARTER
                following = [row for row in cells_by_column[column.room_id] if row > index]
                stop = min([stop, count, *following])
                cell = Cell(column, index, stop - index, (start + index * STEP).time())
            covered[column.room_id] = index + cell.rows
            cells.append(cell)
        rows.append(Row((start + index * STEP).time(), cells,
                        ROWS_PER_QUARTER if index % ROWS_PER_QUARTER == 0 else 0))
    return Grid(day=day, columns=columns, rows=rows, clashes=timing.clashes_among(timed),
                start=dt.datetime.combine(day, dt.time(0)))
