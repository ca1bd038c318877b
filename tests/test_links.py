"""The public address: links in mails and exports name EVENTMGR_BASE_URL, whatever Host a
client sends; foreign hosts are refused; forwarded headers count only behind declared proxies."""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import select

from config import ProductionConfig
from eventmgr import create_app
from eventmgr.extensions import db
from eventmgr.links import external_url
from eventmgr.mail.models import Message
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_published_agenda
from tests.conftest import ROLE_EMAILS

BASE = "https://events.example.org/eventmgr"


@pytest.fixture
def public_app(make_app):
    return make_app(EVENTMGR_BASE_URL=BASE, EVENTMGR_TRUSTED_HOSTS=["internal.example"])


def _reset_mail(app) -> str:
    with app.app_context():
        return db.session.scalar(select(Message.body_text).where(Message.kind == "account_reset_password"))


def _admin(app):
    from eventmgr.auth import service
    from eventmgr.auth.enums import Role

    with app.app_context():
        service.create_user(ROLE_EMAILS[Role.ADMIN], role=Role.ADMIN, password="correct horse battery")
        db.session.commit()
    return ROLE_EMAILS[Role.ADMIN]


def test_a_request_for_a_foreign_host_is_refused(public_app):
    email = _admin(public_app)
    client = public_app.test_client()

    response = client.post("/auth/reset", data={"email": email},
                           base_url="http://evil.example/eventmgr")

    assert response.status_code == 400
    assert _reset_mail(public_app) is None


@pytest.mark.parametrize("headers", [
    {"X-Forwarded-Host": "evil.example"},
    {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http", "X-Forwarded-Prefix": "/x"},
    {"Forwarded": "host=evil.example;proto=http"},
])
def test_reset_link_names_the_base_url_whatever_the_request_says(public_app, headers):
    email = _admin(public_app)
    client = public_app.test_client()

    # A trusted second name of the host (e.g. the internal one) still gets links to the public one.
    response = client.post("/auth/reset", data={"email": email}, headers=headers,
                           base_url="http://internal.example:8080/eventmgr")

    assert response.status_code == 302
    body = _reset_mail(public_app)
    assert f"{BASE}/auth/set-password/" in body
    assert "evil" not in body and "internal" not in body


def test_forwarded_headers_count_only_behind_declared_proxies(make_app):
    app = make_app(EVENTMGR_BASE_URL=BASE, EVENTMGR_PROXY_COUNT=1)

    @app.get("/_probe")
    def probe():
        from flask import request

        return f"{request.remote_addr} {request.scheme} {request.host}"

    client = app.test_client()
    seen = client.get("/_probe", base_url="http://events.example.org",
                      headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https",
                               "X-Forwarded-Host": "events.example.org"}).text
    assert seen == "203.0.113.9 https events.example.org"
    # The proxy's host must be one of ours too: ProxyFix does not bypass TRUSTED_HOSTS.
    assert client.get("/_probe", base_url="http://events.example.org",
                      headers={"X-Forwarded-Host": "evil.example"}).status_code == 400

    plain = make_app(EVENTMGR_BASE_URL=BASE)
    plain.add_url_rule("/_probe", view_func=probe)
    seen = plain.test_client().get("/_probe", base_url="http://events.example.org",
                                   headers={"X-Forwarded-For": "203.0.113.9"}).text
    assert seen == "127.0.0.1 http events.example.org"


def test_confirmation_mail_links_name_the_base_url_under_a_forged_host(public_app):
    with public_app.app_context():
        event = make_event(status=EventStatus.REGISTRATION_OPEN)
        slug = event.slug
    client = public_app.test_client()

    response = client.post(f"/events/{slug}/register", data={
        "given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.org",
        "organization_name": "Analytical Engines", "organization_kind": "company",
        "organization_country": "GB"}, headers={"X-Forwarded-Host": "evil.example"},
        base_url="http://events.example.org/eventmgr")

    assert response.status_code == 302
    with public_app.app_context():
        bodies = db.session.scalars(select(Message.body_text)).all()
    assert bodies
    for body in bodies:
        links = [word for word in body.split() if "://" in word]
        assert links and all(link.startswith(BASE + "/") for link in links), links


def test_cached_exports_keep_the_base_url_after_a_forged_first_request(public_app):
    with public_app.app_context():
        event = make_event(status=EventStatus.PUBLISHED)
        make_published_agenda(event, 2)
        slug = event.slug
    client = public_app.test_client()
    paths = [f"/events/{slug}/agenda.ics", f"/events/{slug}/schedule.xml",
             f"/events/{slug}/schedule.json", f"/events/{slug}/agenda"]

    for path in paths:  # the attacker is first after the change, through a trusted name
        client.get(path, base_url="http://internal.example/eventmgr",
                   headers={"X-Forwarded-Host": "attacker.example"})
    for path in paths:  # then a normal reader gets the cached body
        body = client.get(path, base_url="https://events.example.org/eventmgr").text
        assert "attacker" not in body and "internal" not in body
        assert BASE in body or "events.example.org" in body, path


def test_url_for_external_is_the_base_url_in_and_outside_requests(public_app):
    with public_app.test_request_context("/", base_url="http://internal.example/"):
        assert url_for("series.home", _external=True) == BASE + "/"
        assert url_for("series.home") == "/"
        assert external_url("agenda.public", slug="x", _anchor="s-1") == BASE + "/events/x/agenda#s-1"
    with public_app.app_context():
        assert url_for("series.event_page", slug="x") == BASE + "/events/x"


def test_production_refuses_to_start_without_a_base_url(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 64)
    monkeypatch.setattr(ProductionConfig, "EVENTMGR_BASE_URL", None)

    with pytest.raises(RuntimeError, match="EVENTMGR_BASE_URL is not set"):
        create_app(ProductionConfig)

    monkeypatch.setattr(ProductionConfig, "EVENTMGR_BASE_URL", "events.example.org")
    with pytest.raises(RuntimeError, match="not an absolute http"):
        create_app(ProductionConfig)


def test_production_trusts_only_the_base_url_host_and_the_listed_ones(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 64)
    monkeypatch.setattr(ProductionConfig, "EVENTMGR_BASE_URL", "https://events.example.org")
    monkeypatch.setattr(ProductionConfig, "EVENTMGR_TRUSTED_HOSTS", ["eventmgr.internal"])

    app = create_app(ProductionConfig)

    assert app.config["TRUSTED_HOSTS"] == ["events.example.org", "eventmgr.internal"]


def test_the_invitation_template_preview_shows_the_link_under_the_base_url(public_app):
    from eventmgr.auth import service
    from eventmgr.auth.enums import Role
    from tests.builders import grant_all_series

    with public_app.app_context():
        slug = make_event(status=EventStatus.REGISTRATION_OPEN).slug
        service.create_user("organizer@example.org", role=Role.ORGANIZER, password="correct horse battery")
        grant_all_series()
        db.session.commit()
    client = public_app.test_client()
    client.post("/auth/login", data={"email": "organizer@example.org", "password": "correct horse battery"},
                base_url="http://internal.example/eventmgr")

    page = client.get(f"/events/{slug}/invitations/template", base_url="http://internal.example/eventmgr").text

    assert f"{BASE}/rsvp/" in page
    assert "%E2%80%A6" not in page and "internal.example/eventmgr/rsvp" not in page
