"""Reading the people of a programme as they are printed: one entry per person, organization,
State or function, e.g.

    Dr. Arnold Wallraff, President, Federal Office for Economic Affairs and Export Control (BAFA)
    Ms. LI Hong, Ministry of Commerce, China          (family name in capitals: written first)
    Republic of Korea                                  (a State on the panel)
    a representative of Toshiba                        (a function, of an organization)
    Chair of the TEM                                   (a function alone)

The parts are: name, then function(s), then organization, then country. Which part is
what is guessed from its words; the directory then decides (agenda.imports matches
entries, and a known organization or State wins over a guess).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from eventmgr.agenda.directory import country_from_name
from eventmgr.registry.enums import NameOrder

PERSON, ORGANIZATION, STATE, FUNCTION = "person", "organization", "state", "function"

HONORIFICS = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "he", "h.e", "hon", "rev", "sir", "dame",
    "amb", "ambassador", "judge", "gen", "general", "col", "capt", "admiral", "minister", "senator",
    "mme", "m", "herr", "frau", "dipl", "ing", "dipl.-ing", "phd", "lord", "lady", "excellency",
    "his", "her", "sr", "sra", "dott", "ir", "eng",
}
# Words that begin a function rather than a name ("President of BAFA", "a representative").
FUNCTION_WORDS = {
    "a", "an", "the", "president", "vice-president", "vice", "director", "director-general", "head",
    "chair", "chairman", "chairwoman", "chairperson", "co-chair", "minister", "deputy", "secretary",
    "secretary-general", "under-secretary-general", "officer", "manager", "adviser", "advisor",
    "representative", "representatives", "delegate", "delegation", "member", "members", "coordinator",
    "expert", "experts", "ceo", "cfo", "coo", "cto", "chief", "senior", "principal", "executive",
    "managing", "general", "legal", "counsellor", "counselor", "consul", "attaché", "attache",
    "special", "high", "permanent", "acting", "former", "moderator", "rapporteur", "speaker",
    "panellist", "panelist", "professor", "lecturer", "researcher", "analyst", "specialist",
    "programme", "program", "project", "team", "leader", "lead", "spokesperson", "commissioner",
    "ambassador", "envoy", "judge", "president-elect", "founder", "partner", "associate", "consultant",
    "staff", "official", "officials", "host", "organizers", "organisers", "participants",
}
PARTICLES = {"von", "van", "de", "der", "den", "du", "da", "di", "la", "le", "del", "della", "dos", "das",
             "zu", "ten", "ter", "bin", "binti", "al", "el", "y", "st.", "d'"}
# Endings that make a one-word entry an organization, not a surname.
COMPANY_ENDINGS = re.compile(
    r"\b(gmbh|ag|se|ltd|limited|inc|llc|plc|s\.?a\.?|corp|co\.|kg|bv|nv|oy|ab|spa)\.?$", re.IGNORECASE)
EMAIL = re.compile(r"<?\b([^\s<>@,;()]+@[^\s<>@,;()]+\.[^\s<>@,;()]+)\b>?")
PARENTHESIS_AT_END = re.compile(r"^(.*?)\s*\(([^()]+)\)\s*$")


@dataclass
class Entry:
    """One person, organization, State or function read from a programme."""

    text: str
    kind: str = PERSON
    honorific: str = ""
    given_name: str = ""
    family_name: str = ""
    name_order: NameOrder = NameOrder.GIVEN_FAMILY
    email: str = ""
    function: str = ""
    organization: str = ""
    acronym: str = ""
    country: str | None = None
    state: str | None = None
    # A one-word entry that may be a surname or a body: the directory decides.
    maybe_organization: bool = False
    # Set by schedule files whose people carry a stable id (our own exports), with the
    # function exactly as exported (not defaulted to a position).
    person_id: int | None = None
    organization_id: int | None = None
    exact_function: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)


def split_cell(cell: str) -> list[str]:
    """The entries of a people cell: separated by “;” or line breaks."""
    return [part.strip() for part in re.split(r"[;\n\r]+", cell or "") if part.strip()]


LEGAL_SUFFIX = re.compile(r"^(llc|ltd|limited|inc|gmbh|ag|plc|s\.?a\.?|corp|co\.?|kg|bv|nv|se)\.?$",
                          re.IGNORECASE)


def _split_parts(text: str) -> list[str]:
    """Comma-separated parts, keeping commas inside parentheses and before a legal form
    ("Compliance and Capacity International, LLC" is one part)."""
    if "(" not in text:
        parts = [part.strip() for part in text.split(",")]
        return _rejoin_legal_forms(parts)
    parts, depth, current = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return _rejoin_legal_forms(parts)


def _rejoin_legal_forms(parts: list[str]) -> list[str]:
    joined: list[str] = []
    for part in (part for part in parts if part):
        if joined and len(part) <= 8 and LEGAL_SUFFIX.match(part):
            joined[-1] = f"{joined[-1]}, {part}"
        else:
            joined.append(part)
    return joined


def _first_word(text: str) -> str:
    words = text.split()
    return words[0].casefold().rstrip(".,:") if words else ""


def looks_like_function(text: str) -> bool:
    first = _first_word(text)
    return bool(first) and (first in FUNCTION_WORDS or text[:1].islower())


def _is_caps(token: str) -> bool:
    return token.isupper() and sum(1 for c in token if c.isalpha()) >= 2


def _title(token: str) -> str:
    """WALLRAFF → Wallraff, O'NEILL → O'Neill; particles stay lower-case."""
    if token.casefold() in PARTICLES:
        return token.casefold()
    return "-".join("'".join(piece[:1].upper() + piece[1:].lower() for piece in part.split("'"))
                    for part in token.split("-"))


def parse_name(text: str) -> tuple[str, str, str, NameOrder]:
    """(honorific, given name, family name, order) of a written name.

    A family name in capitals says which it is and where it stands ("LI Hong", "Arnold
    WALLRAFF"); otherwise the family name is the last word, with its particles ("Ursula von
    der Leyen"), and a single word is a family name.
    """
    tokens = text.split()
    honorifics = []
    while len(tokens) > 1 and tokens[0].casefold().rstrip(".") in HONORIFICS:
        honorifics.append(tokens.pop(0))
    honorific = " ".join(honorifics)
    if not tokens:
        return honorific, "", "", NameOrder.GIVEN_FAMILY
    caps = [_is_caps(token) for token in tokens]
    if any(caps) and not all(caps):
        if caps[0]:
            count = caps.index(False)
            family = " ".join(_title(t) for t in tokens[:count])
            return honorific, " ".join(tokens[count:]), family, NameOrder.FAMILY_GIVEN
        first = caps.index(True)
        if all(caps[first:]):
            family = " ".join(_title(t) for t in tokens[first:])
            return honorific, " ".join(tokens[:first]), family, NameOrder.GIVEN_FAMILY
    if len(tokens) == 1:
        return honorific, "", tokens[0], NameOrder.GIVEN_FAMILY
    start = next((i for i in range(1, len(tokens) - 1) if tokens[i].casefold() in PARTICLES), len(tokens) - 1)
    return honorific, " ".join(tokens[:start]), " ".join(tokens[start:]), NameOrder.GIVEN_FAMILY


def _organization_part(entry: Entry, text: str) -> None:
    """"Federal Office … (BAFA)" → name and acronym; "AREVA (France)" → name and country."""
    match = PARENTHESIS_AT_END.match(text)
    if match:
        inner = match.group(2).strip()
        country = country_from_name(inner)
        if country:
            entry.country = entry.country or country
        else:
            entry.acronym = inner
        text = match.group(1)
    entry.organization = text.strip()


def parse_entry(text: str) -> Entry:
    """One entry as printed (see the module's docstring)."""
    text = " ".join((text or "").split())
    entry = Entry(text=text)
    email = EMAIL.search(text)
    if email:
        entry.email = email.group(1)
        text = (text[:email.start()] + text[email.end():]).strip(" ,")
    # "…, Analytical Engines AG (Germany)": the country in parentheses at the very end.
    ending = PARENTHESIS_AT_END.match(text)
    if ending and country_from_name(ending.group(2)) and ending.group(1).strip():
        entry.country, text = country_from_name(ending.group(2)), ending.group(1).strip()
    parts = _split_parts(text)
    state = country_from_name(parts[0]) if parts else None
    if len(parts) > 1 and not state:
        last = country_from_name(parts[-1])
        if last:
            entry.country = last
            parts.pop()
    if not parts:
        entry.kind = FUNCTION
        return entry
    head, rest = parts[0], parts[1:]
    if state:
        entry.kind, entry.state, entry.function = STATE, state, ", ".join(rest)
        return entry
    if looks_like_function(head):
        # "a representative of Toshiba"; "Representative, Toshiba, Japan".
        if rest:
            entry.kind = ORGANIZATION
            entry.function = ", ".join([head, *rest[:-1]])
            _organization_part(entry, rest[-1])
        else:
            entry.kind, entry.function = FUNCTION, head
        return entry
    match = PARENTHESIS_AT_END.match(head)
    if match and not rest:
        # "Arnold Wallraff (BAFA)", "Arnold Wallraff (Germany)"
        head = match.group(1)
        _organization_part(entry, f"({match.group(2)})")
        if entry.acronym and not entry.organization:
            entry.organization, entry.acronym = entry.acronym, ""
    if not rest and len(head.split()) == 1 and (COMPANY_ENDINGS.search(head) or _is_caps(head)):
        entry.kind = ORGANIZATION
        _organization_part(entry, head)
        return entry
    if not rest and COMPANY_ENDINGS.search(head):
        entry.kind = ORGANIZATION
        _organization_part(entry, head)
        return entry
    entry.honorific, entry.given_name, entry.family_name, entry.name_order = parse_name(head)
    entry.maybe_organization = not rest and not entry.honorific and not entry.given_name
    if len(rest) == 1:
        if looks_like_function(rest[0]):
            entry.function = rest[0]
        else:
            _organization_part(entry, rest[0])
    elif rest:
        entry.function = ", ".join(rest[:-1])
        _organization_part(entry, rest[-1])
    return entry


def of_organization(function: str) -> str:
    """"a representative of Toshiba" → "Toshiba" (the body a function names), else ""."""
    match = re.search(r"\bof (?:the )?(.+)$", function, re.IGNORECASE)
    return match.group(1).strip() if match else ""
