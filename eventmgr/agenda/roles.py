"""People on agenda items: a person, an organization, a State or a function alone, each with
the function they speak in on that item."""

from __future__ import annotations

from eventmgr.agenda import service, timing
from eventmgr.agenda.enums import SessionRoleKind
from eventmgr.agenda.models import AgendaSession, SessionRole
from eventmgr.countries import country_name, is_country_code
from eventmgr.errors import NotFound, ValidationFailed
from eventmgr.extensions import db
from eventmgr.registry.models import Organization, Person


def holder_label(person: Person | None = None, organization: Organization | None = None,
                 state: str | None = None, function: str = "") -> str:
    if person is not None:
        return person.full_name
    if organization is not None:
        return organization.name
    return country_name(state) if state else function


def add_holder(session: AgendaSession, role: SessionRoleKind, actor, *, person: Person | None = None,
               organization: Organization | None = None, state: str | None = None,
               function: str | None = None, accept_person_conflicts: bool = False) -> SessionRole:
    """Put someone on a session in a role: a person, an organization, a State (ISO code), or,
    with none of them, a function alone. A person's function defaults to their position."""
    holders = [h for h in (person, organization, state) if h]
    function = " ".join((function if function is not None else
                         (person.position if person is not None else "")).split())
    if len(holders) > 1:
        raise ValidationFailed({"holder": ["Choose one person, organization or State."]})
    if not holders and not function:
        raise ValidationFailed({"holder": ["Choose a person, an organization or a State, or enter "
                                           "the function alone."]})
    if state and not is_country_code(state.upper()):
        raise ValidationFailed({"holder": ["Choose a State from the list."]})
    if len(function) > 300:
        raise ValidationFailed({"function": ["At most 300 characters."]})
    label = holder_label(person, organization, state, function)
    holder = (person.id if person else None, organization.id if organization else None,
              state.upper() if state else None)
    # The same holder once per role; a function alone is the same if its words are.
    if any(r.role is role and (r.person_id, r.organization_id, r.state) == holder
           and (any(holder) or r.function == function) for r in session.roles):
        raise ValidationFailed({"holder": [f"{label} is already {role.label.lower()}."]})
    if person is not None:
        service.check_clashes(session.event, session, accept_person_conflicts=accept_person_conflicts,
                              person_ids={person.id: person.full_name})
    link = SessionRole(person=person, organization=organization, state=state.upper() if state else None,
                       function=function, role=role, position=len(session.roles))
    session.roles.append(link)
    db.session.flush()
    service.record_change(session.event, session, f"{label} added to “{session.title}” as {role.label}",
                          actor)
    return link


def _role(session: AgendaSession, role_id: int) -> SessionRole:
    link = next((r for r in session.roles if r.id == role_id), None)
    if link is None:
        raise NotFound("That person is not on this session.")
    return link


def change_function(session: AgendaSession, role_id: int, function: str, actor) -> None:
    """The function someone speaks in on this session ("President of BAFA")."""
    link = _role(session, role_id)
    function = " ".join((function or "").split())
    if len(function) > 300:
        raise ValidationFailed({"function": ["At most 300 characters."]})
    if not function and link.person_id is None and link.organization_id is None and link.state is None:
        raise ValidationFailed({"function": ["A role held by a function alone needs its function."]})
    if function == link.function:
        return
    link.function = function
    db.session.flush()
    service.record_change(session.event, session,
                          f"Function of {_link_label(link)} on “{session.title}” changed", actor)


def _link_label(link: SessionRole) -> str:
    return holder_label(link.person, link.organization, link.state, link.function)


def remove_person(session: AgendaSession, role_id: int, actor) -> None:
    link = _role(session, role_id)
    session.roles.remove(link)
    timing.renumber(session.roles)
    db.session.flush()
    service.record_change(session.event, session, f"{_link_label(link)} removed from “{session.title}”",
                          actor)
