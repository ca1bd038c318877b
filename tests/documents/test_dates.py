"""UN date ranges: "on" for one or two days, "from … to" for more, across months and years."""

import datetime as dt

import pytest

from eventmgr.documents.dates import date_span, un_dates

D = dt.date


@pytest.mark.parametrize(("start", "end", "prose", "span"), [
    (D(2014, 11, 20), D(2014, 11, 20), "on 20 November 2014", "20 November 2014"),
    (D(2014, 11, 20), D(2014, 11, 21), "on 20 and 21 November 2014", "20 and 21 November 2014"),
    (D(2013, 6, 17), D(2013, 6, 19), "from 17 to 19 June 2013", "17 to 19 June 2013"),
    (D(2013, 6, 30), D(2013, 7, 2), "from 30 June to 2 July 2013", "30 June to 2 July 2013"),
    (D(2014, 11, 30), D(2014, 12, 1), "on 30 November and 1 December 2014",
     "30 November and 1 December 2014"),
    (D(2014, 12, 30), D(2015, 1, 2), "from 30 December 2014 to 2 January 2015",
     "30 December 2014 to 2 January 2015"),
    (D(2014, 12, 31), D(2015, 1, 1), "on 31 December 2014 and 1 January 2015",
     "31 December 2014 and 1 January 2015"),
    (D(2012, 4, 23), D(2012, 4, 25), "from 23 to 25 April 2012", "23 to 25 April 2012"),
])
def test_un_date_ranges(start, end, prose, span):
    assert un_dates(start, end) == prose
    assert date_span(start, end) == span
