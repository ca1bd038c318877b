"""What every agenda export needs besides the sessions: identifiers, links and the revision."""

from __future__ import annotations

import datetime as dt
import functools
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
        return _uuid5(self.namespace, f"session-{session_id}")

    def guid(self, kind: str, key: int | str) -> str:
        return _uuid5(self.namespace, f"{kind}-{key}")


@functools.lru_cache(maxsize=65_536)
def _uuid5(namespace: uuid.UUID, name: str) -> str:
    """A name-based UUID: the same every time, so each is worked out (SHA-1) once per worker
    rather than for every session and speaker of every export build."""
    return str(uuid.uuid5(namespace, name))
