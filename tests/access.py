"""Declared access policy for the authorization matrix (tests/test_access_matrix.py).

Each package declares its routes in tests/<package>/access.py as
``POLICY = {"endpoint": Access(...)}`` and may add ``prepare(world) -> dict`` that
creates the rows its URLs need and returns URL values (e.g. {"session_id": 3}).
"""

from __future__ import annotations

from dataclasses import dataclass, field

ANONYMOUS, PARTICIPANT, RAPPORTEUR, ORGANIZER, ADMIN = (
    "anonymous", "participant", "rapporteur", "organizer", "admin")
ROLES = (ANONYMOUS, PARTICIPANT, RAPPORTEUR, ORGANIZER, ADMIN)

PUBLIC = frozenset(ROLES)
SIGNED_IN = frozenset({PARTICIPANT, RAPPORTEUR, ORGANIZER, ADMIN})
# The matrix's participant holds a confirmed registration at the world's event.
EVENT_MEMBERS = frozenset({PARTICIPANT, ORGANIZER, ADMIN})
WRITERS = frozenset({RAPPORTEUR, ORGANIZER, ADMIN})
STAFF = frozenset({ORGANIZER, ADMIN})
ADMIN_ONLY = frozenset({ADMIN})


@dataclass(frozen=True)
class Access:
    roles: frozenset[str]
    method: str = "GET"
    # Statuses an allowed role may get; e.g. (404,) for a route that needs a secret token.
    ok: tuple[int, ...] = (200,)
    # Extra URL values for this endpoint alone (beyond the world's and the package's).
    values: dict = field(default_factory=dict)


def post(roles: frozenset[str], ok: tuple[int, ...] = (200, 302, 303, 400), **values) -> Access:
    """A POST route: an empty form may be refused (400) or redirect; never 401/403."""
    return Access(roles, method="POST", ok=ok, values=values)
