"""The one place a `next=` value becomes a redirect: only a same-site relative path.

Every view that sends the user on to a `next` it was given goes through `next_url()` (or
`safe_path()` for a value carried in a form field); tests/test_redirects.py fails on any
other reading of a `next` parameter, so a new one cannot skip the check.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import request

MAX_LENGTH = 2000


def _plain_path(value: str) -> bool:
    """A path on this site as a browser would read it: browsers drop tab/CR/LF inside URLs
    and treat "\\" as "/", so "/\\t/evil.com" and "/\\evil.com" lead to evil.com."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F or c in "\\\u2028\u2029" for c in value):
        return False
    if not value.startswith("/") or value.startswith("//"):
        return False
    parts = urlsplit(value)
    return not (parts.scheme or parts.netloc)


def safe_path(target: str | None, default: str) -> str:
    """`target` if it is a same-site relative path (also once percent-decoded), else `default`."""
    if not target or len(target) > MAX_LENGTH:
        return default
    decoded = target
    for _ in range(3):  # %252F%252F decodes twice into //
        if not _plain_path(decoded):
            return default
        decoded, before = unquote(decoded), decoded
        if decoded == before:
            return target
    return default


def next_url(default: str) -> str:
    """The request's `next` (query string or form), when safe; else `default`."""
    return safe_path(request.values.get("next"), default)
