"""One safe-redirect helper for every `next=`: only same-site relative paths; CRLF and control
characters never reach a header. Every route carrying `next` is driven with the payloads, and
no code may read a `next` parameter except through eventmgr/redirects.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eventmgr.auth.enums import Role
from eventmgr.redirects import safe_path
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, record_participant
from tests.conftest import PASSWORD, ROLE_EMAILS

PAYLOADS = [
    "//evil.com",
    "///evil.com",
    "////evil.com/x",
    "/\\evil.com",
    "\\\\evil.com",
    "\\/evil.com",
    "/\t/evil.com",
    "/\n/evil.com",
    "/\r/evil.com",
    " //evil.com",
    "https:evil.com",
    "https:/evil.com",
    "https://evil.com/login",
    "HTTPS://evil.com",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "%2F%2Fevil.com",
    "/%2F/evil.com",
    "/%2f%2fevil.com",
    "/%5Cevil.com",
    "/%09/evil.com",
    "/%252F%252Fevil.com",
    "//evil.com@eventmgr.example",
    "evil.com",
    "/ok\r\nSet-Cookie: stolen=1",
    "/\r\nLocation: https://evil.com",
    "/%0d%0aSet-Cookie:%20stolen=1",
    "/\x00/evil.com",
    "/\u2028/evil.com",
]
SAFE = ["/", "/events/x/agenda", "/events/x/registrations?status=pending&page=2", "/events/x/agenda#s-1"]


def _stays_on_site(location: str) -> bool:
    return (location.startswith("/") and not location.startswith("//") and "\\" not in location
            and not any(ord(c) < 0x20 for c in location) and "evil" not in location)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_helper_refuses_every_payload(payload):
    assert safe_path(payload, "/home") == "/home"


@pytest.mark.parametrize("target", SAFE)
def test_the_helper_keeps_site_paths(target):
    assert safe_path(target, "/home") == target


@pytest.fixture
def world(app, users):
    with app.app_context():
        event = make_event(status=EventStatus.REGISTRATION_OPEN, capacity=5)
        registration = record_participant(event, None)
        return {"slug": event.slug, "registration_id": registration.id}


def _signed_in(app, role: Role):
    client = app.test_client()
    login = client.post("/auth/login", data={"email": ROLE_EMAILS[role], "password": PASSWORD})
    assert login.status_code == 302
    return client


def _routes_with_next(world) -> dict:
    """Every route that follows a `next`: how to call it with one."""
    return {
        "login": (None, lambda c, n: c.post("/auth/login", data={
            "email": ROLE_EMAILS[Role.ORGANIZER], "password": PASSWORD, "next": n})),
        "login (query)": (None, lambda c, n: c.post("/auth/login", query_string={"next": n}, data={
            "email": ROLE_EMAILS[Role.ORGANIZER], "password": PASSWORD})),
        "personal feed link": (Role.PARTICIPANT, lambda c, n: c.post("/agenda/feed/new", data={"next": n})),
        "registration action": (Role.ORGANIZER, lambda c, n: c.post(
            f"/events/{world['slug']}/registrations/{world['registration_id']}/cancel", data={"next": n})),
    }


ROUTES = ["login", "login (query)", "personal feed link", "registration action"]


@pytest.mark.parametrize("route", ROUTES)
def test_every_next_route_stays_on_the_site_for_every_payload(app, world, route):
    role, call = _routes_with_next(world)[route]
    for payload in PAYLOADS:
        client = _signed_in(app, role) if role else app.test_client()
        response = call(client, payload)
        if "\x00" in payload:  # refused whole before any view (eventmgr/security.py)
            assert response.status_code == 400
            continue
        assert response.status_code in (302, 303), (payload, response.status_code)
        assert _stays_on_site(response.location), (payload, response.location)


@pytest.mark.parametrize("route", ROUTES)
def test_every_next_route_follows_a_site_path(app, world, route):
    role, call = _routes_with_next(world)[route]
    client = _signed_in(app, role) if role else app.test_client()

    assert call(client, "/events/x/agenda?day=1").location == "/events/x/agenda?day=1"


def test_the_login_page_does_not_reflect_an_unsafe_next(client):
    page = client.get("/auth/login", query_string={"next": "javascript:alert(1)"}).text
    assert "javascript:" not in page


NEXT_READ = re.compile(r"""(?:args|form|values)\s*(?:\.get\(\s*|\[\s*)["']next["']|\.next\.data""")


def test_no_code_reads_next_but_through_the_helper():
    """A new `next=` must go through eventmgr/redirects.py: reading it anywhere else fails here
    (the login form's hidden field is read once, straight into safe_path)."""
    root = Path(__file__).resolve().parent.parent / "eventmgr"
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "redirects.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if NEXT_READ.search(line) and "safe_path(" not in line:
                offenders.append(f"{path.relative_to(root.parent)}:{number}: {line.strip()}")
    assert offenders == []
