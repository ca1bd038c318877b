"""How an organization name as typed becomes a directory entry.

Documents name the same participants in many ways. Before matching, a typed name is
read for what it says about States:

- a State taking part as such — "Chile", "Government of Chile", "Delegation of the
  Republic of Korea", "Permanent Mission of Germany to the United Nations", "Gobierno de
  México" — becomes the State's entry (kind STATE), named in UN form;
- a body named with its State — "Korea (Republic of), National Authority", "Ministry
  of Foreign Affairs of Chile" (for a government authority), "Embassy of Mexico in
  Berlin" — is filed under that State, without repeating it in its name;
- an acronym in parentheses at the end ("… (UNODA)") is an acronym to match on.

Nothing here touches the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from eventmgr.countries import country_name, is_un_state, parse_country, state_participant
from eventmgr.registry.enums import OrganizationKind

# Separators between a leading State and the body named after it.
_LEADING_SEPARATORS = re.compile(r"\s*(?:,|:|\s[-–—]\s)\s*")
# "… of Chile", "… de Chile", "… du Cameroun", "… de la République de Corée", "… der Schweiz".
_OF = re.compile(r",?\s+(?:of\s+(?:the\s+)?|de\s+la\s+|de\s+l['’]|del\s+|du\s+|des\s+|de\s+|der\s+|von\s+)",
                 re.IGNORECASE)
_IN_PARENTHESES = re.compile(r"^(?P<body>.+?)\s*\((?P<state>[^()]+(?:\([^()]*\))?)\)$")
_EMBASSY = re.compile(r"^(?:the\s+)?(?:embassy|consulate(?:\s+general)?|high\s+commission|"
                      r"ambassade|consulat|embajada|consulado|botschaft|generalkonsulat)\s+"
                      r"(?:of|de\s+la|de\s+l['’]|du|des|de|del|von|der|des)\s+(?:the\s+)?"
                      r"(?P<state>.+?)(?:\s+(?:in|at|to|en|à|a|in\s+der|bei)\s+.*)?$", re.IGNORECASE)
_TRAILING_ACRONYM = re.compile(r"^(?P<name>.+?)\s*\((?P<acronym>[A-Z][A-Za-z0-9&.\-]{1,14})\)$")


def split_acronym(name: str) -> tuple[str, str]:
    """("United Nations Office for Disarmament Affairs", "UNODA") from "… (UNODA)"; else (name, "").

    Only a parenthesised word with at least two capitals counts: "(2004)" and "(Germany)" do not.
    """
    found = _TRAILING_ACRONYM.match(name.strip())
    if found and sum(c.isupper() for c in found["acronym"]) >= 2 and parse_country(found["acronym"]) is None:
        return found["name"], found["acronym"]
    return name, ""


def _un_state(text: str) -> str | None:
    code = parse_country(text)
    return code if code is not None and is_un_state(code) and len(text.strip()) > 2 else None


def _state_at_end(name: str) -> tuple[str, str] | None:
    """(code, body) for "Ministry of Foreign Affairs of Chile" or "Customs Service (Chile)"."""
    for found in _OF.finditer(name):
        code = _un_state(name[found.end():])
        if code:
            return code, name[:found.start()]
    found = _IN_PARENTHESES.match(name)
    code = _un_state(found["state"]) if found else None
    return (code, found["body"]) if code else None


def _leading_state(name: str) -> tuple[str, str] | None:
    """(code, body) for "Korea (Republic of), National Authority …": the longest leading State."""
    found = None
    for separator in _LEADING_SEPARATORS.finditer(name):
        head, tail = name[:separator.start()], name[separator.end():]
        code = _un_state(head) or state_participant(head)
        if code and tail.strip():
            found = (code, tail.strip())
    return found


@dataclass
class TypedOrganization:
    """A typed organization, read: the fields to file it under, and what was changed."""

    name: str
    kind: OrganizationKind | None
    country: str | None
    state: str | None
    acronym: str = ""
    # The name as typed, when the entry is filed under another: kept as an alias.
    typed_name: str | None = None
    notes: list[str] = field(default_factory=list)


def read_organization(name: str, kind: OrganizationKind | str | None, *, country: str | None = None,
                      state: str | None = None, acronym: str = "") -> TypedOrganization:
    """What a typed organization is, by the rules of this module's docstring."""
    name = " ".join((name or "").split())
    kind = OrganizationKind(kind) if kind in set(OrganizationKind) else None
    typed = TypedOrganization(name=name, kind=kind, country=country, state=state, acronym=acronym or "")
    if not name:
        return typed
    code = state_participant(name)
    if code is not None and (state is None or state == code):
        typed.kind, typed.state, typed.country = OrganizationKind.STATE, code, code
        typed.name = country_name(code)
        if typed.name != name:
            typed.typed_name = name
        if kind is not None and kind not in (OrganizationKind.STATE, OrganizationKind.GOVERNMENT):
            typed.notes.append(f"“{name}” is the State {typed.name} taking part as such: listed as "
                               f"{typed.name} (given as {kind.label.lower()}).")
        return typed
    leading = _leading_state(name)
    if leading is not None and (state is None or state == leading[0]):
        typed.state, body = leading
        inner = read_organization(body, kind, country=country, state=typed.state, acronym=acronym)
        inner.typed_name = name
        return inner
    governmental = kind in (OrganizationKind.GOVERNMENT, OrganizationKind.STATE) or state is not None
    embassy = _EMBASSY.match(name)
    if embassy and _un_state(embassy["state"]) and (state is None or state == _un_state(embassy["state"])):
        typed.state = _un_state(embassy["state"])
    elif governmental:
        found = _state_at_end(name)
        if found and (state is None or state == found[0]):
            typed.state = found[0]
            if len(found[1].split()) > 1:  # "Banco de España" keeps its name
                typed.name, typed.typed_name = found[1].rstrip(" ,"), name
    if not typed.acronym:
        typed.acronym = split_acronym(name)[1]
    return typed
