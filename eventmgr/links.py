"""Absolute links for mails and calendar feeds, inside or outside a request."""

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of an endpoint: the request's host, or EVENTMGR_BASE_URL outside one."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = current_app.config["SERVER_NAME_FOR_LINKS"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)
