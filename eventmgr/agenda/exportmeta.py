"""What every agenda export needs besides the sessions: identifiers, links and the revision."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass


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
