"""A programme file of a fixed size for the import benchmark (bench/run.py): 3,000 items over
the bench event's three days, 40 rooms, each with a chair and two speakers written as
programmes print them; most people are in the bench directory (matched by name and
organization), some are new, some entries are States or functions alone, some items have
no time yet. The rows depend on the row number only."""

from __future__ import annotations

import csv
import datetime as dt
import io

from bench.dataset import DAYS, START_DATE

ITEMS = 3_000
ROOMS = 40
LENGTH = dt.timedelta(minutes=20)
COUNTRY_NAMES = ("Germany", "Republic of Korea", "Viet Nam", "United States of America")


def programme_file(items: int = ITEMS, *, directory_people: int, organizations: int) -> bytes:
    """CSV bytes; `directory_people` and `organizations` are the bench dataset's counts."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["day", "start", "end", "kind", "title", "room", "chair", "speakers"])
    per_day = -(-items // DAYS)
    for n in range(items):
        day, slot = divmod(n, per_day)
        room, turn = n % ROOMS, slot // ROOMS
        start = dt.datetime.combine(START_DATE + dt.timedelta(days=day), dt.time(8)) + turn * LENGTH
        untimed = n % 97 == 0
        writer.writerow(
            [
                (START_DATE + dt.timedelta(days=day)).isoformat(),
                "" if untimed else f"{start:%H:%M}",
                "" if untimed else f"{start + LENGTH:%H:%M}",
                ("panel", "plenary", "breakout")[n % 3],
                f"Item {n}: compliance in practice",
                f"Hall {room + 1}",
                _known(n, directory_people, organizations),
                "; ".join([_known(n + 7, directory_people, organizations), _other(n)]),
            ]
        )
    return buffer.getvalue().encode()


def _known(n: int, people: int, organizations: int) -> str:
    """A directory person as a programme prints them: "Given12 Family 12, Delegate, Organization …"."""
    person = n % people
    organization = person % organizations
    return (
        f"Given{person} Family {person}, Delegate, Organization {organization} (Division {organization % 7})"
    )


def _other(n: int) -> str:
    if n % 5 == 0:
        return ("Republic of Korea", "a representative of the host State")[n % 2]
    return f"Dr. New Speaker{n % 400}, Head of Unit, Programme Ministry {n % 40}, {COUNTRY_NAMES[n % 4]}"
