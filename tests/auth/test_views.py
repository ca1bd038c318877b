import pytest
from sqlalchemy import select

from eventmgr.auth import service
from eventmgr.auth.enums import Role
from eventmgr.auth.models import User
from eventmgr.extensions import db
from tests.conftest import PASSWORD, ROLE_EMAILS


def test_login_with_good_password_redirects_home(client, users):
    response = client.post("/auth/login", data={"email": ROLE_EMAILS[Role.ORGANIZER],
                                                "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_answers_unknown_email_and_wrong_password_alike(client, users):
    unknown = client.post("/auth/login", data={"email": "nobody@test.example",
                                               "password": PASSWORD})
    wrong = client.post("/auth/login", data={"email": ROLE_EMAILS[Role.ORGANIZER],
                                             "password": "wrong password"})

    assert unknown.status_code == wrong.status_code == 400
    assert unknown.get_data(as_text=True) == wrong.get_data(as_text=True).replace(
        ROLE_EMAILS[Role.ORGANIZER], "nobody@test.example")
    assert "The email or password is not correct." in wrong.get_data(as_text=True)


@pytest.mark.parametrize("target", [
    "https://evil.example", "//evil.example/path", "/\\evil.example", "http:/evil.example",
    "javascript:alert(1)",
])
def test_login_next_never_leaves_the_site(client, users, target):
    response = client.post("/auth/login", data={"email": ROLE_EMAILS[Role.ORGANIZER],
                                                "password": PASSWORD, "next": target})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_next_inside_site_is_followed(client, users):
    response = client.post("/auth/login", data={"email": ROLE_EMAILS[Role.ORGANIZER],
                                                "password": PASSWORD, "next": "/series?x=1"})

    assert response.headers["Location"] == "/series?x=1"


def test_login_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()

    statuses = [client.post("/auth/login", data={"email": "a@b.example", "password": "x"}
                            ).status_code for _ in range(4)]

    assert statuses == [400, 400, 400, 429]


def test_post_without_csrf_token_is_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        service.create_user("org@test.example", role=Role.ORGANIZER, password=PASSWORD)
        db.session.commit()
    client = app.test_client()

    response = client.post("/auth/login", data={"email": "org@test.example", "password": PASSWORD})

    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'name="csrf_token"' in page


def test_passwords_are_stored_as_scrypt_hashes_by_default(make_app):
    app = make_app(PASSWORD_HASH_METHOD=None)
    with app.app_context():
        service.create_user("a@test.example", role=Role.ADMIN, password=PASSWORD)
        user = db.session.scalar(select(User))
        assert user.password_hash.startswith("scrypt:")


def test_security_headers_on_every_response(client):
    response = client.get("/")

    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_session_cookie_is_httponly_and_lax(client, users):
    response = client.post("/auth/login", data={"email": ROLE_EMAILS[Role.ADMIN],
                                                "password": PASSWORD})

    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_admin_changes_a_role(client, auth, app, users):
    auth.login(Role.ADMIN)

    response = client.post(f"/auth/users/{users[Role.RAPPORTEUR]}/role", data={"role": "organizer"})

    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, users[Role.RAPPORTEUR]).role is Role.ORGANIZER
