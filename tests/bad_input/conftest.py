"""Shared pieces of the bad-input suite: a world to aim at and a count of every table."""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass

import pytest
import sqlalchemy as sa

from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.reports import service as reports_service
from eventmgr.series.enums import EventStatus
from tests.builders import make_agenda_session, make_event, make_organization, make_series

# Written on purpose by a refused request: a failed sign-in is counted (eventmgr/auth/throttle.py).
COUNTED_ON_REFUSAL = {"auth_throttle"}


def row_counts() -> dict[str, int]:
    """Rows per table: equal before and after a refused request means nothing was written."""
    return {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables if table.name not in COUNTED_ON_REFUSAL}


@dataclass(frozen=True)
class BadInput:
    """A request that must be refused with `message` and status `status`, writing nothing."""

    url: str  # with World's fields: {slug}, {series_slug}, {session_id}
    data: dict[str, str]
    message: str
    role: Role | None = Role.ORGANIZER
    status: int = 400


@dataclass(frozen=True)
class World:
    slug: str
    series_slug: str
    organization_id: int
    session_id: int


@pytest.fixture
def world(app_ctx, users) -> World:
    series = make_series(slug="wiesbaden-process")
    event = make_event(series, slug="frankfurt-2014", status=EventStatus.REGISTRATION_OPEN, capacity=80)
    organization = make_organization("Dangote Group")
    session = make_agenda_session(event, "Opening panel")
    reports_service.draft_report(event, None)
    db.session.commit()
    return World(slug=event.slug, series_slug=series.slug, organization_id=organization.id,
                 session_id=session.id)


def post_refused(client, auth, world: World, case: BadInput):
    """Post the case's form as its role and check the answer and that no table changed."""
    if case.role is not None:
        auth.login(case.role)
    before = row_counts()
    response = client.post(case.url.format(**asdict(world)), data=case.data)
    body = html.unescape(response.get_data(as_text=True))
    assert (response.status_code, case.message in body) == (case.status, True), body[-3000:]
    db.session.rollback()
    assert row_counts() == before
    return response
