"""Drill: 60 failed sign-ins from one address within seconds, spread over 4 gunicorn workers,
stop at the limit (each worker counting alone let 39 through). Then 60 guesses at different
accounts from that address stop at the per-address limit."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.gunicorn import served
from eventmgr.auth import service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from tests.drills.http import FormClient

pytestmark = pytest.mark.slow

ATTEMPTS = 60
PER_ACCOUNT = 10
PER_ADDRESS = 25


def test_sixty_failed_sign_ins_over_four_workers_stop_at_the_limit(threaded_app, tmp_path):
    app = threaded_app(1)  # a database the gunicorn workers share: a file SQLite, or PostgreSQL
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        service.create_user("admin@example.org", role=Role.ADMIN, password="the admin's real password")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    # flask-limiter off: each worker's memory would count alone; the database count is under test.
    env = {"EVENTMGR_CONFIG": "config.DevelopmentConfig", "DATABASE_URL": database_url,
           "SECRET_KEY": "drill secret", "RATELIMIT_ENABLED": "0", "MAIL_BACKEND": "memory",
           "LOGIN_FAILURES_PER_ACCOUNT": str(PER_ACCOUNT), "LOGIN_FAILURES_PER_ADDRESS": str(PER_ADDRESS),
           "LOGIN_SLOWDOWN_AFTER": "1000"}
    clients = [FormClient("") for _ in range(ATTEMPTS)]

    with served("eventmgr:create_app()", env=env, workers=4, threads=4, ready_path="/auth/login",
                log=tmp_path / "gunicorn.log") as base_url:
        for client in clients:
            client.base_url = base_url
        tokens = [client.csrf_token("/auth/login") for client in clients]

        def attempt(index: int, email: str) -> int:
            return clients[index].post("/auth/login", {"csrf_token": tokens[index], "email": email,
                                                       "password": f"guess {index}"}).status

        with ThreadPoolExecutor(max_workers=16) as pool:
            one_account = Counter(pool.map(attempt, range(ATTEMPTS), ["admin@example.org"] * ATTEMPTS))
        with ThreadPoolExecutor(max_workers=16) as pool:
            many_accounts = Counter(pool.map(attempt, range(ATTEMPTS),
                                             [f"user{n}@example.org" for n in range(ATTEMPTS)]))
        right = FormClient(base_url)
        locked = right.post("/auth/login", {"csrf_token": right.csrf_token("/auth/login"),
                                            "email": "admin@example.org",
                                            "password": "the admin's real password"})

    # 400: the password was checked and wrong; 429: refused before any check.
    assert one_account == {400: PER_ACCOUNT, 429: ATTEMPTS - PER_ACCOUNT}
    assert many_accounts == {400: PER_ADDRESS - PER_ACCOUNT, 429: ATTEMPTS - (PER_ADDRESS - PER_ACCOUNT)}
    assert locked.status == 429 and "locked until" in locked.body
