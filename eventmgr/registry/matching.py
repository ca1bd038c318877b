"""Which directory organization a typed name designates: the one rule for every entry point.

The import, the registration form, the agenda's people and the invitations all ask
`match_organization` (one lookup) or an `OrganizationIndex` (many). A name matches

1. for a State taking part as such ("Government of Chile"), the State's entry;
2. an organization whose name or alternative name has the same key
   (`normalize.organization_key`: accents, case, punctuation, "the", British spellings
   and legal forms such as GmbH, S.A., e.V., LLC, Ltd ignored);
3. failing that, one whose acronym is the acronym given, the one in parentheses at the
   end of the name, or the name itself ("OPCW").

Names of government bodies are generic ("Ministry of Foreign Affairs"): a body of
another State never matches. A match by key, alias or acronym also needs the two
countries, where both are known, to agree for companies, associations and the like
("Merck KGaA" of Germany is not "Merck & Co." of the United States). When several
organizations qualify, the exact name wins, then the oldest entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from eventmgr.countries import state_participant
from eventmgr.extensions import db
from eventmgr.normalize import acronym_key, name_key, organization_key
from eventmgr.registry.enums import ListCategory, OrganizationKind
from eventmgr.registry.models import Organization, OrganizationAlias
from eventmgr.registry.naming import split_acronym

# How close two keys must be (rapidfuzz ratios, 0–100) to ask whether they are one body: the
# words of one nearly all in the other (token set), and the two not much longer than each
# other (token sort). Tuned on pairs from real lists: "US State Department" ~ "Department of
# State" (91, 84) is asked; the two UN regional centres for Africa and for Latin America
# (94, 77) are not.
SET_SIMILARITY = 85
SORT_SIMILARITY = 78
PLACE_BOUND = (ListCategory.INDUSTRY, ListCategory.OTHERS)


@dataclass(frozen=True)
class OrganizationMatch:
    organization: Organization
    # "state", "name", "alias" or "acronym": what the match was made on.
    by: str

    def describe(self, typed: str) -> str:
        """For the import preview: "“UNODA” matched “Office for Disarmament Affairs …” by acronym"."""
        if self.by == "name":
            return (f"“{typed}” matched “{self.organization.name}”: the same name but for spelling, "
                    "punctuation or legal form.")
        return f"“{typed}” matched “{self.organization.name}” by {self.by}."


def _acronym_candidates(name: str, acronym: str) -> set[str]:
    """Acronym keys a typed organization may be known by."""
    candidates = {acronym_key(acronym), acronym_key(split_acronym(name)[1])}
    if len(name) <= 15 and " " not in name.strip():
        candidates.add(acronym_key(name))
    return {c for c in candidates if len(c) >= 2}


def _name_keys(name: str, aliases: Iterable[str] = ()) -> list[str]:
    keys = [organization_key(name), organization_key(split_acronym(name)[0])]
    keys += [organization_key(alias) for alias in aliases]
    return list(dict.fromkeys(k for k in keys if k))


def _place(organization: Organization) -> str | None:
    return organization.state or organization.country


class OrganizationIndex:
    """Directory organizations by State, key (names and aliases) and acronym, for matching."""

    def __init__(self, organizations: Iterable[Organization] = ()) -> None:
        self.states: dict[str, Organization] = {}
        self.by_key: dict[str, list[tuple[Organization, str]]] = {}
        self.by_acronym: dict[str, list[Organization]] = {}
        self.organizations: list[Organization] = []
        # For similar(), which compares a new name with all of them: in the same order, each one's
        # name key, whether it is a State, and its place when indexed (a place only ever goes
        # from blank to set during an import, so a stale blank can only let one more candidate in).
        self.name_keys: list[str] = []
        self.comparable: list[tuple[bool, str | None]] = []
        for organization in sorted(organizations, key=lambda o: o.id or 0):
            self.add(organization)

    @classmethod
    def whole_directory(cls) -> OrganizationIndex:
        """Every organization with its aliases (2 queries), for imports."""
        return cls(db.session.scalars(select(Organization).options(selectinload(Organization.aliases))))

    @classmethod
    def candidates_for(cls, name: str, acronym: str = "", aliases: Iterable[str] = ()) -> OrganizationIndex:
        """An index of the few directory rows that could match this name (2 queries)."""
        keys = _name_keys(name, aliases)
        acronyms = {a.upper() for a in _acronym_candidates(name, acronym)}
        conditions = [Organization.match_key.in_(keys),
                      Organization.id.in_(select(OrganizationAlias.organization_id)
                                          .where(OrganizationAlias.match_key.in_(keys)))]
        if acronyms:
            # Acronyms are short: compare without dots on the database side too.
            conditions.append(func.upper(func.replace(Organization.acronym, ".", "")).in_(acronyms))
            conditions.append(func.upper(Organization.name).in_(acronyms))
        code = state_participant(name)
        if code:
            conditions.append((Organization.kind == OrganizationKind.STATE) & (Organization.state == code))
        return cls(db.session.scalars(select(Organization).where(or_(*conditions))
                                      .options(selectinload(Organization.aliases))))

    def add(self, organization: Organization) -> None:
        """Index an organization (a new one too: later rows of an import then match it)."""
        self.organizations.append(organization)
        self.name_keys.append(organization_key(organization.name))
        self.comparable.append((organization.kind is OrganizationKind.STATE, _place(organization)))
        if organization.kind is OrganizationKind.STATE and organization.state:
            self.states.setdefault(organization.state, organization)
        self.add_names(organization, [organization.name], "name")
        self.add_names(organization, [alias.name for alias in organization.aliases], "alias")
        self.add_acronym(organization, organization.acronym)
        if " " not in organization.name.strip() and len(organization.name) <= 15:
            self.add_acronym(organization, organization.name)

    def add_names(self, organization: Organization, names: Iterable[str], by: str) -> None:
        for name in names:
            key = organization_key(name)
            entries = self.by_key.setdefault(key, [])
            if key and all(entry is not organization for entry, _ in entries):
                entries.append((organization, by))

    def add_acronym(self, organization: Organization, acronym: str) -> None:
        key = acronym_key(acronym)
        if len(key) >= 2 and organization not in self.by_acronym.setdefault(key, []):
            self.by_acronym[key].append(organization)

    def find(self, name: str, acronym: str = "", *, aliases: Iterable[str] = (),
             country: str | None = None, state: str | None = None,
             kind: OrganizationKind | None = None) -> OrganizationMatch | None:
        """The organization a typed name designates, and by what; None if none does."""
        code = state_participant(name)
        if code is not None and (state is None or state == code):
            found = self.states.get(code)
            return OrganizationMatch(found, "state") if found else None
        place = state or country
        governmental = state is not None or kind in (OrganizationKind.GOVERNMENT, OrganizationKind.STATE)
        exact = name_key(name)

        def fits(organization: Organization, loose: bool) -> bool:
            if organization.kind is OrganizationKind.STATE:
                return False  # a State is matched by its name only (above)
            if organization.category is ListCategory.STATES or governmental:
                return place is None or _place(organization) in (None, place)
            if loose and organization.category in PLACE_BOUND and place and _place(organization):
                return _place(organization) == place
            return True

        def best(candidates: list[tuple[Organization, str]]) -> tuple[Organization, str] | None:
            usable = [(o, by) for o, by in candidates if fits(o, loose=o.name_key != exact)]
            usable.sort(key=lambda item: (item[0].name_key != exact, item[0].id or 0))
            return usable[0] if usable else None

        for key in _name_keys(name, aliases):
            found = best(self.by_key.get(key, []))
            if found:
                return OrganizationMatch(*found)
        for key in sorted(_acronym_candidates(name, acronym)):
            found = best([(o, "acronym") for o in self.by_acronym.get(key, [])])
            if found:
                return OrganizationMatch(*found)
        return None

    def match(self, name: str, acronym: str = "", **place) -> Organization | None:
        found = self.find(name, acronym, **place)
        return found.organization if found else None

    def similar(self, organization: Organization, limit: int = 3) -> list[Organization]:
        """Other indexed organizations that may be the same body (for the import's question)."""
        key = organization_key(organization.name)
        if len(key) < 4:
            return []
        # The keys made when each was indexed: an import asks this of every new organization, and
        # making the whole directory's keys again each time was most of a large import's time.
        places = (None, _place(organization)) if organization.category is ListCategory.STATES else None
        choices = {index: self.name_keys[index]
                   for index, (o, (is_state, place)) in enumerate(zip(self.organizations, self.comparable,
                                                                       strict=True))
                   if o is not organization and not is_state and (places is None or place in places)}
        found = process.extract(key, choices, scorer=fuzz.token_set_ratio, score_cutoff=SET_SIMILARITY,
                                limit=limit * 4)
        similar = []
        for _, _, index in sorted(found, key=lambda f: (-f[1], f[2])):
            candidate = self.organizations[index]
            # One name's words inside a much longer one is no evidence ("Institute").
            if (min(len(key.split()), len(choices[index].split())) >= 2 and candidate not in similar
                    and fuzz.token_sort_ratio(key, choices[index]) >= SORT_SIMILARITY):
                similar.append(candidate)
        return similar[:limit]


def match_organization(name: str, acronym: str = "", *, country: str | None = None,
                       state: str | None = None) -> Organization | None:
    """The directory organization this name (and acronym) designates, if any (2 queries).

    The one lookup of the directory by name: registration, agenda people, invitations.
    """
    return OrganizationIndex.candidates_for(name, acronym).match(name, acronym, country=country,
                                                                 state=state)
