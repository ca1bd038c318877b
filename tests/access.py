"""Declared access policy for the authorization matrix (tests/test_access_matrix.py).

Each package declares its routes in tests/<package>/access.py as
``POLICY = {"endpoint": Access(...)}`` and may add ``prepare(world) -> dict`` that
creates the rows its URLs need and returns URL values (e.g. {"session_id": 3}).
"""

from __future__ import annotations

from dataclasses import dataclass, field

ANONYMOUS, PARTICIPANT, RAPPORTEUR, ORGANIZER, ADMIN = (
    "anonymous", "participant", "rapporteur", "organizer", "admin")
# Organizer and rapporteur accounts whose rights are in another series than the world's.
ORGANIZER_ELSEWHERE, RAPPORTEUR_ELSEWHERE = "organizer_elsewhere", "rapporteur_elsewhere"
ROLES = (ANONYMOUS, PARTICIPANT, RAPPORTEUR, ORGANIZER, ADMIN, ORGANIZER_ELSEWHERE, RAPPORTEUR_ELSEWHERE)

PUBLIC = frozenset(ROLES)
SIGNED_IN = frozenset({PARTICIPANT, RAPPORTEUR, ORGANIZER, ADMIN})
# The matrix's participant holds a confirmed registration at the world's event.
EVENT_MEMBERS = frozenset({PARTICIPANT, ORGANIZER, ADMIN})
WRITERS = frozenset({RAPPORTEUR, ORGANIZER, ADMIN})
STAFF = frozenset({ORGANIZER, ADMIN})
ADMIN_ONLY = frozenset({ADMIN})


@dataclass(frozen=True)
class Access:
    """Who may use a route. `roles` name the world's own roles; the organizer and rapporteur
    of another series are derived (see `admits`), so a new route needs no entry for them."""

    roles: frozenset[str]
    method: str = "GET"
    # Statuses an allowed role may get; e.g. (404,) for a route that needs a secret token.
    ok: tuple[int, ...] = (200,)
    # Extra URL values for this endpoint alone (beyond the world's and the package's).
    values: dict = field(default_factory=dict)
    # Whether the route works inside one series; by default, when its URL names an event
    # (slug) or a series (series_slug). Say True for a route whose object names the series.
    series_scoped: bool | None = None

    def admits(self, role: str, *, series_scoped: bool) -> bool:
        """Whether `role` may use the route. On a route whose URL names an event or a series,
        staff of another series are strangers there: admitted only where anyone signed in is.
        Elsewhere (the directory, the series list) the kind of account decides."""
        if role not in (ORGANIZER_ELSEWHERE, RAPPORTEUR_ELSEWHERE):
            return role in self.roles
        if series_scoped:
            return ANONYMOUS in self.roles or self.roles >= SIGNED_IN
        return (ORGANIZER if role == ORGANIZER_ELSEWHERE else RAPPORTEUR) in self.roles


def post(roles: frozenset[str], ok: tuple[int, ...] = (200, 302, 303, 400), *,
         series_scoped: bool | None = None, **values) -> Access:
    """A POST route: an empty form may be refused (400) or redirect; never 401/403."""
    return Access(roles, method="POST", ok=ok, values=values, series_scoped=series_scoped)
