"""The invitation list as CSV or XLSX, with the registry's formula-safe writers."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from eventmgr.countries import country_name
from eventmgr.invitations.models import Invitation
from eventmgr.registry.exports import Column
from eventmgr.registry.models import Organization


def _local(moment: dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    # Spreadsheets have no time zones: local time of the event.
    return moment.astimezone(zone).replace(tzinfo=None, microsecond=0) if moment else None


def _organization(invitation: Invitation) -> Organization | None:
    return invitation.organization or invitation.person.organization


def _country(invitation: Invitation) -> str:
    code = (invitation.organization.country or invitation.organization.state if invitation.organization
            else invitation.person.country)
    return country_name(code) if code else ""


COLUMNS = (
    Column("given_name", "Given name", lambda i, z: i.person.given_name),
    Column("family_name", "Family name", lambda i, z: i.person.family_name),
    Column("email", "Email", lambda i, z: i.person.email),
    Column("organization", "Organization", lambda i, z: _organization(i).name if _organization(i) else ""),
    Column("category", "Category", lambda i, z: _organization(i).kind.label if _organization(i) else ""),
    Column("country", "Country", lambda i, z: _country(i)),
    # An organization's invitation: its seats; the person above is the contact who names the delegates.
    Column("seats", "Seats", lambda i, z: i.seats if i.organization else None),
    Column("status", "Status", lambda i, z: i.status.label),
    Column("sent_at", "Sent", lambda i, z: _local(i.sent_at, z)),
    Column("answered_at", "Answered", lambda i, z: _local(i.answered_at, z)),
    Column("reminders", "Reminders", lambda i, z: i.reminders_sent),
    Column("decline_reason", "Reason for declining", lambda i, z: i.decline_reason),
)
