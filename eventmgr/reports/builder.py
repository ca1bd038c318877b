"""Drafting the report: the text of each generated section, from the event and the registry.

A draft says only what was recorded: every sentence comes from the event, its series,
the registry or the rapporteurs' records, and a section with nothing recorded is drafted
empty (the editor flags it, the exports leave it out) rather than filled with words.
The tense follows the event's dates as on the day of drafting.

Pure functions of loaded data (the caller loads it with `queries.session_records`,
`compute_composition` and `build_enclosure`), so drafting runs a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.agenda.people import people_sentence
from eventmgr.registry.composition import Composition
from eventmgr.registry.enclosure import EnclosureParagraph, enclosure_markdown
from eventmgr.reports import wording
from eventmgr.reports.composition_text import composition_paragraph
from eventmgr.reports.enums import SectionKind
from eventmgr.reports.queries import SessionRecords
from eventmgr.reports.wording import Tense, verb
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
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def tense(self) -> Tense:
        return wording.tense_on(self.event, self.today)


def _paragraphs(*texts: str) -> str:
    return "\n\n".join(text.strip() for text in texts if text and text.strip())


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {' '.join(item.split())}" for item in items)


def background(data: DraftInput) -> str:
    event = data.event
    return _paragraphs(event.series.description, event.background)


def goals_and_composition(data: DraftInput) -> str:
    event, tense = data.event, data.tense
    theme = f" on the theme “{event.theme}”" if event.theme else ""
    where = ", ".join(part for part in (wording.in_place(event), wording.when(event)) if part)
    took_place = verb(tense, "took place", "is taking place", "will take place")
    what = f"{wording.edition_phrase(event)}{theme} {took_place} {where}."
    # The first event of a series has no tradition to follow yet.
    lead = (f"In the tradition of {wording.series_name(event)}, {what}" if (wording.edition(event) or 1) > 1
            else what[0].upper() + what[1:])
    goals = [goal.text for goal in event.goals]
    if goals:
        lead += f" The goals of the conference {verb(tense, 'were', 'are', 'are')}:"
    return _paragraphs(lead, _bullets(goals), composition_paragraph(data.composition, tense))


def key_findings(data: DraftInput) -> str:
    return _bullets([f.text for record in data.records for f in record.findings if f.is_key])


def highlights(data: DraftInput) -> str:
    """One subsection per session with notes or findings, in agenda order."""
    parts = []
    for record in data.records:
        session = record.session
        if session.kind in NON_SUBSTANTIVE or not (record.notes or record.findings):
            continue
        other_findings = [f.text for f in record.findings if not f.is_key]
        body = _paragraphs(*(note.body for note in record.notes), _bullets(other_findings))
        if body:
            # Who spoke, in the functions the programme gave them (rapporteurs write, they do not speak).
            speakers = people_sentence(session, leave_out=(SessionRoleKind.RAPPORTEUR,))
            parts.append(_paragraphs(f"### {session.title}", speakers, body))
    return "\n\n".join(parts)


def _recommendations_by_addressee(data: DraftInput) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for record in data.records:
        for recommendation in record.recommendations:
            grouped[recommendation.addressee].append(recommendation.text)
    return grouped


def next_steps(data: DraftInput) -> str:
    """Recommendations grouped by addressee, addressees in order of first mention."""
    return "\n\n".join(f"### Addressed to {addressee}\n\n{_bullets(texts)}"
                       for addressee, texts in _recommendations_by_addressee(data).items())


def conclusion(data: DraftInput) -> str:
    """Only what the records and the series hold: how many key findings, to whom next steps
    were addressed, and the next event if one is planned. Empty otherwise, for the drafter."""
    key = sum(1 for record in data.records for f in record.findings if f.is_key)
    addressees = list(_recommendations_by_addressee(data))
    sentences = []
    if key:
        findings = "one key finding" if key == 1 else f"{wording.figure(key)} key findings"
        steps = f" and next steps addressed to {wording.join(addressees)}" if addressees else ""
        sentences.append(f"The conference arrived at {findings}{steps}, set out above.")
    elif addressees:
        sentences.append(f"Next steps were addressed to {wording.join(addressees)}, as set out above.")
    following = wording.later_event(data.event)
    if sentences and following is not None:
        where = ", ".join(part for part in (wording.in_place(following), wording.when(following)) if part)
        takes_place = verb(wording.tense_on(following, data.today), "took place", "is taking place",
                           "will take place")
        sentences.append(f"The next conference of {wording.series_name(data.event)} {takes_place} {where}.")
    return " ".join(sentences)


def enclosure(data: DraftInput) -> str:
    return enclosure_markdown(data.enclosure) if data.enclosure else ""


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
    """The title block: theme, title, then "20 and 21 November 2014, Frankfurt am Main, Germany"."""
    lines = [event.theme, event.title, wording.subtitle_dateline(event)]
    return "\n".join(line for line in lines if line)


def letter_body(event: Event, *, organ: str = "", today: dt.date | None = None) -> str:
    """The transmittal letter's text, from the event's organizer roles; the drafter edits it."""
    tense = wording.tense_on(event, today or dt.date.today())
    first = " ".join(wording.organized_sentences(event, tense))
    if first.startswith("The "):
        first = "t" + first[1:]
    paragraphs = [f"Within the framework of {wording.series_name(event)}, {first}"]
    if event.theme:
        focused = verb(tense, "focused", "focuses", "will focus")
        paragraphs.append(f"The conference {focused} on the theme “{event.theme}”.")
    circulate = (f"have the present letter and its annex circulated as a document of the {organ}"
                 if organ else "circulate the present letter and its annex")
    paragraphs.append("The outcome of the discussions is summarized in the report attached to the "
                      f"present letter (see annex). I should be grateful if you would {circulate}.")
    return "\n\n".join(paragraphs)
