"""The public participant list's body, built from plain rows and kept per content.

Rendering a list of thousands of names is most of the page's cost; the rows behind it
are one cheap query. The rendered body is kept in a small in-process LRU (per app)
keyed by a digest of exactly what it shows, so any change of a name, an organization,
a consent or the enclosure makes a new entry and no stale list is ever served, in any
worker, without every writer having to announce its change.
"""

from __future__ import annotations

import hashlib
import threading

from cachetools import LRUCache
from flask import current_app, render_template
from markupsafe import Markup

from eventmgr.registry import queries
from eventmgr.registry.enclosure import build_enclosure
from eventmgr.registry.enums import ListVisibility
from eventmgr.series.models import Event

CACHE_SIZE = 32
_lock = threading.Lock()


def public_listing(event: Event, visibility: ListVisibility) -> Markup:
    """The named persons (if published) and the organizations represented, as HTML (3 queries)."""
    persons = queries.listed_persons(event) if visibility is ListVisibility.PERSONS else []
    paragraphs = build_enclosure(event)
    key = hashlib.blake2b(repr((visibility.value, persons, paragraphs)).encode(), digest_size=16).digest()
    cache = current_app.extensions.setdefault("participant_lists", LRUCache(maxsize=CACHE_SIZE))
    with _lock:
        body = cache.get(key)
    if body is None:
        body = Markup(render_template("registry/_public_list_body.html", visibility=visibility,
                                      persons=persons, paragraphs=paragraphs))
        with _lock:
            cache[key] = body
    return body
