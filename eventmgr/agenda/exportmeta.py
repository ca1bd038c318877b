"""What every agenda export needs besides the sessions: identifiers, links and the revision."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from eventmgr.countries import country_name


@dataclass(frozen=True)
class ExportMeta:
    namespace: uuid.UUID
    updated_at: dt.datetime  # the agenda's last change: DTSTAMP and schedule version
    version: int
    agenda_url: str
    feed_url: str
    session_url: Callable[[int], str]
    calendar_name: str

    def session_guid(self, session_id: int) -> str:
        # The same identifier in ICS, XML and JSON, so apps and calendars keep favourites.
        return str(uuid.uuid5(self.namespace, f"session-{session_id}"))

    def guid(self, kind: str, key: int | str) -> str:
        return str(uuid.uuid5(self.namespace, f"{kind}-{key}"))


def speaker_line(session) -> str:
    """'Chair: Dr Ada Lovelace (ACME, Germany); Speaker: …'."""
    parts = []
    for role in session.roles:
        person = role.person
        details = [person.organization.acronym or person.organization.name] if person.organization else []
        if person.country:
            details.append(country_name(person.country))
        parts.append(f"{role.role.label}: {person.display_name}"
                     + (f" ({', '.join(details)})" if details else ""))
    return "; ".join(parts)
