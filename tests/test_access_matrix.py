"""The authorization matrix: every route, called as every role, against its declared policy.

A route without a declared policy fails here, so every new route states who may use it.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field

import pytest

import tests
from config import TestingConfig
from eventmgr import create_app
from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.auth.models import User
from eventmgr.extensions import db
from eventmgr.normalize import normalize_email
from eventmgr.registry.enums import OrganizationKind, RegistrationStatus
from eventmgr.registry.models import Person, Registration
from eventmgr.series.enums import EventStatus
from tests.access import ANONYMOUS, ORGANIZER_ELSEWHERE, RAPPORTEUR_ELSEWHERE, ROLES, Access
from tests.builders import make_event, make_organization, make_series
from tests.conftest import PASSWORD, ROLE_EMAILS

# The login of each role of the matrix; the two "elsewhere" accounts work on another series.
MATRIX_EMAILS = {role.value: email for role, email in ROLE_EMAILS.items()} | {
    ORGANIZER_ELSEWHERE: "organizer@other-series.example",
    RAPPORTEUR_ELSEWHERE: "rapporteur@other-series.example"}
ELSEWHERE_ROLES = {ORGANIZER_ELSEWHERE: Role.ORGANIZER, RAPPORTEUR_ELSEWHERE: Role.RAPPORTEUR}


def _policy_modules():
    for module_info in pkgutil.iter_modules(tests.__path__):
        if not module_info.ispkg:
            continue
        try:
            yield importlib.import_module(f"tests.{module_info.name}.access")
        except ModuleNotFoundError as error:
            if error.name != f"tests.{module_info.name}.access":
                raise


POLICY_MODULES = list(_policy_modules())
POLICY: dict[str, Access] = {}
# The package that declares each endpoint: its own URL values win over other packages'.
POLICY_OWNER: dict[str, str] = {}
for _module in POLICY_MODULES:
    POLICY.update(_module.POLICY)
    POLICY_OWNER.update(dict.fromkeys(_module.POLICY, _module.__name__))

ENDPOINTS = sorted(
    rule.endpoint for rule in create_app(TestingConfig).url_map.iter_rules()
    if rule.endpoint != "static"
)


@dataclass
class World:
    """The rows every route's URL can point at."""

    values: dict
    event_id: int
    participant_person_id: int
    package_values: dict = field(default_factory=dict)

    def url_values(self, endpoint: str) -> dict:
        """The world's values, every package's, then the declaring package's own."""
        merged = dict(self.values)
        for values in self.package_values.values():
            merged.update(values)
        return merged | self.package_values.get(POLICY_OWNER[endpoint], {})


def build_world() -> World:
    organization = make_organization("Matrix Organization", kind=OrganizationKind.COMPANY)
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    email = ROLE_EMAILS[Role.PARTICIPANT]
    person = Person(given_name="Pat", family_name="Participant", email=email,
                    email_key=normalize_email(email), organization=organization,
                    consent_to_list=True)
    db.session.add(person)
    db.session.flush()
    db.session.add(Registration(event=event, person=person, organization=organization,
                                status=RegistrationStatus.CONFIRMED, consent_to_list=True))
    user_ids = {role: auth_service.create_user(ROLE_EMAILS[role], role=role, password=PASSWORD,
                                               person_id=person.id if role is Role.PARTICIPANT
                                               else None).id
                for role in Role}
    for role in (Role.ORGANIZER, Role.RAPPORTEUR):
        auth_service.grant_series_role(db.session.get(User, user_ids[role]), event.series_id, role)
    other_series = make_series(staff=False)
    for matrix_role, role in ELSEWHERE_ROLES.items():
        user = auth_service.create_user(MATRIX_EMAILS[matrix_role], role=role, password=PASSWORD)
        auth_service.grant_series_role(user, other_series.id, role)
    db.session.commit()
    values = {"slug": event.slug, "series_slug": event.series.slug,
              "organization_id": organization.id, "person_id": person.id,
              "user_id": user_ids[Role.PARTICIPANT]}
    world = World(values=values, event_id=event.id, participant_person_id=person.id)
    for module in POLICY_MODULES:
        if hasattr(module, "prepare"):
            world.package_values[module.__name__] = module.prepare(world) or {}
            db.session.commit()
    return world


def test_every_route_has_a_declared_policy():
    missing = [endpoint for endpoint in ENDPOINTS if endpoint not in POLICY]
    assert missing == [], f"routes without a policy in tests/<package>/access.py: {missing}"


def test_no_policy_for_a_route_that_does_not_exist():
    stale = sorted(set(POLICY) - set(ENDPOINTS))
    assert stale == []


def _url(app, endpoint: str, values: dict) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **{name: values[name] for name in rule.arguments})


def _refused(response, role: str) -> bool:
    if role == ANONYMOUS and response.status_code in (301, 302, 303):
        return "/auth/login" in response.headers.get("Location", "")
    return response.status_code in (401, 403, 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e in POLICY])
def test_route_answers_each_role_as_declared(app, client, prebuilt, endpoint, role):
    access = POLICY[endpoint]
    # Every test gets its own copy of the same world, built once per worker.
    world = prebuilt("access matrix world", build_world)
    url = _url(app, endpoint, world.url_values(endpoint) | access.values)
    if role != ANONYMOUS:
        login = client.post("/auth/login", data={"email": MATRIX_EMAILS[role], "password": PASSWORD})
        assert login.status_code == 302, "login failed"

    response = client.open(url, method=access.method)

    # Private responses are not cached: every answer to a signed-in user, to a token link, of
    # the account pages; public pages keep their caching.
    rule_arguments = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint).arguments
    private = role != ANONYMOUS or endpoint.startswith("auth.") or "token" in rule_arguments
    cache_control = response.headers.get("Cache-Control", "")
    assert (cache_control == "no-store") is private, f"{endpoint} as {role}: Cache-Control {cache_control!r}"

    series_scoped = (bool({"slug", "series_slug"} & set(rule_arguments)) if access.series_scoped is None
                     else access.series_scoped)
    if access.admits(role, series_scoped=series_scoped):
        assert response.status_code in access.ok, (
            f"{role} should reach {endpoint} ({url}): got {response.status_code}")
        assert not _refused(response, role) or response.status_code in access.ok
    else:
        assert _refused(response, role), (
            f"{role} should be refused at {endpoint} ({url}): got {response.status_code}")
