"""The words a drafter would otherwise correct every time: tense, editions, places, the
names of hosts and partners as a sentence carries them.

Everything is drawn from the event and its series; nothing here invents a fact.
"""

from __future__ import annotations

import datetime as dt
import enum

from eventmgr.countries import country_name
from eventmgr.documents.dates import date_span, un_dates
from eventmgr.series.enums import OrganizerRole
from eventmgr.series.models import Event

SMALL_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten", "eleven", "twelve")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
            "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
            "seventeenth", "eighteenth", "nineteenth", "twentieth")
# First words of names that read with "the" in a sentence ("the European Commission",
# "the Office for Disarmament Affairs"); company and proper names ("AREVA") take none.
ARTICLE_WORDS = frozenset((
    "academy", "agency", "association", "authority", "bureau", "caribbean", "centre", "center",
    "chamber", "commission", "committee", "conference", "council", "court", "delegation",
    "department", "directorate", "embassy", "european", "executive", "federal", "federation",
    "foundation", "government", "group", "high", "institute", "interagency",
    "international", "league", "mission", "ministry", "national", "network", "office",
    "organisation", "organization", "panel", "permanent", "programme", "project", "regional",
    "secretariat", "security", "special", "standing", "state", "united", "world",
))
# First words of event titles that are common nouns ("the third industry outreach conference").
COMMON_TITLE_WORDS = frozenset((
    "annual", "conference", "consultation", "dialogue", "expert", "forum", "industry",
    "international", "meeting", "outreach", "regional", "round", "seminar", "summit", "symposium",
    "workshop",
))
# Organization kinds that stand for a State in a sentence ("the Government of Germany").
STATE_KINDS = frozenset({"government", "state"})


class Tense(enum.StrEnum):
    FUTURE = "future"
    PRESENT = "present"
    PAST = "past"


def tense_on(event: Event, today: dt.date) -> Tense:
    """Before the event its report speaks of it in the future; during it, the present."""
    if today < event.start_date:
        return Tense.FUTURE
    return Tense.PRESENT if today <= event.end_date else Tense.PAST


def verb(tense: Tense, past: str, present: str, future: str) -> str:
    return {Tense.PAST: past, Tense.PRESENT: present, Tense.FUTURE: future}[tense]


def figure(count: int) -> str:
    """A count as a report writes it: in words up to twelve, then in figures."""
    return SMALL_NUMBERS[count] if 0 <= count < len(SMALL_NUMBERS) else f"{count:,}"


def ordinal(number: int) -> str:
    if 1 <= number <= len(ORDINALS):
        return ORDINALS[number - 1]
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def edition(event: Event) -> int | None:
    """The event's place in its series, by date (1 for the first); None if it is not listed."""
    events = sorted(event.series.events, key=lambda e: (e.start_date, e.id))
    return next((index + 1 for index, other in enumerate(events) if other.id == event.id), None)


def later_event(event: Event) -> Event | None:
    """The next event of the series, if one is planned."""
    later = [e for e in event.series.events if (e.start_date, e.id) > (event.start_date, event.id)]
    return min(later, key=lambda e: (e.start_date, e.id), default=None)


def series_name(event: Event) -> str:
    """The series as a sentence names it: "the Wiesbaden process" for
    "Wiesbaden process — industry outreach on resolution 1540 (2004)"."""
    name = event.series.name
    for separator in (" — ", " – ", ": "):
        name = name.split(separator)[0]
    return name if name.lower().startswith("the ") else f"the {name}"


def with_article(name: str) -> str:
    name = " ".join(name.split())
    first = name.split(" ", 1)[0]
    if name.lower().startswith("the ") or first.lower() not in ARTICLE_WORDS or first.isupper():
        return name
    return f"the {name}"


def join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def place(event: Event) -> str:
    """ "Frankfurt am Main, Germany"; the country alone or the city alone when only one is known."""
    return ", ".join(part for part in (event.venue_city, country_name(event.venue_country)) if part)


def in_place(event: Event) -> str:
    return f"in {place(event)}" if place(event) else ""


def when(event: Event) -> str:
    return un_dates(event.start_date, event.end_date)


def subtitle_dateline(event: Event) -> str:
    """ "20 and 21 November 2014, Frankfurt am Main, Germany"."""
    return ", ".join(part for part in (date_span(event.start_date, event.end_date), place(event)) if part)


def event_noun(event: Event) -> str:
    """The event's title as it reads after "the third": common nouns lower-cased."""
    title = " ".join(event.title.split())
    first, _, rest = title.partition(" ")
    if first.lower() in COMMON_TITLE_WORDS and not first.isupper():
        return f"{first.lower()} {rest}".strip()
    return title


def edition_phrase(event: Event) -> str:
    """ "the third industry outreach conference on resolution 1540 (2004)"."""
    number = edition(event)
    noun = event_noun(event)
    if noun[:1].islower() and number is not None:
        return f"the {ordinal(number)} {noun}"
    return f"the {ordinal(number)} conference of the series, “{noun}”" if number else f"“{noun}”"


def organization_phrase(organization) -> str:
    """An organizer as a sentence names it: a State's authority stands for its Government."""
    kind = getattr(organization.kind, "value", organization.kind)
    state = organization.state or organization.country
    if kind in STATE_KINDS and state:
        return f"the Government of {country_name(state)}"
    return with_article(organization.name)


def organizers_by_role(event: Event) -> dict[OrganizerRole, list[str]]:
    """The organizers' names in sentence form by role, each once, in the event's order."""
    grouped: dict[OrganizerRole, list[str]] = {role: [] for role in OrganizerRole}
    for link in event.organizers:
        phrase = organization_phrase(link.organization)
        if phrase not in grouped[link.role]:
            grouped[link.role].append(phrase)
    return grouped


def organized_sentences(event: Event, tense: Tense) -> list[str]:
    """ "The Government of Germany hosted the third … in Frankfurt am Main, Germany, on 20 and 21
    November 2014. The conference was organized in cooperation with the Office for … and with the
    support of the European Commission." """
    roles = organizers_by_role(event)
    hosts, partners = roles[OrganizerRole.HOST], roles[OrganizerRole.PARTNER]
    cooperating = roles[OrganizerRole.CO_ORGANIZER]
    where = ", ".join(part for part in (in_place(event), when(event)) if part)
    what = edition_phrase(event)
    if hosts:
        subject, action = join(hosts), verb(tense, "hosted", "is hosting", "will host") + f" {what}"
    else:
        subject, action = what, verb(tense, "took place", "is taking place", "will take place")
    first = f"{subject[0].upper()}{subject[1:]} {action} {where}."
    helpers = []
    if cooperating:
        helpers.append(f"in cooperation with {join(cooperating)}")
    if partners:
        helpers.append(f"with the support of {join(partners)}")
    if not helpers:
        return [first]
    organized = verb(tense, "was organized", "is organized", "will be organized")
    return [first, f"The conference {organized} {' and '.join(helpers)}."]
