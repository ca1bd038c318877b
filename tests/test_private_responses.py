"""Private responses are not cached (no-store), public ones keep their caching; token pages send
no Referer; access logs leave tokens out. The authorization matrix also checks no-store for
every route and signed-in role (tests/test_access_matrix.py)."""

from __future__ import annotations

import logging

from flask import url_for
from werkzeug.routing import IntegerConverter

from eventmgr.accesslog import REDACTED, TokenRedactingFilter, TokenRedactingLogger, redact
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_published_agenda

SECRET = "Sec4et-T0ken_abcdefghijklmnopqrstu"


def test_public_exports_stay_cacheable_for_readers_and_not_for_signed_in_users(client, app, auth):
    with app.app_context():
        event = make_event(status=EventStatus.PUBLISHED)
        make_published_agenda(event, 1)
        slug = event.slug

    public = client.get(f"/events/{slug}/agenda.ics")
    assert "public" in public.headers["Cache-Control"] and "max-age=300" in public.headers["Cache-Control"]
    assert public.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"

    auth.login("organizer")
    private = client.get(f"/events/{slug}/agenda.ics")
    assert private.headers["Cache-Control"] == "no-store"
    assert "Cookie" in private.headers["Vary"]


def test_login_and_reset_pages_are_not_stored(client):
    for path in ("/auth/login", "/auth/reset"):
        assert client.get(path).headers["Cache-Control"] == "no-store"


def test_token_pages_are_not_stored_and_send_no_referrer(client, app):
    with app.app_context():
        slug = make_event(status=EventStatus.REGISTRATION_OPEN).slug
    for path in (f"/auth/set-password/{SECRET}", f"/rsvp/{SECRET}", f"/events/{slug}/cancel/{SECRET}",
                 f"/agenda/feed/{SECRET}.ics", f"/events/{slug}/register?token={SECRET}"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path
        assert response.headers["Referrer-Policy"] == "no-referrer", path


def test_every_token_route_is_redacted_from_logs(app):
    rules = [rule for rule in app.url_map.iter_rules() if "token" in rule.arguments]
    assert len(rules) >= 5
    with app.test_request_context():
        for rule in rules:
            values = {name: 1 if isinstance(rule._converters.get(name), IntegerConverter) else "x-slug"
                      for name in rule.arguments if name != "token"}
            path = url_for(rule.endpoint, token=SECRET, **values)
            line = f'GET {path}?page=2 HTTP/1.1'
            assert SECRET not in redact(line) and REDACTED in redact(line), rule.rule
    redacted = redact(f"/events/x/register?lang=en&token={SECRET}")
    assert redacted == f"/events/x/register?lang=en&token={REDACTED}"
    assert redact("/events/x/agenda?day=2") == "/events/x/agenda?day=2"


def test_dev_server_log_lines_are_redacted():
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '%s - - "%s" %s',
                               ("127.0.0.1", f"GET /auth/set-password/{SECRET} HTTP/1.1", "200"), None)

    TokenRedactingFilter().filter(record)

    assert SECRET not in record.getMessage()


def test_gunicorn_access_log_is_redacted(app):
    import datetime as dt
    from types import SimpleNamespace

    from gunicorn.config import Config

    logger = TokenRedactingLogger(Config())
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/rsvp/{SECRET}?token={SECRET}",
               "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": f"/rsvp/{SECRET}",
               "QUERY_STRING": f"token={SECRET}",
               "HTTP_REFERER": f"https://events.example.org/auth/set-password/{SECRET}"}
    atoms = logger.atoms(SimpleNamespace(status="200 OK", headers=[], sent=10), SimpleNamespace(headers=[]),
                         environ, dt.timedelta(seconds=0))

    assert not [key for key, value in atoms.items() if SECRET in str(value)]


def test_the_repository_gunicorn_config_names_the_redacting_logger():
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "gunicorn.conf.py").read_text()
    assert "eventmgr.accesslog.TokenRedactingLogger" in text


def test_a_form_sent_from_another_site_is_refused_but_a_token_page_without_referer_works(client, app):
    foreign = client.post("/auth/reset", data={"email": "x@example.org"},
                          headers={"Origin": "https://evil.example"})
    from_referer = client.post("/auth/reset", data={"email": "x@example.org"},
                               headers={"Referer": "https://evil.example/page"})
    ours = client.post("/auth/reset", data={"email": "x@example.org"},
                       headers={"Origin": "http://localhost", "Referer": "http://localhost/auth/reset"})
    # A token page sends no Referer (no-referrer) and its Origin is then "null".
    bare = client.post("/auth/reset", data={"email": "x@example.org"}, headers={"Origin": "null"})

    assert (foreign.status_code, from_referer.status_code, ours.status_code, bare.status_code) == (
        400, 400, 302, 302)
    assert app.config["WTF_CSRF_SSL_STRICT"] is False
