"""Finding who an agenda means in the directory: the type-ahead picker's search, the
organization lookup, and people created on the spot (organization, function and email optional).

`organization_lookup` is the one place agendas match organization names to the directory;
it asks the directory's matcher (registry/matching.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import contains_eager

from eventmgr.countries import country_choices, country_key, country_name, parse_country
from eventmgr.errors import ValidationFailed
from eventmgr.extensions import db
from eventmgr.normalize import normalize_email, search_key
from eventmgr.registry import service as registry_service
from eventmgr.registry.enums import NameOrder, OrganizationKind
from eventmgr.registry.models import Organization, Person

SEARCH_LIMIT = 12
ORGANIZATION_LIMIT = 6
STATE_LIMIT = 4

OrganizationLookup = Callable[[str, str], Organization | None]


@dataclass(frozen=True)
class Candidate:
    """One answer of the picker: `value` is "person:12", "organization:3" or "state:KR"."""

    value: str
    kind: str
    label: str
    detail: str
    position: str = ""

    def as_json(self) -> dict:
        return {"value": self.value, "kind": self.kind, "label": self.label, "detail": self.detail,
                "position": self.position}


def _like_words(column, words: list[str]):
    return and_(*(column.like(f"%{_escape(word)}%", escape="\\") for word in words))


def _escape(text: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", text)


def person_candidate(person: Person) -> Candidate:
    organization = person.organization
    country = person.country or (organization.country if organization else None)
    detail = " · ".join(part for part in (
        (organization.name + (f" ({organization.acronym})" if organization.acronym else ""))
        if organization else "", country_name(country), person.email) if part)
    return Candidate(f"person:{person.id}", "person", person.display_name, detail or "No organization",
                     person.position)


def organization_candidate(organization: Organization) -> Candidate:
    label = organization.name + (f" ({organization.acronym})" if organization.acronym else "")
    detail = " · ".join(part for part in (organization.kind.label,
                                           country_name(organization.country or organization.state)) if part)
    return Candidate(f"organization:{organization.id}", "organization", label, detail)


def state_candidate(code: str) -> Candidate:
    return Candidate(f"state:{code}", "state", country_name(code), "State")


def search(term: str, *, limit: int = SEARCH_LIMIT) -> list[Candidate]:
    """People, then organizations, then States whose names hold every word typed (accents and
    case ignored; a person also by organization or email). Two queries, whatever the directory's size."""
    words = search_key(term or "").split()
    if not words:
        return []
    email = normalize_email(term)
    person_text = Person.search_key + " " + Organization.search_key
    people = db.session.scalars(
        select(Person).outerjoin(Organization, Organization.id == Person.organization_id)
        .where(or_(_like_words(person_text, words), _like_words(Person.search_key, words),
                   Person.email_key == email))
        .options(contains_eager(Person.organization))
        .order_by(Person.family_name, Person.given_name, Person.id).limit(limit)).all()
    organizations = db.session.scalars(
        # A State taking part as such is offered once, as a State (below).
        select(Organization).where(_like_words(Organization.search_key, words),
                                   Organization.kind != OrganizationKind.STATE)
        .order_by(Organization.name_key, Organization.id).limit(ORGANIZATION_LIMIT)).all()
    states = [code for code, name in country_choices()
              if all(word in search_key(name) for word in words)][:STATE_LIMIT]
    return ([person_candidate(p) for p in people] + [organization_candidate(o) for o in organizations]
            + [state_candidate(code) for code in states])


def resolve(value: str) -> dict:
    """The holder a picker value names, as add_holder's keyword arguments; {} if unknown."""
    kind, _, key = (value or "").partition(":")
    if kind == "state" and parse_country(key) == key.upper():
        return {"state": key.upper()}
    if kind in ("person", "organization") and key.isdigit():
        found = db.session.get(Person if kind == "person" else Organization, int(key))
        return {kind: found} if found is not None else {}
    return {}


# Short forms programmes print for States; other codes of three letters or fewer are more
# likely acronyms of organizations ("AG", "ITA").
SHORT_STATE_NAMES = {"usa", "us", "uk", "uae", "drc"}


def country_from_name(text: str) -> str | None:
    """A State named in full ("Republic of Korea", "USA"); short codes that could be acronyms
    ("AG", "ITA") are not taken for countries."""
    text = " ".join((text or "").split())
    if len(country_key(text)) <= 3 and country_key(text) not in SHORT_STATE_NAMES:
        return None
    return parse_country(text)


def organization_lookup() -> OrganizationLookup:
    """A matcher of organization names (and acronyms) against the whole directory, loaded once
    (2 queries): the directory's own rule (registry/matching.py: name, alternative names,
    acronym, legal forms ignored). The one organization lookup of agendas.
    """
    return registry_service.OrganizationIndex.whole_directory().match


# Words that tell what kind of body a new organization is; the organizer corrects it later.
KIND_WORDS = (
    (OrganizationKind.INTERNATIONAL, ("united nations", "organisation for", "organization for",
                                      "international atomic", "interpol", "world customs", "opcw",
                                      "committee established pursuant", "panel of experts", "unoda",
                                      "european commission", "european union", "secretariat")),
    (OrganizationKind.GOVERNMENT, ("ministry", "federal office", "department of", "office of", "government",
                                   "agency", "authority", "customs", "embassy", "permanent mission",
                                   "bundesamt", "auswärtiges amt", "federal foreign office")),
    (OrganizationKind.ACADEMIA, ("university", "universität", "college", "school of",
                                 "institute of technology")),
    (OrganizationKind.THINK_TANK, ("center for", "centre for", "institute", "foundation", "stimson",
                                   "sipri")),
    (OrganizationKind.INDUSTRY_ASSOCIATION, ("association", "federation", "verband", "chamber of",
                                             "council")),
    (OrganizationKind.COMPANY, (" gmbh", " ag", " ltd", " inc", " llc", " plc", " s.a.", " sa", " corp",
                                " corporation", " company", " group", " se", " bank", " kg")),
)


def guess_kind(name: str) -> OrganizationKind:
    text = f" {name.casefold()} "
    for kind, words in KIND_WORDS:
        if any(word in text for word in words):
            return kind
    return OrganizationKind.OTHER


def find_or_make_organization(name: str, acronym: str = "", *, country: str | None = None,
                              lookup: OrganizationLookup | None = None) -> Organization | None:
    """The directory organization so named, else a new one of a guessed kind ("" → None)."""
    name = " ".join((name or "").split())
    if not name:
        return None
    found = (lookup or organization_lookup())(name, acronym)
    if found is not None:
        return found
    return registry_service.find_or_create_organization(name, kind=guess_kind(name), country=country,
                                                        acronym=acronym)


def create_person_on_the_spot(*, family_name: str, given_name: str = "", honorific: str = "",
                              name_order: str | NameOrder = NameOrder.GIVEN_FAMILY, email: str = "",
                              organization: str = "", position: str = "") -> Person:
    """A person typed in on a session: the same email is the same person; without an email,
    a new directory entry (the picker shows namesakes first)."""
    if email:
        known = registry_service.get_person_by_email(email)
        if known is not None:
            return known
    try:
        order = NameOrder(name_order or NameOrder.GIVEN_FAMILY)
    except ValueError:
        raise ValidationFailed({"name_order": ["Choose a name order."]}) from None
    person = registry_service.create_person(
        email=email, given_name=given_name, family_name=family_name, honorific=honorific, position=position,
        organization=find_or_make_organization(organization), name_order=order)
    return person
