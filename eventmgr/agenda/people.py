"""How the people on an agenda item are written, the same way in every output (page, ICS,
frab, DOCX, report): "Dr. Arnold Wallraff, President, Federal Office for Economic Affairs
and Export Control (Germany)" — name, function, organization (country), as programmes print
them. A part the function already says ("President of BAFA") is not repeated.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from eventmgr.countries import country_name
from eventmgr.normalize import search_key
from eventmgr.registry.enums import NameStyle

# The same functions and organization names come back on every item: transliterate each once.
_key = lru_cache(maxsize=8192)(search_key)


def _mentions(text: str, *names: str) -> bool:
    """Whether `text` names any of `names` (accent- and case-insensitive, whole words)."""
    if not text:
        return False
    haystack = f" {_key(text)} "
    return any(f" {_key(name)} " in haystack for name in names if name and _key(name))


def holder_name(role, style: NameStyle = NameStyle.AS_WRITTEN) -> str:
    """Who holds the role, without function: a person's name, an organization, a State, or ""."""
    if role.person is not None:
        return role.person.name_in(style)
    if role.organization is not None:
        return role.organization.name
    return country_name(role.state) if role.state else ""


def holder_text(role, style: NameStyle = NameStyle.AS_WRITTEN) -> str:
    """The role's holder as a programme prints them, with the function on this item:
    "Name, Function, Organization (Country)"; a part the function already says is left out."""
    function = role.function or ""
    person, organization = role.person, role.organization
    if person is not None:
        organization = person.organization
    parts = [holder_name(role, style)] if person is not None or role.state else []
    if role.state and _mentions(function, parts[0]):
        parts = []
    if function:
        parts.append(function)
    if organization is not None and not _mentions(function, organization.name, organization.acronym):
        parts.append(organization.name)
    text = ", ".join(filter(None, parts))
    country = (person.country if person is not None else None) or (
        (organization.country or organization.state) if organization is not None else None)
    place = country_name(country) if country and not role.state else ""
    if place and not _mentions(text, place):
        text = f"{text} ({place})" if text else place
    return text


def grouped_roles(roles: Iterable) -> list[tuple[object, list]]:
    """Roles grouped by kind in order of first appearance: [(kind, [role, ...]), ...]."""
    groups: dict[object, list] = {}
    for role in roles:
        groups.setdefault(role.role, []).append(role)
    return list(groups.items())


def in_role_order(roles: Iterable) -> list:
    """The roles with each kind together, kinds in order of first appearance (the chair, then
    the speakers, …), as every output lists them."""
    return [role for _, group in grouped_roles(roles) for role in group]


def people_lines(session, style: NameStyle = NameStyle.AS_WRITTEN, *, leave_out: Iterable = ()) -> list[str]:
    """'Chair: …', 'Speakers: …; …': one line per role, entries separated by “; ” as in the
    people cells of an agenda import, so such a block reads back the same."""
    return [f"{kind.label if len(roles) == 1 else kind.plural}: "
            + "; ".join(holder_text(role, style) for role in roles)
            for kind, roles in grouped_roles(session.roles) if kind not in leave_out]


def people_sentence(session, *, leave_out: Iterable = ()) -> str:
    """The people of an item as one line of prose: "Chair: …. Speakers: …; …." """
    return " ".join(line if line.endswith(".") else f"{line}."
                    for line in people_lines(session, leave_out=leave_out))


def speaker_line(session) -> str:
    return "\n".join(people_lines(session))
