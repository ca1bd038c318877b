"""Drafting the report: the text of each generated section, from the event and the registry.

Pure functions of loaded data (the caller loads it with `queries.session_records`,
`compute_composition` and `build_enclosure`), so drafting runs a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.agenda.people import people_sentence
from eventmgr.registry.composition import Composition
from eventmgr.registry.enclosure import EnclosureParagraph, enclosure_markdown
from eventmgr.reports.composition_text import composition_paragraph
from eventmgr.reports.enums import SectionKind
from eventmgr.reports.queries import SessionRecords
from eventmgr.series.models import Event

# The sections a fresh draft holds, in order.
DRAFT_ORDER = (SectionKind.BACKGROUND, SectionKind.GOALS_COMPOSITION, SectionKind.KEY_FINDINGS,
               SectionKind.HIGHLIGHTS, SectionKind.NEXT_STEPS, SectionKind.CONCLUSION,
               SectionKind.ENCLOSURE)
# Agenda items with nothing to report on.
NON_SUBSTANTIVE = (SessionKind.BREAK, SessionKind.RECEPTION)


@dataclass
class DraftInput:
    event: Event
    records: list[SessionRecords]
    composition: Composition
    enclosure: list[EnclosureParagraph]


def _paragraphs(*texts: str) -> str:
    return "\n\n".join(text.strip() for text in texts if text and text.strip())


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {' '.join(item.split())}" for item in items)


def event_dates(event: Event) -> str:
    start, end = event.start_date, event.end_date
    if start == end:
        dates = f"{start.day} {start:%B %Y}"
    elif (start.year, start.month) == (end.year, end.month):
        dates = f"{start.day} and {end.day} {end:%B %Y}" if (end - start).days == 1 else \
            f"{start.day} to {end.day} {end:%B %Y}"
    else:
        dates = f"{start.day} {start:%B} to {end.day} {end:%B %Y}"
    return dates


def held_in(event: Event) -> str:
    """For prose: "in Frankfurt am Main on 20 and 21 November 2014"."""
    return (f"in {event.venue_city} " if event.venue_city else "") + f"on {event_dates(event)}"


def background(data: DraftInput) -> str:
    event = data.event
    return _paragraphs(event.series.description, event.background)


def goals_and_composition(data: DraftInput) -> str:
    event = data.event
    theme = f" on the theme “{event.theme}”" if event.theme else ""
    goals = [goal.text for goal in event.goals]
    lead = (f"In the tradition of the {event.series.name}, the conference{theme} "
            f"took place {held_in(event)}.")
    if goals:
        lead += " It set out to:"
    return _paragraphs(lead, _bullets(goals), composition_paragraph(data.composition))


def key_findings(data: DraftInput) -> str:
    findings = [f.text for record in data.records for f in record.findings if f.is_key]
    return _bullets(findings) if findings else "No key findings have been recorded yet."


def highlights(data: DraftInput) -> str:
    """One subsection per session with notes or findings, in agenda order."""
    parts = []
    for record in data.records:
        session = record.session
        if session.kind in NON_SUBSTANTIVE or not (record.notes or record.findings):
            continue
        other_findings = [f.text for f in record.findings if not f.is_key]
        # Who spoke, in the functions the programme gave them (rapporteurs write, they do not speak).
        speakers = people_sentence(session, leave_out=(SessionRoleKind.RAPPORTEUR,))
        parts.append(_paragraphs(f"### {session.title}", speakers, *(note.body for note in record.notes),
                                 _bullets(other_findings)))
    return "\n\n".join(parts) if parts else "No session notes have been recorded yet."


def next_steps(data: DraftInput) -> str:
    """Recommendations grouped by addressee, addressees in order of first mention."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for record in data.records:
        for recommendation in record.recommendations:
            grouped[recommendation.addressee].append(recommendation.text)
    if not grouped:
        return "No recommendations have been recorded yet."
    return "\n\n".join(f"### Addressed to {addressee}\n\n{_bullets(texts)}"
                       for addressee, texts in grouped.items())


def conclusion(data: DraftInput) -> str:
    event = data.event
    return (f"The participants welcomed the exchange and the continuation of the {event.series.name}. "
            "The next steps set out above will be followed up at the next event of the series.")


def enclosure(data: DraftInput) -> str:
    return enclosure_markdown(data.enclosure) if data.enclosure else \
        "No participants are listed yet."


GENERATORS = {
    SectionKind.BACKGROUND: background,
    SectionKind.GOALS_COMPOSITION: goals_and_composition,
    SectionKind.KEY_FINDINGS: key_findings,
    SectionKind.HIGHLIGHTS: highlights,
    SectionKind.NEXT_STEPS: next_steps,
    SectionKind.CONCLUSION: conclusion,
    SectionKind.ENCLOSURE: enclosure,
}


def generated_text(kind: SectionKind, data: DraftInput) -> str:
    return GENERATORS[kind](data)


def report_subtitle(event: Event) -> str:
    lines = [event.title]
    if event.theme:
        lines.insert(0, event.theme)
    lines.append(", ".join(part for part in (event_dates(event), event.venue_city) if part))
    return "\n".join(lines)


LETTER_BODY = (
    "Within the framework of the {series}, the conference “{title}” took place {place}. "
    "It was organized by {organizers}.\n\n"
    "The outcome of the discussions is summarized in the report attached to this letter "
    "(see annex). We would be grateful if you would circulate the present letter and its annex."
)


def letter_body(event: Event) -> str:
    organizers = "; ".join(link.organization.name for link in event.organizers) or "its hosts"
    return LETTER_BODY.format(series=event.series.name, title=event.title, place=held_in(event),
                              organizers=organizers)
