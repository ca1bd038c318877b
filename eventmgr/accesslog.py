"""Access logs without secrets: the token segment of a personal link (set-password, RSVP,
cancellation, personal feed) and any `token=` query value are logged as "[token]". The Mail
tab shows messages as sent through the same redaction, so staff reading a participant's mail
never hold that participant's links.

The patterns come from the URL map (every rule with a `token` argument), learnt when the
app is created, so a new token route is redacted without anyone remembering to. The dev
server's log (werkzeug) gets a filter; gunicorn uses TokenRedactingLogger, which the
repository's gunicorn.conf.py names.
"""

from __future__ import annotations

import logging
import re

from werkzeug.routing import Map

REDACTED = "[token]"
_QUERY_TOKEN = re.compile(r"((?:^|[?&;])token=)[^&;\s#\"'<>]*", re.IGNORECASE)
_token_paths: list[re.Pattern[str]] = []


def _rule_pattern(rule: str) -> re.Pattern[str]:
    """A search pattern for a rule's path, with the token argument as the group to hide."""
    parts = re.split(r"(<[^>]+>)", rule)
    regex = ""
    for part in parts:
        if not part.startswith("<"):
            regex += re.escape(part)
        elif part.strip("<>").split(":")[-1] == "token":
            # Our tokens are URL-safe base64 (secrets.token_urlsafe), so a token ends at the
            # first other character: a space, a quote of an HTML attribute, a full stop.
            regex += "(?P<token>[A-Za-z0-9_-]+)"
        else:
            regex += "[^/?#\\s\"'<>]+"
    return re.compile(regex)


def learn_token_routes(url_map: Map) -> None:
    rules = sorted({rule.rule for rule in url_map.iter_rules() if "token" in rule.arguments})
    _token_paths[:] = [_rule_pattern(rule) for rule in rules]


def redact(text: str | None) -> str | None:
    if not text:
        return text
    for pattern in _token_paths:
        text = pattern.sub(lambda m: m.group(0).replace(m.group("token"), REDACTED), text)
    return _QUERY_TOKEN.sub(lambda m: m.group(1) + REDACTED, text)


class TokenRedactingFilter(logging.Filter):
    """For werkzeug's request log (`flask run`): redacts the formatted request line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        record.msg = redact(record.msg) if isinstance(record.msg, str) else record.msg
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn is a production dependency; the dev server does without it
    _GunicornLogger = None

if _GunicornLogger is not None:

    class TokenRedactingLogger(_GunicornLogger):
        """gunicorn's logger, with every atom (request line, path, query, referrer, headers and
        environ values) redacted."""

        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
