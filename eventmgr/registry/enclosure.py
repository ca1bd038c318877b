"""The UN-style "List of participants" enclosure (DESIGN §4): grouping, order and formats.

Which registrations count (`counted_registrations_filter`): until the event is held,
the confirmed ones. Once its status is HELD or REPORTED, the confirmed ones not marked
no-show, plus those marked attended whatever their status (a walk-in still pending, say),
so the list of a past event is who came, and still complete where check-in was not used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, delete, or_, select

from eventmgr.countries import country_name
from eventmgr.documents.dates import date_span
from eventmgr.documents.meta import organizing_office
from eventmgr.documents.template import DocumentSetup, UNDocument
from eventmgr.extensions import db
from eventmgr.registry.enums import (
    Attendance,
    EnclosureLayout,
    ListCategory,
    OrganizationKind,
    RegistrationStatus,
)
from eventmgr.registry.models import EnclosureOrder, Organization, Registration
from eventmgr.registry.service import alphabetical_key
from eventmgr.series.enums import EventStatus
from eventmgr.series.models import Event

HELD_STATUSES = (EventStatus.HELD, EventStatus.REPORTED)
DEFAULT_HEADING = "List of participants"


def full_stop(text: str) -> str:
    """The text ended by a full stop, unless it ends with one already ("Acme Inc.", "Orano, S.A.")."""
    text = text.rstrip()
    return text if not text or text.endswith(".") else text + "."


@dataclass
class EnclosureParagraph:
    category: ListCategory
    heading: str
    entries: list[str]

    @property
    def body(self) -> str:
        """The entries as one sentence, in UN punctuation: commas between entries, a full stop
        at the end that a last name ending in one ("Acme Inc.") does not double."""
        return full_stop(", ".join(self.entries))


@dataclass
class ListedOrganization:
    """One organization as the enclosure lists it: its State group and place in the order."""

    id: int
    name: str
    category: ListCategory
    country: str | None
    state: str | None
    position: int | None
    # A State taking part as such: it is its group's heading, not an entry in it.
    is_state: bool = False

    @property
    def entry(self) -> str:
        if self.is_state:
            return country_name(self.state)
        if self.category in (ListCategory.INDUSTRY, ListCategory.OTHERS) and self.country:
            return f"{self.name} ({country_name(self.country)})"
        return self.name

    @property
    def sort_key(self) -> tuple:
        # Hand-placed organizations first in their order, then the rest alphabetically.
        return (self.position is None, self.position or 0, alphabetical_key(self.name), self.id)


def counted_registrations_filter(event: Event) -> ColumnElement[bool]:
    """The registrations of `event` that the enclosure, public list and composition count."""
    confirmed = Registration.status == RegistrationStatus.CONFIRMED
    if event.status in HELD_STATUSES:
        attended = Registration.attendance == Attendance.ATTENDED
        no_show = Registration.attendance == Attendance.NO_SHOW
        return and_(Registration.event_id == event.id,
                    or_(attended, and_(confirmed, or_(Registration.attendance.is_(None), ~no_show))))
    return and_(Registration.event_id == event.id, confirmed)


def listed_organizations(event: Event) -> list[ListedOrganization]:
    """Each organization with a counted registration, once per State it came for (2 queries).

    An organization listed under a State (a State taking part as such, a government
    authority) is listed under the State recorded on the registration, else the
    organization's State, else its country.
    """
    rows = db.session.execute(
        select(Organization.id, Organization.name, Organization.kind, Organization.country,
               Organization.state, Registration.state.label("registered_state"))
        .join(Registration, Registration.organization_id == Organization.id)
        .where(counted_registrations_filter(event))
        .distinct()
    ).all()
    positions = dict(db.session.execute(
        select(EnclosureOrder.organization_id, EnclosureOrder.position)
        .where(EnclosureOrder.event_id == event.id)
    ).all())
    listed: dict[tuple[int, str | None], ListedOrganization] = {}
    for row in rows:
        category = OrganizationKind(row.kind).category
        state = (row.registered_state or row.state or row.country
                 if category is ListCategory.STATES else None)
        if row.kind == OrganizationKind.STATE:
            state = row.state or row.country
        listed.setdefault((row.id, state), ListedOrganization(
            id=row.id, name=row.name, category=category, country=row.country, state=state,
            position=positions.get(row.id), is_state=row.kind == OrganizationKind.STATE))
    return sorted(listed.values(), key=lambda o: o.sort_key)


@dataclass
class EnclosureGroup:
    """The organizations listed together: a State's authorities, or a whole other paragraph."""

    category: ListCategory
    state: str | None
    organizations: list[ListedOrganization]

    @property
    def state_name(self) -> str:
        return country_name(self.state)

    @property
    def bodies(self) -> list[ListedOrganization]:
        """The organizations named in the group (not the State taking part as such)."""
        return [o for o in self.organizations if not o.is_state]

    @property
    def entry(self) -> str:
        """A State's entry: its name alone, or with its bodies in parentheses."""
        names = ", ".join(o.name for o in self.bodies)
        return f"{self.state_name} ({names})" if names else self.state_name


def group_organizations(organizations: Sequence[ListedOrganization]) -> list[EnclosureGroup]:
    """Sorted organizations in their groups, in enclosure order.

    Categories in ListCategory order; States in alphabetical order of their UN names,
    then government authorities with no State known.
    """
    groups: dict[tuple[ListCategory, str | None], list[ListedOrganization]] = {}
    for organization in organizations:
        groups.setdefault((organization.category, organization.state), []).append(organization)
    return sorted(
        (EnclosureGroup(category, state, members) for (category, state), members in groups.items()),
        key=lambda g: (list(ListCategory).index(g.category), g.state is None,
                       alphabetical_key(g.state_name)))


def group_entries(organizations: Sequence[ListedOrganization]) -> list[EnclosureParagraph]:
    """The enclosure paragraphs of sorted organizations, non-empty categories in order.

    A State taking part as such is listed by its name alone (`Armenia`); government
    authorities are grouped under their State (`Germany (A, B)`), the State's own
    delegation adding no name; an authority with no State known is listed by its name alone.
    """
    paragraphs: dict[ListCategory, EnclosureParagraph] = {}
    for group in group_organizations(organizations):
        paragraph = paragraphs.setdefault(group.category, EnclosureParagraph(
            category=group.category, heading=group.category.heading, entries=[]))
        if group.category is ListCategory.STATES and group.state:
            paragraph.entries.append(group.entry)
        else:
            paragraph.entries.extend(o.entry for o in group.organizations)
    return list(paragraphs.values())


def build_enclosure(event: Event) -> list[EnclosureParagraph]:
    """The enclosure of an event: one paragraph per non-empty category (2 queries)."""
    return group_entries(listed_organizations(event))


def _paragraph_text(paragraph: EnclosureParagraph) -> str:
    return f"{paragraph.heading}: {paragraph.body}"


def enclosure_text(paragraphs: Sequence[EnclosureParagraph],
                   layout: EnclosureLayout = EnclosureLayout.RUN_IN) -> str:
    """Plain text. Run-in, as in the 2014 report: one paragraph per category, blank lines
    between. One entry per line: each category's heading, then its entries, one a line."""
    if layout is EnclosureLayout.LINES:
        return "\n\n".join("\n".join([p.heading, *p.entries]) for p in paragraphs)
    return "\n\n".join(_paragraph_text(p) for p in paragraphs)


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!])")


def _markdown_escape(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def enclosure_markdown(paragraphs: Sequence[EnclosureParagraph],
                       layout: EnclosureLayout = EnclosureLayout.RUN_IN) -> str:
    """Markdown: each paragraph led by its heading in bold (one entry per line: a list under
    it); names escaped, never reformatted."""
    out = []
    for paragraph in paragraphs:
        heading = _markdown_escape(paragraph.heading)
        if layout is EnclosureLayout.LINES:
            items = "\n".join(f"- {_markdown_escape(entry)}" for entry in paragraph.entries)
            out.append(f"**{heading}**\n\n{items}")
        else:
            body = full_stop(", ".join(_markdown_escape(entry) for entry in paragraph.entries))
            out.append(f"**{heading}:** {body}")
    return "\n\n".join(out)


def add_enclosure_to_docx(document: UNDocument, paragraphs: Sequence[EnclosureParagraph],
                          layout: EnclosureLayout = EnclosureLayout.RUN_IN) -> None:
    """Append the enclosure's paragraphs to a UN document: each led by its category in bold —
    or, one entry per line, the category in bold alone and a paragraph per entry."""
    for paragraph in paragraphs:
        if layout is EnclosureLayout.LINES:
            document.paragraph().add_run(paragraph.heading).bold = True
            for entry in paragraph.entries:
                document.paragraph(entry)
            continue
        text = _paragraph_text(paragraph)
        lead = f"{paragraph.heading}:"
        block = document.paragraph()
        block.add_run(lead).bold = True
        block.add_run(text[len(lead):])


def enclosure_docx(event: Event, layout: EnclosureLayout = EnclosureLayout.RUN_IN) -> bytes:
    """The enclosure alone, in UN form: its label, its title, the event, the paragraphs."""
    document = UNDocument(DocumentSetup(
        title=f"{event.title} — {DEFAULT_HEADING}", author=organizing_office(event),
        running_head=event.title, running_date=date_span(event.start_date, event.end_date),
        subject=DEFAULT_HEADING))
    document.paragraph("Enclosure", "Label")
    document.paragraph(DEFAULT_HEADING, "Title")
    place = ", ".join(part for part in (event.venue_city, country_name(event.venue_country)) if part)
    document.lines([event.title, ", ".join(part for part in (date_span(event.start_date, event.end_date),
                                                             place) if part)], "Subtitle")
    add_enclosure_to_docx(document, build_enclosure(event), layout)
    return document.save()


# ---------------------------------------------------------------- the organizer's order

def move_organization(event: Event, organization_id: int, offset: int) -> None:
    """Move an organization up (-1) or down (+1) within its paragraph (or its State's group).

    The whole current order of the event is stored, so later additions (listed
    alphabetically after the placed ones) never reshuffle what was placed by hand.
    """
    organizations = listed_organizations(event)
    current = next((o for o in organizations if o.id == organization_id), None)
    if current is None:
        return
    # A State taking part as such heads its group: it is not moved among the bodies.
    group = [o for o in organizations
             if o.category is current.category and o.state == current.state and not o.is_state]
    if current not in group:
        return
    target = group.index(current) + offset
    if not 0 <= target < len(group):
        return
    # Positions are event-wide; only the order within a group matters, so swapping
    # the two neighbours in the whole list swaps them in their group.
    order = list(organizations)
    a, b = order.index(current), order.index(group[target])
    order[a], order[b] = order[b], order[a]
    existing = {row.organization_id: row for row in db.session.scalars(
        select(EnclosureOrder).where(EnclosureOrder.event_id == event.id))}
    for position, organization in enumerate(order):
        row = existing.get(organization.id)
        if row is None:
            row = existing[organization.id] = EnclosureOrder(event_id=event.id,
                                                             organization_id=organization.id)
            db.session.add(row)
        row.position = position
    db.session.flush()


def reset_order(event: Event) -> None:
    """Back to alphabetical order."""
    db.session.execute(delete(EnclosureOrder).where(EnclosureOrder.event_id == event.id))


def enclosure_file_text(paragraphs: Sequence[EnclosureParagraph], *, markdown: bool = False,
                        layout: EnclosureLayout = EnclosureLayout.RUN_IN) -> str:
    """A whole text or Markdown file: the "List of participants" heading, then the paragraphs."""
    if markdown:
        return f"# {DEFAULT_HEADING}\n\n{enclosure_markdown(paragraphs, layout)}\n"
    return f"{DEFAULT_HEADING}\n\n{enclosure_text(paragraphs, layout)}\n"
