"""Dates as UN documents write them.

`un_dates` is the phrase inside a sentence: "on 20 November 2014", "on 20 and 21 November
2014", "from 17 to 19 June 2013", "from 30 June to 2 July 2013", "from 30 December 2014 to
2 January 2015". `date_span` is the same span for a title line, without the preposition.
"""

from __future__ import annotations

import datetime as dt


def long_date(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def _pair(start: dt.date, end: dt.date, joiner: str) -> str:
    if start.year != end.year:
        return f"{long_date(start)}{joiner}{long_date(end)}"
    if start.month != end.month:
        return f"{start.day} {start:%B}{joiner}{long_date(end)}"
    return f"{start.day}{joiner}{long_date(end)}"


def date_span(start: dt.date, end: dt.date) -> str:
    """ "20 November 2014", "20 and 21 November 2014", "17 to 19 June 2013"."""
    if end <= start:
        return long_date(start)
    return _pair(start, end, " and " if (end - start).days == 1 else " to ")


def un_dates(start: dt.date, end: dt.date) -> str:
    """The span with its preposition: "on" for one or two days, "from … to" for more."""
    if end <= start or (end - start).days == 1:
        return f"on {date_span(start, end)}"
    return f"from {date_span(start, end)}"
