"""The published agenda's revision, the per-worker cache keyed by it, and cached responses.

A cached public hit costs one small query (`queries.agenda_revision`: the event's status and
shown details with the agenda's version), no ORM objects and no user loading; the body and its
compressed forms are built once per revision and kept in an in-process LRU per app.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import brotli
from flask import Response, current_app, request
from werkzeug.http import parse_accept_header

from eventmgr.agenda.queries import AgendaRevision
from eventmgr.gcpause import collector_paused

CACHE_SIZE = 64
# Server preference among what the client accepts: brotli is smaller, gzip universal.
ENCODINGS = ("br", "gzip")
_lock = threading.Lock()
Built = TypeVar("Built")


# Every cached hit names its revision: the key is made once per revision (AgendaRevision is
# frozen, so equal revisions read on later requests find it).
@functools.lru_cache(maxsize=256)
def revision_key(revision: AgendaRevision) -> str:
    """Names one state of the published agenda: its version, and the event details shown with it.

    The revision time joins the version so a recreated database never matches an old entry.
    """
    details = hashlib.blake2b(repr(revision.details).encode(), digest_size=6).hexdigest()
    return f"{revision.event_id}-{revision.version}-{revision.updated_at.timestamp():.0f}-{details}"


def cached(key: tuple, build: Callable[[], Built]) -> Built:
    """A small in-process LRU (per app) of built exports, feed parts and pages, keyed by the
    agenda's revision and what was built."""
    store: OrderedDict[tuple, object] = current_app.extensions.setdefault("agenda_exports", OrderedDict())
    with _lock:
        if key in store:
            store.move_to_end(key)
            return store[key]
    # A build makes thousands of small objects that all live until it ends: collections during it
    # would scan them for nothing, more often the larger the agenda (bench/README.md, issue 19).
    with collector_paused():
        built = build()
    with _lock:
        store[key] = built
        while len(store) > CACHE_SIZE:
            store.popitem(last=False)
    return built


def peek(key: tuple) -> object | None:
    """What the cache holds under `key`, or None; builds nothing."""
    store = current_app.extensions.get("agenda_exports", {})
    with _lock:
        return store.get(key)


@dataclass
class Body:
    """A response body with its compressed forms, each made once on first demand, and the
    headers of its 200 answer in each form, kept after the first: a hit copies them rather than
    setting each one (werkzeug scans the whole header list for every header set)."""

    content: bytes
    encoded: dict[str, bytes] = field(default_factory=dict)
    headers: dict[str | None, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def encoded_as(self, encoding: str | None) -> bytes:
        if encoding is None:
            return self.content
        if encoding not in self.encoded:
            compress = brotli.compress if encoding == "br" else _gzip
            self.encoded[encoding] = compress(self.content)
        return self.encoded[encoding]


def _gzip(content: bytes) -> bytes:
    # mtime=0: the same bytes for the same body, so the ETag names one representation.
    return gzip.compress(content, compresslevel=6, mtime=0)


def chosen_encoding() -> str | None:
    """The compression to answer this request with (None: the body as it is)."""
    return _best_encoding(request.headers.get("Accept-Encoding", ""))


@functools.lru_cache(maxsize=64)
def _best_encoding(accept_encoding: str) -> str | None:
    # Browsers send a handful of distinct values: each is parsed once.
    accepted = parse_accept_header(accept_encoding)
    best = accepted.best_match(ENCODINGS)
    return best if best and accepted[best] > 0 else None


def conditional(key: tuple, build: Callable[[], bytes], *, etag: str, mimetype: str,
                vary: tuple[str, ...] = (), finish: Callable[[Response], None] | None = None) -> Response:
    """Answer from the cache: 304 when the client holds `etag` (nothing built), else the body,
    compressed as the client accepts. Each encoding has its own ETag. `finish` sets the
    caller's own headers, the same for every request of this key."""
    encoding = chosen_encoding()
    tagged = f"{etag}-{encoding}" if encoding else etag
    if request.if_none_match.contains(tagged):
        response = Response(status=304)
        body = None
    else:
        body = cached(key, lambda: Body(build()))
        if encoding in body.headers:
            return Response(body.encoded_as(encoding), headers=body.headers[encoding])
        response = Response(body.encoded_as(encoding), mimetype=mimetype)
        if encoding:
            response.content_encoding = encoding
    response.set_etag(tagged)
    response.vary.update(("Accept-Encoding", *vary))
    if finish is not None:
        finish(response)
    if body is not None:
        body.headers[encoding] = tuple(response.headers.items())
    return response
