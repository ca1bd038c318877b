"""Reading the cells of a programme spreadsheet: days, times, lengths and kinds of items, in
the forms programmes write them. Each reader raises ValueError with a message for the user.
"""

from __future__ import annotations

import datetime as dt
import re

from eventmgr.agenda.enums import SessionKind

# A day cell saying there is no day yet.
NO_DAY = {"tbc", "tbd", "to be confirmed", "to be determined", "-", "—", "–", "?", "n/a", "none"}
MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names}
WEEKDAYS = {name: number for number, names in enumerate((
    ("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"), ("thursday", "thu", "thurs"),
    ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun"))) for name in names}
# The words that say what kind an item is, in the kind cell or, without one, its title; the
# more specific first ("Welcome dinner" is a reception, "Break-out groups" no break).
KIND_WORDS = (
    (SessionKind.RECEPTION, ("reception", "dinner", "cocktail", "gala", "site visit", "visit", "excursion",
                             "tour", "social")),
    (SessionKind.BREAKOUT, ("break-out", "breakout", "working group", "workshop", "parallel")),
    (SessionKind.BREAK, ("coffee", "lunch", "tea", "pause", "break")),
    (SessionKind.OPENING, ("opening", "welcome", "ouverture", "eröffnung", "registration")),
    (SessionKind.CLOSING, ("closing", "conclusion", "concluding", "wrap-up", "wrap up", "farewell")),
    (SessionKind.KEYNOTE, ("keynote",)),
    (SessionKind.PANEL, ("panel", "round table", "roundtable", "discussion", "dialogue", "debate")),
    (SessionKind.PLENARY, ("plenary", "talk", "lecture", "presentation", "session", "statement", "briefing")),
)
TIME_RANGE = re.compile(r"^\s*(.+?)\s*(?:–|—|-|to|until|bis)\s*(.+?)\s*$", re.IGNORECASE)


def is_blank(text: str) -> bool:
    return not (text or "").strip()


def parse_kind(text: str, title: str = "") -> SessionKind:
    """The kind named in the cell (a value or label, or a word of one), else guessed from the
    title; a plenary when nothing says."""
    cell = " ".join((text or "").casefold().replace("_", " ").split())
    if cell:
        for kind in SessionKind:
            if cell in (kind.value, kind.label.casefold()):
                return kind
        for kind, words in KIND_WORDS:
            if any(word in cell for word in words):
                return kind
        raise ValueError(f"Unknown kind “{text}”: use one of "
                         + ", ".join(kind.value for kind in SessionKind) + ".")
    lowered = f" {title.casefold()} "
    for kind, words in KIND_WORDS:
        if any(re.search(rf"\b{re.escape(word)}\b", lowered) for word in words):
            return kind
    return SessionKind.PLENARY


def _nearest_year(event, month: int, day: int) -> dt.date:
    years = (event.start_date.year - 1, event.start_date.year, event.start_date.year + 1)
    dates = []
    for year in years:
        try:
            dates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not dates:
        raise ValueError(f"There is no {day} of month {month}.")
    return min(dates, key=lambda date: abs((date - event.start_date).days))


def parse_day(text: str, event) -> dt.date | None:
    """A day as programmes write it: 2014-11-20, 20.11.2014, 20/11/2014, 20 November 2014,
    Thursday 20 November, November 20, 2014, "Day 2", 2, or a weekday of the event.
    "tbc" and the like mean no day yet (None)."""
    raw = " ".join((text or "").split())
    cell = raw.casefold().rstrip(".")
    if cell in NO_DAY:
        return None
    # A spreadsheet's date cell reads "2014-11-20 00:00:00".
    match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{2}:\d{2}(?::\d{2})?)?$", cell)
    if match:
        return _date(int(match.group(1)), int(match.group(2)), int(match.group(3)), raw)
    match = re.match(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})$", cell)
    if match:
        first, second, year = (int(g) for g in match.groups())
        year += 2000 if year < 100 else 0
        day, month = (second, first) if second > 12 >= first else (first, second)
        return _date(year, month, day, raw)
    match = re.match(r"^(?:day\s*)?(-?\d{1,2})$", cell)
    if match:
        return event.start_date + dt.timedelta(days=int(match.group(1)) - 1)
    words = [w for w in re.split(r"[\s,.]+", cell) if w]
    weekday = next((WEEKDAYS[w] for w in words if w in WEEKDAYS), None)
    words = [w for w in words if w not in WEEKDAYS]
    numbers = [int(w.rstrip("stndrh")) for w in words if re.fullmatch(r"\d{1,4}(st|nd|rd|th)?", w)]
    months = [MONTHS[w] for w in words if w in MONTHS]
    if months and numbers:
        day = next((n for n in numbers if n <= 31), None)
        year = next((n for n in numbers if n > 31), None)
        if day is None:
            raise ValueError(f"“{raw}” is not a day.")
        return _date(year, months[0], day, raw) if year else _nearest_year(event, months[0], day)
    if weekday is not None and not words:
        span = (event.end_date - event.start_date).days + 1
        matching = [event.start_date + dt.timedelta(days=n) for n in range(span)
                    if (event.start_date + dt.timedelta(days=n)).weekday() == weekday]
        if len(matching) == 1:
            return matching[0]
        raise ValueError(f"“{raw}” is not one day of the event: give the date.")
    raise ValueError(f"“{raw}” is not a day: write it as 2014-11-20 or 20 November 2014.")


def _date(year: int, month: int, day: int, raw: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"“{raw}” is not a date.") from None


def parse_time(text: str) -> dt.time | None:
    """09:00, 9:00, 9.00, 9h00, 9h, 0900, 9 am, 2:30 pm, 09:00:00, noon; empty or "tbc" → None."""
    cell = " ".join((text or "").casefold().split())
    if cell in NO_DAY or not cell:
        return None
    if cell in ("noon", "midday"):
        return dt.time(12)
    # A spreadsheet's date-and-time cell: take the time.
    cell = re.sub(r"^\d{4}-\d{2}-\d{2}[ t]", "", cell)
    match = re.fullmatch(
        r"(\d{1,2})(?:(?:[:.]|h)(\d{2})|h)?(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?|(\d{2})(\d{2})", cell)
    if not match or (match.group(2) is None and match.group(4) is None and "h" not in cell
                     and match.group(5) is None):
        raise ValueError(f"“{text}” is not a time: write it as 09:30.")
    if match.group(5) is not None:
        hour, minute = int(match.group(5)), int(match.group(6))
    else:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        meridiem = (match.group(4) or "").replace(".", "")
        if meridiem and not 1 <= hour <= 12:
            raise ValueError(f"“{text}” is not a time.")
        if meridiem == "pm" and hour != 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(f"“{text}” is not a time.")
    return dt.time(hour, minute)


def parse_time_range(text: str) -> tuple[dt.time | None, dt.time | None]:
    """A start cell may hold the whole range: "09:00–10:30", "9.00 - 10.30", "9:00 to 10:30"."""
    try:
        return parse_time(text), None
    except ValueError:
        match = TIME_RANGE.match(text or "")
        if not match:
            raise
    try:
        return parse_time(match.group(1)), parse_time(match.group(2))
    except ValueError:
        raise ValueError(f"“{text}” is not a time: write it as 09:30, or 09:00–10:30.") from None


def parse_minutes(text: str) -> int | None:
    """A length: 90, 90 min, 1:30, 1h30, 1.5 h, 2 hours; empty → None."""
    cell = " ".join((text or "").casefold().split())
    if not cell:
        return None
    match = re.fullmatch(r"(\d{1,4})\s*(?:m|min|mins|minutes?)?", cell)
    if match:
        minutes = int(match.group(1))
    else:
        match = re.fullmatch(r"(\d{1,2})\s*(?::|h|hours?\s*)\s*(\d{1,2})?\s*(?:m|min|mins|minutes?)?", cell)
        decimal = re.fullmatch(r"(\d{1,2}(?:[.,]\d+)?)\s*(?:h|hours?)", cell)
        if match:
            minutes = int(match.group(1)) * 60 + int(match.group(2) or 0)
        elif decimal:
            minutes = round(float(decimal.group(1).replace(",", ".")) * 60)
        else:
            raise ValueError(f"“{text}” is not a length: write minutes (90) or hours and minutes (1:30).")
    if not 0 < minutes <= 24 * 60:
        raise ValueError(f"“{text}” is not a length between 1 minute and 24 hours.")
    return minutes


def parse_flag(text: str) -> bool:
    return (text or "").strip().casefold() in {"yes", "y", "true", "1", "x", "side event", "side"}
