"""Server-side sessions: a copied cookie dies with logout, a reset or a password change ends the
other sessions, the account page lists them, and admins can end a user's sessions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from eventmgr.auth.enums import Role
from eventmgr.auth.models import User, UserSession
from eventmgr.extensions import db
from eventmgr.mail.models import Message
from tests.conftest import PASSWORD, ROLE_EMAILS

EMAIL = ROLE_EMAILS[Role.ORGANIZER]


def _signed_in(app, email: str = EMAIL, *, agent: str = "Browser A"):
    client = app.test_client()
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD},
                           headers={"User-Agent": agent})
    assert response.status_code == 302
    return client


def _copy(app, client):
    """Another client holding a copy of `client`'s cookies (a stolen or replayed cookie)."""
    thief = app.test_client()
    for cookie in client._cookies.values():
        thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return thief


def _is_signed_in(client) -> bool:
    return client.get("/auth/profile").status_code == 200


def test_a_cookie_copied_before_logout_is_dead_after_it(app, users):
    client = _signed_in(app)
    copy = _copy(app, client)
    assert _is_signed_in(copy)

    client.post("/auth/logout")

    assert not _is_signed_in(copy)
    # It cannot write either: a state change as that user is sent to the login page.
    response = copy.post("/agenda/feed/new")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_the_cookie_holds_a_random_session_id_not_the_user_id(app, users):
    client = _signed_in(app)
    with client.session_transaction() as cookie_session:
        held = cookie_session["_user_id"]
    assert held != str(users[Role.ORGANIZER]) and len(held) >= 32


def test_a_password_reset_ends_every_session_and_signs_the_user_in(app, users):
    first, second = _signed_in(app), _signed_in(app, agent="Browser B")
    stolen = _copy(app, first)
    visitor = app.test_client()
    visitor.post("/auth/reset", data={"email": EMAIL})
    with app.app_context():
        body = db.session.scalar(select(Message.body_text).where(Message.kind == "account_reset_password"))
    path = next(word for word in body.split() if "/auth/set-password/" in word).split("localhost", 1)[1]

    response = visitor.post(path, data={"password": "a brand new password",
                                        "confirm": "a brand new password"})

    assert response.status_code == 302
    assert _is_signed_in(visitor)
    assert not _is_signed_in(first) and not _is_signed_in(second) and not _is_signed_in(stolen)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UserSession)) == 1


def test_a_password_change_ends_the_other_sessions_only(app, users):
    mine, other = _signed_in(app), _signed_in(app, agent="Browser B")

    response = mine.post("/auth/profile/password", data={
        "current": PASSWORD, "password": "another long password", "confirm": "another long password"})

    assert response.status_code == 302
    assert _is_signed_in(mine) and not _is_signed_in(other)
    wrong = mine.post("/auth/profile/password", data={
        "current": "not it", "password": "yet another password", "confirm": "yet another password"})
    assert wrong.status_code == 400 and "not your current password" in wrong.text


def test_the_account_page_lists_sessions_and_signs_out_everywhere(app, users):
    mine, other = _signed_in(app, agent="Browser A/1.0"), _signed_in(app, agent="Phone B/2.0")

    page = mine.get("/auth/profile").text
    assert "Browser A/1.0" in page and "Phone B/2.0" in page and "2 active sessions" in page

    with app.app_context():
        other_id = db.session.scalar(select(UserSession.id).where(UserSession.user_agent == "Phone B/2.0"))
    mine.post(f"/auth/profile/sessions/{other_id}/end")
    assert not _is_signed_in(other) and _is_signed_in(mine)

    again = _signed_in(app, agent="Phone B/2.0")
    mine.post("/auth/profile/sessions/end")
    assert not _is_signed_in(mine) and not _is_signed_in(again)


def test_ending_a_session_of_someone_else_changes_nothing(app, users):
    victim = _signed_in(app)
    with app.app_context():
        victim_session = db.session.scalar(select(UserSession.id))
    attacker = _signed_in(app, ROLE_EMAILS[Role.PARTICIPANT])

    attacker.post(f"/auth/profile/sessions/{victim_session}/end")

    assert _is_signed_in(victim)


def test_an_admin_ends_every_session_of_a_user(app, users):
    organizer = _signed_in(app)
    admin = _signed_in(app, ROLE_EMAILS[Role.ADMIN])

    response = admin.post(f"/auth/users/{users[Role.ORGANIZER]}/sessions/end", follow_redirects=True)

    assert "1 session of organizer@test.example ended" in response.text
    assert not _is_signed_in(organizer) and _is_signed_in(admin)


def test_an_idle_session_ends(app, users):
    client = _signed_in(app)
    with app.app_context():
        row = db.session.scalar(select(UserSession))
        row.last_seen_at -= dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
        db.session.commit()

    assert not _is_signed_in(client)


def test_an_inactive_account_is_signed_out(app, users):
    client = _signed_in(app)
    with app.app_context():
        db.session.get(User, users[Role.ORGANIZER]).active = False
        db.session.commit()

    assert not _is_signed_in(client)
