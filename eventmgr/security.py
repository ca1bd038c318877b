"""Security headers sent with every response, and no caching of private ones."""

from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE
from itsdangerous import URLSafeTimedSerializer
from werkzeug.sansio.utils import host_is_trusted

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Pages that are private whoever asks: signing in, resetting and setting passwords.
PRIVATE_BLUEPRINTS = frozenset({"auth"})


# The bodies werkzeug parses into request.form (any other leaves it empty): asked first, so a
# GET does not set up form parsing for nothing.
FORM_MIMETYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def _carries_token() -> bool:
    return ("token" in (request.view_args or {}) or "token" in request.args
            or (request.mimetype in FORM_MIMETYPES and "token" in request.form))


def without_login_cookies() -> bool:
    """No session or remember cookie: nobody is signed in (sign-in lives in those cookies only)
    and no flashed message waits, known without opening the session or loading a user."""
    cookies = request.cookies
    return (current_app.config["SESSION_COOKIE_NAME"] not in cookies
            and current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE) not in cookies)


def is_private(carries_token: bool) -> bool:
    """A response that no shared or browser cache may keep: for a signed-in user, reached by a
    personal link (a token), or of the account pages."""
    return (request.blueprint in PRIVATE_BLUEPRINTS or carries_token
            or (request.endpoint != "static" and not without_login_cookies()
                and current_user.is_authenticated))


# Sent with every response that did not choose its own; added in one pass over the response's
# headers (werkzeug's setdefault scans the whole list once per header, on every request).
DEFAULT_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)


def apply_security_headers(response: Response) -> Response:
    carries_token = _carries_token()
    if is_private(carries_token):
        # Replaces any public caching a view chose (e.g. the cached agenda exports).
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
        response.vary.add("Cookie")
    if carries_token:
        # The link's token must not leave in a Referer to the next site the page links to.
        response.headers["Referrer-Policy"] = "no-referrer"
    chosen = {name.lower() for name, _ in response.headers.items()}
    response.headers.extend([(name, value) for name, value in DEFAULT_HEADERS if name.lower() not in chosen])
    return response


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def reject_foreign_origin() -> None:
    """A state change sent from another site's page is refused (with the CSRF token, a second
    line): the Origin, else the Referer, when the browser sends one, must be one of our hosts.
    Token pages send no Referer at all (no-referrer), which is why its absence is let through."""
    if request.method not in UNSAFE_METHODS:
        return
    origin = request.headers.get("Origin")
    source = origin if origin and origin != "null" else request.headers.get("Referer")
    if not source:
        return
    host = urlsplit(source).hostname
    trusted = current_app.config.get("TRUSTED_HOSTS") or []
    if host is None or not host_is_trusted(host, trusted):
        abort(400, description="This form was sent from another site's page, so it was refused.")


def reject_nul_characters() -> None:
    """Refuse form fields and query values holding NUL: it is not text, and PostgreSQL
    rejects it deep in the driver, which would surface as a server error."""
    for values in (request.args, request.form) if request.mimetype in FORM_MIMETYPES else (request.args,):
        if any("\x00" in value for _, value_list in values.lists() for value in value_list):
            abort(400, description="The request holds a NUL character (\\0), which is not text. "
                                   "Remove it and try again.")


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, its signer made once per secret key instead of on every
    request (about 8 µs of a cached hit's 300: Flask builds it to open even an absent cookie)."""

    def __init__(self) -> None:
        self._signer: tuple[tuple, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        signer = self._signer
        if signer is None or signer[0] != keys:
            signer = self._signer = (keys, super().get_signing_serializer(app))
        return signer[1]
