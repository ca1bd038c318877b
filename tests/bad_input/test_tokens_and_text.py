"""Forged and replayed tokens, double submits, and unusual but valid text (emoji,
right-to-left scripts, HTML and SQL look-alikes) that must be kept exactly."""

from __future__ import annotations

import re
from unicodedata import normalize

import pytest
import sqlalchemy as sa
from markupsafe import escape

from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.mail.models import Message
from eventmgr.registry.models import Person, Registration
from eventmgr.series.enums import EventStatus, RegistrationMode
from tests.bad_input.conftest import row_counts
from tests.builders import make_event
from tests.conftest import PASSWORD, ROLE_EMAILS

FORM = {"given_name": "Amani", "family_name": "Okafor", "email": "amani@example.org",
        "organization_name": "Lagos Chamber", "organization_kind": "company",
        "organization_country": "NG", "consent_to_list": "y"}
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def csrf_client(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        slug = make_event(status=EventStatus.REGISTRATION_OPEN).slug
    return app, app.test_client(), slug


def token_from(client, url: str) -> str:
    return CSRF_INPUT.search(client.get(url).get_data(as_text=True)).group(1)


@pytest.mark.parametrize("token, message", [
    (None, "The CSRF token is missing."),
    ("forged-token", "The CSRF token is invalid."),
    ("IjBhYmMi.ZZZZZZ.signature-that-does-not-verify", "The CSRF token is invalid."),
])
def test_registration_without_a_genuine_csrf_token_is_refused(csrf_client, token, message):
    app, client, slug = csrf_client
    client.get(f"/events/{slug}/register")
    with app.app_context():
        before = row_counts()
    data = FORM if token is None else FORM | {"csrf_token": token}
    response = client.post(f"/events/{slug}/register", data=data)
    assert (response.status_code, message in response.get_data(as_text=True)) == (400, True)
    with app.app_context():
        assert row_counts() == before


def test_a_csrf_token_replayed_from_another_session_is_refused(csrf_client):
    app, client, slug = csrf_client
    stolen = token_from(client, f"/events/{slug}/register")
    other = app.test_client()
    with app.app_context():
        before = row_counts()
    response = other.post(f"/events/{slug}/register", data=FORM | {"csrf_token": stolen})
    assert response.status_code == 400
    assert "The CSRF session token is missing." in response.get_data(as_text=True)
    with app.app_context():
        assert row_counts() == before


def test_login_form_replayed_after_logout_needs_a_fresh_token(csrf_client):
    app, client, _ = csrf_client
    with app.app_context():
        auth_service.create_user(ROLE_EMAILS[Role.ORGANIZER], role=Role.ORGANIZER, password=PASSWORD)
        db.session.commit()
    token = token_from(client, "/auth/login")
    login = {"email": ROLE_EMAILS[Role.ORGANIZER], "password": PASSWORD, "csrf_token": token}
    assert client.post("/auth/login", data=login).status_code == 302
    client.post("/auth/logout", data={"csrf_token": token})
    client.delete_cookie("session")
    replayed = client.post("/auth/login", data=login)
    assert replayed.status_code == 400
    assert "The CSRF session token is missing." in replayed.get_data(as_text=True)


@pytest.mark.parametrize("token", ["forged", "A" * 43, "../../etc/passwd", "' OR '1'='1"])
def test_a_forged_invitation_token_opens_no_registration(client, app_ctx, token):
    event = make_event(status=EventStatus.REGISTRATION_OPEN,
                       registration_mode=RegistrationMode.INVITATION_ONLY)
    before = row_counts()
    response = client.post(f"/events/{event.slug}/register", data=FORM | {"token": token})
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.get_data(as_text=True)
    assert row_counts() == before


def test_a_cancellation_link_works_once_and_a_forged_one_never(client, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    client.post(f"/events/{event.slug}/register", data=FORM)
    registration = db.session.scalar(sa.select(Registration))
    link = next(line for line in db.session.scalar(sa.select(Message.body_text)).splitlines()
                if "/cancel/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1].strip()
    forged = client.post(path[:-4] + "AAAA", data={"reason": ""})
    first = client.post(path, data={"reason": "Visa refused"})
    replayed = client.post(path, data={"reason": "again"})

    assert (forged.status_code, first.status_code, replayed.status_code) == (404, 200, 404)
    assert "This cancellation link is not valid" in replayed.get_data(as_text=True)
    db.session.refresh(registration)
    assert registration.status.value == "cancelled"


def test_a_double_submit_registers_once(client, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    answers = [client.post(f"/events/{event.slug}/register", data=FORM).status_code for _ in range(3)]
    assert answers == [302, 302, 302]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1


NAMES = {
    "emoji": ("Zoë 🌍", "Nguyễn 👩🏽‍🔬"),
    "Arabic, right to left": ("محمد", "العبدالله"),
    "Hebrew with a direction mark": ("\u200fנועה", "כהן"),
    "HTML": ("<script>alert(1)</script>", "<b onmouseover=alert(1)>Bold</b>"),
    "SQL": ("Robert'); DROP TABLE person;--", "O'Brien \" OR 1=1"),
    "combining accents and CJK": ("Jose\u0301", "王小明"),
}


@pytest.mark.parametrize("given, family", NAMES.values(), ids=NAMES.keys())
def test_unusual_names_are_kept_exactly_and_shown_escaped(client, auth, app_ctx, given, family):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    response = client.post(f"/events/{event.slug}/register",
                           data=FORM | {"given_name": given, "family_name": family})
    assert response.status_code == 302
    person = db.session.scalar(sa.select(Person))
    # Kept as typed, in Unicode's composed form (NFC): "Jose" + U+0301 is stored as "José".
    assert (person.given_name, person.family_name) == (normalize("NFC", given), normalize("NFC", family))

    auth.login(Role.ORGANIZER)
    listing = client.get(f"/events/{event.slug}/registrations").get_data(as_text=True)
    assert str(escape(family)) in listing
    assert "<script>alert(1)</script>" not in listing


def test_scripts_in_rapporteur_notes_never_reach_the_published_report(client, auth, world):
    auth.login(Role.ORGANIZER)
    notes = ("<script>alert(1)</script> Screening **works**. [click](javascript:alert(2)) "
             '<img src=x onerror="alert(3)">')
    session_page = f"/events/{world.slug}/report/sessions/{world.session_id}"
    client.post(f"{session_page}/notes", data={"note-body": notes})
    client.post(f"{session_page}/findings", data={
        "finding-text": "<iframe src=//evil.example></iframe> Key point", "finding-is_key": "y"})
    client.post(f"/events/{world.slug}/report/draft")

    page = client.get(f"/events/{world.slug}/report").get_data(as_text=True)
    # Shown as text, never as markup.
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Screening <strong>works</strong>." in page
    assert "Key point" in page
    assert [markup for markup in ("<script>alert", 'href="javascript:', "<img src=x", "<iframe")
            if markup in page] == []
