"""The exact `<main>` of the public agenda page for the golden datasets (untimed items, side
events, cancelled items, break-outs (with a person), organizations / States / functions as
holders, family-name-first and right-to-left names, several days with an empty one), as an anonymous reader, a
participant with a personal agenda and the event's organizer see it, so a rewrite of the page
builder can be checked against them byte for byte.

The only normalisation: each form's CSRF token (different in every session) is replaced by a
fixed word. After an intended change of the page, rewrite the files with
`UPDATE_GOLDEN=1 .venv/bin/pytest tests/agenda/test_public_page_golden.py` and review the diff.
"""

import os
import re

import pytest
import sqlalchemy as sa

from eventmgr.agenda import service as agenda_service
from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.agenda.models import AgendaSession, AgendaState
from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.registry.enums import NameOrder
from eventmgr.series.enums import EventStatus
from tests.agenda.test_exports import _agendas_of_10_and_300_sessions
from tests.agenda.test_golden import GOLDEN, PINNED, demo, edge, tricky
from tests.builders import make_agenda_session, make_event, make_person
from tests.conftest import ROLE_EMAILS

READERS = ("anonymous", "participant", "organizer")
CSRF = re.compile(r'(name="csrf_token" value=")[^"]*(")')


def main_of(page: str) -> str:
    start, end = page.index("<main"), page.index("</main>") + len("</main>")
    return CSRF.sub(r"\1CSRF\2", page[start:end])


def add_breakouts(slug: str) -> None:
    """Two break-out groups under the first timed panel, at its time: one in its room, one
    with no room and a chair."""
    panel = db.session.scalars(
        sa.select(AgendaSession).where(AgendaSession.event.has(slug=slug),
                                       AgendaSession.kind == SessionKind.PANEL,
                                       AgendaSession.starts_at.is_not(None))
        .order_by(AgendaSession.starts_at, AgendaSession.id)).first()
    for title, room_id in (("Group A: brokering", panel.room_id), ("Group B: ‏مجموعة النقل", None)):
        group = agenda_service.create_session(panel.event, None, kind=SessionKind.BREAKOUT, title=title,
                                              room_id=room_id, parent_id=panel.id,
                                              starts_at=panel.starts_at, ends_at=panel.ends_at)
    agenda_service.add_person(group, make_person(given_name="Joon", family_name="OH",
                                                 name_order=NameOrder.FAMILY_GIVEN, country="KR"),
                              SessionRoleKind.CHAIR, None)
    db.session.commit()


def choose_sessions(slug: str) -> None:
    """The participant's personal agenda: every third timed item (a cancelled one included when
    it falls so), and the first break-out group."""
    user = auth_service.get_user_by_email(ROLE_EMAILS[Role.PARTICIPANT])
    sessions = db.session.scalars(
        sa.select(AgendaSession).join(AgendaSession.event).where(
            AgendaSession.event.has(slug=slug), AgendaSession.starts_at.is_not(None))
        .order_by(AgendaSession.id)).all()
    chosen = sessions[::3] + [s for s in sessions if s.parent_id is not None][:1]
    for session in chosen:
        agenda_service.add_to_personal_agenda(user, session)
    db.session.commit()


def assert_golden_page(client, slug: str, query: str, name: str) -> None:
    response = client.get(f"/events/{slug}/agenda{query}")
    assert response.status_code == 200
    body = main_of(response.get_data(as_text=True)).encode()
    filtered = query.strip("?").replace("&", "-").replace("=", "_") or "all"
    golden = GOLDEN / f"{name}-{filtered}.html"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(body)
    assert body == golden.read_bytes()


def golden_agenda(dataset) -> str:
    slug = dataset()
    add_breakouts(slug)
    db.session.execute(sa.update(AgendaSession).values(created_at=PINNED, updated_at=PINNED))
    db.session.execute(sa.update(AgendaState).values(updated_at=PINNED))
    db.session.commit()
    return slug


@pytest.mark.parametrize("query", ["", "?kind=panel", "?day=2014-10-25&room=Plenary+hall", "?room=Nowhere"],
                         ids=["all", "kind", "day-room", "none"])
@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("dataset", [demo, tricky, edge], ids=["demo", "tricky", "edge"])
def test_public_page_is_the_golden_file(client, auth, app_ctx, dataset, reader, query):
    slug = golden_agenda(dataset)
    choose_sessions(slug)
    if reader != "anonymous":
        auth.login(Role(reader))
    assert_golden_page(client, slug, query, f"{dataset.__name__}-page-{reader}")


# The organizer's preview of an agenda not published (again): every item, no calendar links or
# personal buttons, "Draft". (The demo's event is not theirs.)
@pytest.mark.parametrize("query", ["", "?kind=panel", "?room=Nowhere"], ids=["all", "kind", "none"])
@pytest.mark.parametrize("dataset", [tricky, edge], ids=["tricky", "edge"])
def test_the_draft_preview_is_the_golden_file(client, auth, app_ctx, dataset, query):
    slug = golden_agenda(dataset)
    db.session.execute(sa.update(AgendaState).values(published_at=None))
    db.session.commit()
    auth.login(Role.ORGANIZER)
    assert_golden_page(client, slug, query, f"{dataset.__name__}-page-draft")


# The page of a reader the cache has not served yet: the revision, the event alone (the page
# shows only its own columns), the sessions and their people as plain rows (2). A signed-in
# reader adds their chosen items and whether they have a feed (their session and user are
# loaded on the warm-up request and kept by the test's app context; one more is sometimes
# needed after other tests in the worker); their buttons come with the days.
@pytest.mark.parametrize(("reader", "statements"), [("anonymous", 4), ("participant", 6)])
def test_the_page_runs_the_same_queries_for_10_and_300_items(client, auth, prebuilt, app_ctx, count_queries,
                                                            reader, statements):
    slugs = prebuilt("agendas of 10 and 300 sessions", _agendas_of_10_and_300_sessions)
    if reader != "anonymous":
        auth.login(Role(reader))
    counts = []
    for slug in slugs:
        client.get(f"/events/{slug}/agenda")  # the signed-in reader's own loading done once
        client.application.extensions.get("agenda_exports", {}).clear()
        with count_queries() as recorded:
            assert client.get(f"/events/{slug}/agenda").status_code == 200
        counts.append(len(recorded))
    # Signed in, the reader's own loading (session, user, grants) depends on what the worker's app
    # context already holds, so only "no more for 300 items than for 10" and the ceiling are fixed.
    assert (counts[0] == counts[1] == statements if reader == "anonymous"
            else counts[1] <= counts[0] <= statements + 1), counts


@pytest.mark.parametrize("reader", ["anonymous", "participant"])
def test_an_agenda_not_published_yet_says_so(client, auth, app_ctx, reader):
    event = make_event(status=EventStatus.PUBLISHED)
    make_agenda_session(event, "Draft plenary")
    db.session.commit()
    if reader != "anonymous":
        auth.login(Role(reader))
    page = client.get(f"/events/{event.slug}/agenda").get_data(as_text=True)
    assert "The agenda has not been published yet." in page and "Draft plenary" not in page
