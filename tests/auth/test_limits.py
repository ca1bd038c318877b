"""Limits counted in the database: failed sign-ins per account and per address (slowdown,
then a lock with a clear message), reset mails per address, the same answer for any address.
The gunicorn drill (tests/drills/test_login_limit.py) shows they hold across workers."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from eventmgr.auth.enums import Role
from eventmgr.auth.models import AuthThrottle
from eventmgr.extensions import db
from eventmgr.mail.models import Message
from tests.conftest import PASSWORD, ROLE_EMAILS

EMAIL = ROLE_EMAILS[Role.ORGANIZER]


@pytest.fixture
def limited_app(make_app):
    # No slowdown here, so attempts can follow each other; one test below checks the slowdown.
    return make_app(LOGIN_FAILURES_PER_ACCOUNT=5, LOGIN_FAILURES_PER_ADDRESS=8, LOGIN_SLOWDOWN_AFTER=100)


def _users(app):
    from eventmgr.auth import service

    with app.app_context():
        for role, email in ROLE_EMAILS.items():
            service.create_user(email, role=role, password=PASSWORD)
        db.session.commit()


def _login(client, email=EMAIL, password="wrong password", address="198.51.100.7"):
    return client.post("/auth/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_failed_sign_ins_per_account_lock_it_even_for_the_right_password(limited_app):
    _users(limited_app)
    client = limited_app.test_client()

    answers = [_login(client, address=f"203.0.113.{n}").status_code for n in range(8)]

    assert answers == [400] * 5 + [429] * 3
    locked = _login(client, password=PASSWORD, address="203.0.113.99")
    assert locked.status_code == 429
    assert "locked until" in locked.text and "reset it by email" in locked.text
    assert int(locked.headers["Retry-After"]) > 0


def test_the_lock_ends_with_its_window(limited_app):
    _users(limited_app)
    client = limited_app.test_client()
    for _ in range(6):
        _login(client)
    with limited_app.app_context():
        for row in db.session.scalars(select(AuthThrottle)):
            row.window_started_at -= dt.timedelta(minutes=16)
        db.session.commit()

    assert _login(client, password=PASSWORD).status_code == 302


def test_failed_sign_ins_per_address_are_limited_across_accounts(limited_app):
    _users(limited_app)
    client = limited_app.test_client()

    answers = [_login(client, email=f"guess-{n}@example.org").status_code for n in range(12)]

    assert answers == [400] * 8 + [429] * 4
    assert "your network address" in _login(client, password=PASSWORD).text
    # Another address is not concerned.
    assert _login(client, password=PASSWORD, address="192.0.2.1").status_code == 302


def test_a_success_forgives_the_account_count(limited_app):
    _users(limited_app)
    client = limited_app.test_client()
    for _ in range(4):
        _login(client)
    assert _login(client, password=PASSWORD).status_code == 302
    client.post("/auth/logout")

    assert [_login(client, address=f"192.0.2.{n}").status_code for n in range(5)] == [400] * 5


def test_after_a_few_failures_each_try_waits_longer(make_app):
    app = make_app(LOGIN_SLOWDOWN_AFTER=2)
    _users(app)
    client = app.test_client()

    assert [_login(client).status_code for _ in range(3)] == [400, 400, 429]
    slowed = _login(client, password=PASSWORD)
    assert slowed.status_code == 429 and "wait 1 second before trying again" in slowed.text
    with app.app_context():
        row = db.session.get(AuthThrottle, f"login:account:{EMAIL}")
        row.last_at -= dt.timedelta(seconds=2)
        db.session.commit()
    assert _login(client, password=PASSWORD).status_code == 302


def test_reset_mails_at_most_a_few_per_address_an_hour_with_the_same_answer(app, users):
    client = app.test_client()

    known = [client.post("/auth/reset", data={"email": EMAIL}) for _ in range(6)]
    unknown = [client.post("/auth/reset", data={"email": "nobody@example.org"}) for _ in range(6)]

    assert {(r.status_code, r.location) for r in known + unknown} == {(302, "/auth/login")}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Message)) == app.config[
            "RESET_MAILS_PER_ACCOUNT"] == 3
    flashed = client.get("/auth/login").text
    assert "If an account uses this email" in flashed


def test_reset_requests_per_client_address_are_limited(make_app):
    app = make_app(RESET_REQUESTS_PER_ADDRESS=4)
    client = app.test_client()

    answers = [client.post("/auth/reset", data={"email": f"x{n}@example.org"}).status_code for n in range(6)]

    assert answers == [302] * 4 + [429] * 2
