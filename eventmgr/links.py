"""The public address: every absolute URL the app writes comes from EVENTMGR_BASE_URL.

A link in a mail, a calendar feed or a cached export outlives the request that made it,
and the request's Host (or X-Forwarded-Host) is whatever the client sent. So absolute
URLs are built from the configured base URL only, inside a request or not, and requests
for a host outside the configured set are refused (Flask's TRUSTED_HOSTS).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from flask import Flask, current_app, has_request_context, request
from werkzeug.middleware.proxy_fix import ProxyFix


class PublicAddressError(RuntimeError):
    """The configuration does not say where the app is served."""


def parse_base_url(value: str | None) -> tuple[str, str, str]:
    """(scheme, host[:port], path) of a base URL such as https://events.example.org/eventmgr."""
    if not value or not value.strip():
        raise PublicAddressError(
            "EVENTMGR_BASE_URL is not set. Links in mails, calendar feeds and exports must name the "
            "address users reach the app at, never the Host header a client sent: "
            "export EVENTMGR_BASE_URL=https://events.example.org")
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise PublicAddressError(
            f"EVENTMGR_BASE_URL={value!r} is not an absolute http(s) address without query or "
            "fragment, e.g. https://events.example.org")
    return parts.scheme, parts.netloc.lower(), parts.path.rstrip("/")


def configure_public_address(app: Flask) -> None:
    """Check the base URL, derive the trusted hosts, and trust forwarded headers only for
    EVENTMGR_PROXY_COUNT proxies."""
    scheme, netloc, _ = parse_base_url(app.config.get("EVENTMGR_BASE_URL"))
    app.config["PREFERRED_URL_SCHEME"] = scheme
    if app.config.get("TRUSTED_HOSTS") is None:
        hostname = urlsplit(f"{scheme}://{netloc}").hostname
        extra = app.config.get("EVENTMGR_TRUSTED_HOSTS") or []
        if isinstance(extra, str):
            extra = extra.split(",")
        app.config["TRUSTED_HOSTS"] = [hostname, *(h.strip() for h in extra if h.strip())]
    proxies = int(app.config.get("EVENTMGR_PROXY_COUNT") or 0)
    if proxies < 0:
        raise PublicAddressError("EVENTMGR_PROXY_COUNT must be 0 or the number of proxies in front.")
    if proxies:
        # The client address, scheme and host as the N-th proxy from us saw them; without a
        # count, X-Forwarded-* are ignored (anyone can send them).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies,
                                x_port=proxies)


def external_url(endpoint: str, *, _anchor: str | None = None, _method: str | None = None,
                 **values: Any) -> str:
    """The absolute URL of an endpoint under EVENTMGR_BASE_URL, whatever the request says."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if endpoint.startswith("."):
        blueprint = request.blueprint if has_request_context() else None
        endpoint = f"{blueprint}{endpoint}" if blueprint else endpoint[1:]
    scheme, netloc, path = parse_base_url(app.config.get("EVENTMGR_BASE_URL"))
    adapter = app.url_map.bind(netloc, script_name=path or "/", url_scheme=scheme)
    app.inject_url_defaults(endpoint, values)
    url = adapter.build(endpoint, values, method=_method, force_external=True)
    if _anchor is not None:
        url += "#" + quote(_anchor, safe="%!#$&'()*+,/:;=?@")
    return url


class PublicAddressFlask(Flask):
    """Flask whose absolute URLs (`url_for(..., _external=True)` in code and templates, and
    every URL built outside a request) all come from EVENTMGR_BASE_URL."""

    def url_for(self, endpoint: str, *, _anchor: str | None = None, _method: str | None = None,
                _scheme: str | None = None, _external: bool | None = None, **values: Any) -> str:
        external = _external if _external is not None else (
            _scheme is not None or not has_request_context())
        if external:
            if _scheme is not None:
                raise ValueError("The scheme of absolute URLs is EVENTMGR_BASE_URL's.")
            return external_url(endpoint, _anchor=_anchor, _method=_method, **values)
        return super().url_for(endpoint, _anchor=_anchor, _method=_method, _external=False, **values)
