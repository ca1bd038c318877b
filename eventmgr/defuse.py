"""Free text that reaches the instance's mails (names, organizations, needs) is shown as plain
text, never as a link.

Mail clients make links of what looks like one, in plain-text and HTML parts alike: a
scheme (https://, javascript:, mailto:), "www.", a bare domain ("evil.example") or an
address. Someone registering as "Visit https://evil.example/login" would otherwise have the
instance send a clickable phishing link under its own name. Inside such a run the dots,
colons and @ are bracketed ("evil[.]example", "https[:]//"), the way advisories quote
hostile addresses: still readable, never a link.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_LINK_LIKE = re.compile(
    r"""(?ix)
    (?:\b[a-z][a-z0-9+.\-]*:(?://)?\S+)          # a scheme: https://x, javascript:x, mailto:x
    | (?:\bwww\.\S+)                            # www.example
    | (?:[^\s@<>()"']+@[^\s@<>()"']+)           # an address
    | (?:\b(?:[a-z0-9\-]+\.)+[a-z][a-z0-9\-]{1,62}\b(?:/\S*)?)  # a bare domain, with a path
    """
)


def _bracket(match: re.Match[str]) -> str:
    return match.group(0).replace(".", "[.]").replace(":", "[:]").replace("@", "[@]")


def defuse_links(text: str | None) -> str:
    """`text` with every run a mail client would make a link of defused."""
    if not text:
        return ""
    return _LINK_LIKE.sub(_bracket, str(text))


def defuse_links_html(text: str | None) -> Markup:
    """The same for an HTML part: escaped, then defused."""
    return Markup(defuse_links(str(escape(text or ""))))
