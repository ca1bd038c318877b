"""Cached public agenda responses: one revision check for anonymous readers, compressed bodies,
ETag/304 and Vary kept, and nothing shared with signed-in readers."""

import gzip

import brotli
import pytest

from eventmgr.agenda import service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.series.enums import EventStatus
from tests.builders import make_agenda_session, make_event


@pytest.fixture
def published(app_ctx):
    event = make_event(status=EventStatus.PUBLISHED)
    session = make_agenda_session(event, "Opening plenary")
    make_agenda_session(event, "Panel on brokering", day=1)
    service.publish_agenda(event, None)
    db.session.commit()
    return event, session


def test_an_anonymous_cached_page_costs_one_query_and_no_session_lookup(client, published, count_queries):
    event, _ = published
    url = f"/events/{event.slug}/agenda"
    first = client.get(url)
    with count_queries() as statements:
        again = client.get(url)
    assert again.data == first.data and "Opening plenary" in again.get_data(as_text=True)
    assert len(statements) == 1, statements
    assert "agenda_state" in statements[0]
    assert not any("user_session" in s or '"user"' in s for s in statements)
    assert "Set-Cookie" not in again.headers


def test_anonymous_page_keeps_etag_304_and_vary(client, published):
    event, _ = published
    url = f"/events/{event.slug}/agenda"
    response = client.get(url)
    etag = response.headers["ETag"]
    assert {"Cookie", "Accept-Encoding"} <= set(response.vary)
    assert response.content_type == "text/html; charset=utf-8"
    not_modified = client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert {"Cookie", "Accept-Encoding"} <= set(not_modified.vary)
    assert client.get(url + "?day=2014-11-21").headers["ETag"] != etag


@pytest.mark.parametrize(("encoding", "decode"), [("gzip", gzip.decompress), ("br", brotli.decompress)])
@pytest.mark.parametrize("path", ["/events/{slug}/agenda", "/events/{slug}/agenda.ics",
                                  "/events/{slug}/schedule.json"])
def test_compressed_bodies_are_the_same_content_with_their_own_etag(client, published, encoding, decode,
                                                                   path):
    event, _ = published
    url = path.format(slug=event.slug)
    plain = client.get(url)
    compressed = client.get(url, headers={"Accept-Encoding": f"{encoding}, identity;q=0.5"})
    assert compressed.headers["Content-Encoding"] == encoding
    assert decode(compressed.data) == plain.data
    assert "Accept-Encoding" in compressed.vary and "Accept-Encoding" in plain.vary
    assert compressed.headers["ETag"] != plain.headers["ETag"]
    assert client.get(url, headers={"Accept-Encoding": encoding,
                                    "If-None-Match": compressed.headers["ETag"]}).status_code == 304
    refused = client.get(url, headers={"Accept-Encoding": f"{encoding};q=0"})
    assert "Content-Encoding" not in refused.headers and refused.data == plain.data


def test_a_change_to_the_agenda_makes_a_new_page_and_etag(client, published):
    event, session = published
    url = f"/events/{event.slug}/agenda"
    before = client.get(url)
    service.update_session(session, None, kind=session.kind, title="Opening plenary (moved)",
                           description="", starts_at=session.starts_at, ends_at=session.ends_at,
                           room_id=session.room_id, parent_id=None, position=0)
    db.session.commit()
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and "Opening plenary (moved)" in after.get_data(as_text=True)


def test_signed_in_readers_get_their_own_page_never_stored(client, auth, published):
    event, _ = published
    url = f"/events/{event.slug}/agenda"
    client.get(url)  # the anonymous page is cached
    auth.login(Role.PARTICIPANT)
    page = client.get(url)
    assert "Add to my agenda" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    auth.logout()
    # Logged out, with a session cookie still held: a correct page, without the signed-in buttons.
    assert "Add to my agenda" not in client.get(url).get_data(as_text=True)


def test_other_query_values_do_not_key_the_shared_page(client, published, count_queries):
    event, _ = published
    url = f"/events/{event.slug}/agenda?day=2014-11-21&utm_source=x"
    client.get(url)
    with count_queries() as statements:
        page = client.get(url).get_data(as_text=True)
    assert "Panel on brokering" in page and "Opening plenary" not in page
    assert len(statements) > 1  # built as a page of its own, not a shared cache entry


def test_unpublished_or_draft_events_are_not_served_from_the_cache(client, app_ctx):
    draft_event = make_event(status=EventStatus.DRAFT)
    make_agenda_session(draft_event, "Secret")
    service.publish_agenda(draft_event, None)
    db.session.commit()
    assert client.get(f"/events/{draft_event.slug}/agenda").status_code == 404
    assert client.get(f"/events/{draft_event.slug}/agenda.ics").status_code == 404


@pytest.mark.parametrize("path", ["/events/{slug}/sessions/{session_id}.ics", "/events/{slug}/agenda.ics",
                                  "/events/{slug}/agenda"])
@pytest.mark.parametrize("accept_encoding", ["", "gzip, deflate, br", "gzip;q=0, br;q=0", "identity"])
def test_a_cached_hit_answers_with_the_headers_of_the_first_answer(client, published, path,
                                                                   accept_encoding):
    """The headers a hit copies from the first answer (agenda/cache.py) are the same, security
    headers included, for every encoding asked; a signed-in reader's answer is still private."""
    event, session = published
    url = path.format(slug=event.slug, session_id=session.id)
    headers = {"Accept-Encoding": accept_encoding} if accept_encoding else {}

    first, again = client.get(url, headers=headers), client.get(url, headers=headers)
    not_modified = client.get(url, headers=headers | {"If-None-Match": again.headers["ETag"]})

    def without_date(response):
        return [(name, value) for name, value in response.headers.items() if name != "Date"]

    assert again.status_code == 200 and again.data == first.data
    assert without_date(again) == without_date(first)
    assert again.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert again.headers["X-Content-Type-Options"] == "nosniff"
    assert again.headers["X-Frame-Options"] == "DENY"
    assert again.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert "gzip" not in again.headers.get("Content-Encoding", "") or "gzip;q=0" not in accept_encoding


def test_a_signed_in_reader_of_a_cached_export_gets_a_private_answer(client, auth, published):
    event, session = published
    url = f"/events/{event.slug}/sessions/{session.id}.ics"
    public = client.get(url)
    auth.login(Role.ORGANIZER)

    private = client.get(url)

    assert "public" in public.headers["Cache-Control"]
    assert private.data == public.data
    assert private.headers["Cache-Control"] == "no-store" and "Cookie" in private.vary
