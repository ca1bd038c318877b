"""The directory's organizations: checking, reading typed names, matching, creating, editing.

Every entry point that takes an organization as typed (imports, the registration form,
invitations, the agenda's people) goes through `place_organization` or
`find_or_create_organization`: the name is read for what it says about States
(naming.py), then matched (matching.py), then created if nothing matched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from eventmgr.agenda import service as agenda_service
from eventmgr.countries import is_country_code, is_un_state
from eventmgr.errors import ValidationFailed
from eventmgr.extensions import db
from eventmgr.normalize import name_key, organization_key
from eventmgr.registry.enums import OrganizationKind, OrganizationSize, Sector
from eventmgr.registry.matching import OrganizationIndex, OrganizationMatch
from eventmgr.registry.models import Organization, OrganizationAlias, OrganizationSector, Person
from eventmgr.registry.naming import TypedOrganization, read_organization

GOVERNMENT_KINDS = (OrganizationKind.STATE, OrganizationKind.GOVERNMENT)
ALIAS_LIMIT = 300


def clean_aliases(aliases: Iterable[str], *, name: str = "") -> list[str]:
    """Alternative names trimmed, without blanks, repeats or the name itself (by match key)."""
    seen = {organization_key(name)} if name else set()
    cleaned = []
    for alias in aliases:
        alias = " ".join((alias or "").split())
        key = organization_key(alias)
        if alias and key and key not in seen:
            seen.add(key)
            cleaned.append(alias)
    return cleaned


def clean_organization_fields(*, name: str, kind, country: str | None = None,
                              state: str | None = None, acronym: str = "",
                              sectors: Iterable = (), size=None, aliases: Iterable[str] = ()) -> dict:
    """Checked and normalised organization fields; raises ValidationFailed naming each field.

    An organization with a State belongs to it: it is a government authority whatever
    kind was given (a State taking part as such stays one). A government authority's
    State defaults to its country.
    """
    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())
    if not name:
        errors.setdefault("name", []).append("Give the organization a name.")
    elif len(name) > 300:
        errors.setdefault("name", []).append("A name may have at most 300 characters.")
    acronym = (acronym or "").strip()
    if len(acronym) > 40:
        errors.setdefault("acronym", []).append("An acronym may have at most 40 characters.")
    try:
        kind = OrganizationKind(kind)
    except ValueError:
        errors.setdefault("kind", []).append("Choose a kind of organization.")
    codes = {}
    for field, value in (("country", country), ("state", state)):
        value = (value or "").strip().upper() or None
        if value and not is_country_code(value):
            errors.setdefault(field, []).append("Choose a country from the list.")
        codes[field] = value
    try:
        sector_set = {Sector(s) for s in sectors}
    except ValueError:
        errors.setdefault("sectors", []).append("Choose sectors from the list.")
        sector_set = set()
    try:
        size = OrganizationSize(size) if size else None
    except ValueError:
        errors.setdefault("size", []).append("Choose a size from the list.")
    alias_list = clean_aliases(aliases, name=name)
    if any(len(alias) > ALIAS_LIMIT for alias in alias_list):
        errors.setdefault("aliases", []).append(f"An alternative name may have at most {ALIAS_LIMIT} "
                                                "characters.")
    if not errors and kind is OrganizationKind.STATE:
        codes["state"] = codes["state"] or codes["country"]
        if not is_un_state(codes["state"]):
            errors.setdefault("state", []).append(
                "A State taking part as such needs its State: choose a UN member or observer State.")
        else:
            codes["country"] = codes["state"]
    if errors:
        raise ValidationFailed(errors)
    if codes["state"] and kind is not OrganizationKind.STATE:
        kind = OrganizationKind.GOVERNMENT
    if kind is OrganizationKind.GOVERNMENT:
        codes["state"] = codes["state"] or codes["country"]
    return {"name": name, "acronym": acronym, "kind": kind, **codes, "sectors": sector_set,
            "size": size, "aliases": alias_list}


def _set_sectors(organization: Organization, sectors: set[Sector]) -> None:
    existing = {link.sector: link for link in organization.sector_links}
    organization.sector_links = [existing.get(s) or OrganizationSector(sector=s)
                                 for s in sorted(sectors, key=list(Sector).index)]


def add_aliases(organization: Organization, names: Iterable[str]) -> list[str]:
    """Give an organization more alternative names; its own name and the known ones are skipped."""
    known = {organization_key(organization.name), *(alias.match_key for alias in organization.aliases)}
    added = []
    for name in clean_aliases(names):
        key = organization_key(name)
        if key not in known:
            known.add(key)
            added.append(name)
            organization.aliases.append(OrganizationAlias(name=name, match_key=key))
    return added


def _set_aliases(organization: Organization, names: list[str]) -> None:
    wanted = {organization_key(n): n for n in names}
    kept = [a for a in organization.aliases if a.match_key in wanted]
    have = {a.match_key for a in kept}
    organization.aliases = kept + [OrganizationAlias(name=n, match_key=k)
                                   for k, n in wanted.items() if k not in have]


def _already_listed(name: str, state: str | None, kind: OrganizationKind,
                    exclude_id: int | None = None) -> Organization | None:
    """An entry with this exact name (for government bodies: of the same State)."""
    query = select(Organization).where(Organization.name_key == name_key(name))
    if kind in GOVERNMENT_KINDS:
        query = query.where(Organization.state == state) if state else query.where(
            Organization.state.is_(None))
    if exclude_id is not None:
        query = query.where(Organization.id != exclude_id)
    return db.session.scalars(query.limit(1)).first()


def _new_organization(cleaned: dict) -> Organization:
    sectors, aliases = cleaned.pop("sectors"), cleaned.pop("aliases")
    organization = Organization(name_key=name_key(cleaned["name"]), **cleaned)
    _set_sectors(organization, sectors)
    organization.aliases = []
    add_aliases(organization, aliases)
    return organization


def create_organization(**fields) -> Organization:
    """A new directory organization (fields as clean_organization_fields takes them).

    The name is read first (`naming.read_organization`): "Government of Chile" makes the
    State's entry, "Ministry of Foreign Affairs of Chile" a body under Chile.
    """
    typed = read_organization(fields.get("name", ""), fields.get("kind"), country=fields.get("country"),
                              state=fields.get("state"), acronym=fields.get("acronym", ""))
    cleaned = clean_organization_fields(**(fields | {
        "name": typed.name, "kind": typed.kind or fields.get("kind"), "country": typed.country,
        "state": typed.state, "acronym": typed.acronym,
        "aliases": [*fields.get("aliases", ()), *filter(None, [typed.typed_name])]}))
    if _already_listed(cleaned["name"], cleaned["state"], cleaned["kind"]) is not None:
        raise ValidationFailed({"name": [f"“{cleaned['name']}” is already in the directory."]})
    organization = _new_organization(cleaned)
    db.session.add(organization)
    db.session.flush()
    return organization


@dataclass
class Placement:
    """Where a typed organization went: a directory entry, matched (and how) or new."""

    organization: Organization
    typed: TypedOrganization
    match: OrganizationMatch | None
    created: bool
    kind: OrganizationKind  # the kind the typed fields make (a body of a State: government)


def _typed_and_cleaned(name: str, *, kind, country, state, acronym, sectors, size, aliases):
    typed = read_organization(name, kind, country=country, state=state, acronym=acronym)
    cleaned = clean_organization_fields(name=typed.name, kind=typed.kind, country=typed.country,
                                        state=typed.state, acronym=typed.acronym, sectors=sectors,
                                        size=size, aliases=[*aliases, *filter(None, [typed.typed_name])])
    return typed, cleaned


def candidate_index(name: str, *, kind, country: str | None = None, state: str | None = None,
                    acronym: str = "", sectors: Iterable = (), size=None,
                    aliases: Iterable[str] = ()) -> OrganizationIndex:
    """The directory rows place_organization would match these fields against (2 queries, reads
    only), for a caller that reads them before taking a lock and passes them as its `index`."""
    _, cleaned = _typed_and_cleaned(name, kind=kind, country=country, state=state, acronym=acronym,
                                    sectors=sectors, size=size, aliases=aliases)
    return OrganizationIndex.candidates_for(cleaned["name"], cleaned["acronym"], cleaned["aliases"])


def place_organization(name: str, *, kind, country: str | None = None, state: str | None = None,
                       acronym: str = "", sectors: Iterable = (), size=None,
                       aliases: Iterable[str] = (), index: OrganizationIndex | None = None,
                       same_as: Organization | None = None) -> Placement:
    """Find the typed organization in the directory (matching.py), else create it.

    A match keeps its own kind, name and codes; blanks (acronym, country, State, size)
    are filled from the arguments, sectors and alternative names are added, never
    removed, and the name as typed, if new to it, becomes an alternative name.
    `same_as` is the organizer's answer that this name is that entry. Bulk callers pass
    an `index` of the directory (new organizations are added to it) to spare queries.
    """
    typed, cleaned = _typed_and_cleaned(name, kind=kind, country=country, state=state, acronym=acronym,
                                        sectors=sectors, size=size, aliases=aliases)
    single = index is None
    if single:
        index = OrganizationIndex.candidates_for(cleaned["name"], cleaned["acronym"], cleaned["aliases"])
    match = None
    if same_as is not None:
        match = OrganizationMatch(same_as, "choice")
    else:
        match = index.find(cleaned["name"], cleaned["acronym"], aliases=cleaned["aliases"],
                           country=cleaned["country"], state=cleaned["state"], kind=cleaned["kind"])
    if match is None:
        organization = _new_organization(cleaned)
        db.session.add(organization)
        index.add(organization)
        if single:
            db.session.flush()
        return Placement(organization, typed, None, True, cleaned["kind"])
    organization = match.organization
    blanks = {"acronym": cleaned["acronym"], "country": cleaned["country"], "size": cleaned["size"]}
    if organization.kind in GOVERNMENT_KINDS:
        blanks["state"] = cleaned["state"] or organization.country or cleaned["country"]
    for field, value in blanks.items():
        # Only blanks are set: an entry left as it was is not made dirty (a flush for nothing).
        if value and not getattr(organization, field):
            setattr(organization, field, value)
    # No sectors typed (the public form has none): the entry's own are not even loaded.
    if cleaned["sectors"] and not cleaned["sectors"] <= set(organization.sectors):
        _set_sectors(organization, set(organization.sectors) | cleaned["sectors"])
    # The name as typed becomes an alternative name, unless it is the acronym or the State.
    typed_names = [cleaned["name"]] if match.by not in ("acronym", "state") else []
    added = add_aliases(organization, [*typed_names, *cleaned["aliases"]])
    index.add_names(organization, added, "alias")
    index.add_acronym(organization, organization.acronym)
    return Placement(organization, typed, match, False, cleaned["kind"])


def find_or_create_organization(name: str, **fields) -> Organization:
    """The organization matched by name, alias or acronym (matching.py), else a new one.

    Takes place_organization's arguments.
    """
    return place_organization(name, **fields).organization


def update_organization(organization: Organization, **fields) -> None:
    """Change an organization; every field is checked before any is written."""
    merged = {"name": organization.name, "kind": organization.kind, "country": organization.country,
              "state": organization.state, "acronym": organization.acronym,
              "sectors": organization.sectors, "size": organization.size,
              "aliases": organization.alias_names} | fields
    cleaned = clean_organization_fields(**merged)
    if _already_listed(cleaned["name"], cleaned["state"], cleaned["kind"], organization.id) is not None:
        raise ValidationFailed({"name": [f"“{cleaned['name']}” is already in the directory."]})
    _set_sectors(organization, cleaned.pop("sectors"))
    _set_aliases(organization, cleaned.pop("aliases"))
    renamed = cleaned["name"] != organization.name
    for key, value in cleaned.items():
        setattr(organization, key, value)
    organization.name_key = name_key(cleaned["name"])
    db.session.flush()
    if renamed:
        agenda_service.speakers_changed(select(Person.id).where(Person.organization_id == organization.id),
                                        f"Organization renamed “{organization.name}”",
                                        organizations=[organization.id])
