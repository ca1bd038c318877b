"""What every document of an event says about who issues it."""

from __future__ import annotations

from eventmgr.series.enums import OrganizerRole


def organizing_office(event) -> str:
    """The author of an event's documents: its (first) host, else its series."""
    hosts = [link.organization.name for link in event.organizers if link.role is OrganizerRole.HOST]
    return hosts[0] if hosts else event.series.name
