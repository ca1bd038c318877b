"""Roles per series: an organizer or rapporteur works on the series they are given; admins on
all. The authorization matrix checks every route for the staff of another series; these tests
check what lists and pages show them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eventmgr.auth import service
from eventmgr.auth.enums import Role
from eventmgr.errors import DomainError
from eventmgr.extensions import db
from eventmgr.series.enums import EventStatus
from eventmgr.series.models import Series
from tests.builders import make_event, make_series
from tests.conftest import PASSWORD

WIESBADEN_DRAFT = "Wiesbaden 2027 (draft, not announced)"
OTHER_DRAFT = "Vienna 2027 (draft, not announced)"


@pytest.fixture
def two_series(app):
    """Two series, each with its organizer and rapporteur, and a draft event in each."""
    with app.app_context():
        wiesbaden, vienna = make_series(staff=False, name="Wiesbaden process"), make_series(
            staff=False, name="Vienna process")
        make_event(wiesbaden, title=WIESBADEN_DRAFT)
        make_event(vienna, title=OTHER_DRAFT)
        make_event(wiesbaden, title="Wiesbaden 2014", status=EventStatus.PUBLISHED)
        accounts = {}
        for name, series in (("wiesbaden", wiesbaden), ("vienna", vienna)):
            for role in (Role.ORGANIZER, Role.RAPPORTEUR):
                user = service.create_user(f"{role.value}@{name}.example", role=role, password=PASSWORD)
                service.grant_series_role(user, series.id, role)
                accounts[f"{role.value}@{name}"] = user.email
        service.create_user("admin@example.org", role=Role.ADMIN, password=PASSWORD)
        service.create_user("new-organizer@example.org", role=Role.ORGANIZER, password=PASSWORD)
        db.session.commit()
        return {"wiesbaden": wiesbaden.slug, "vienna": vienna.slug,
                "wiesbaden_event": wiesbaden.events[0].slug, "vienna_event": vienna.events[0].slug}


def _as(app, email):
    client = app.test_client()
    assert client.post("/auth/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def test_a_rapporteur_sees_draft_titles_in_the_process_of_their_series_only(app, two_series):
    ours = _as(app, "rapporteur@wiesbaden.example")
    theirs = _as(app, "rapporteur@vienna.example")

    assert WIESBADEN_DRAFT in ours.get(f"/series/{two_series['wiesbaden']}/process").text
    refused = theirs.get(f"/series/{two_series['wiesbaden']}/process")
    assert refused.status_code == 403 and WIESBADEN_DRAFT not in refused.text


def test_an_organizer_lists_and_opens_only_their_series(app, two_series):
    organizer = _as(app, "organizer@wiesbaden.example")

    listing = organizer.get("/series").text
    assert WIESBADEN_DRAFT in listing and OTHER_DRAFT not in listing
    assert organizer.get(f"/events/{two_series['wiesbaden_event']}/manage").status_code == 200
    assert organizer.get(f"/events/{two_series['vienna_event']}/manage").status_code == 403
    # Another series' draft is not public, and its organizers are strangers there.
    assert organizer.get(f"/events/{two_series['vienna_event']}").status_code == 404
    assert organizer.get(f"/events/{two_series['vienna_event']}/agenda").status_code == 404


def test_admins_keep_every_series(app, two_series):
    admin = _as(app, "admin@example.org")

    listing = admin.get("/series").text
    assert WIESBADEN_DRAFT in listing and OTHER_DRAFT in listing
    assert admin.get(f"/series/{two_series['vienna']}/process").status_code == 200


def test_an_organizer_without_series_may_start_one_and_runs_it(app, two_series):
    newcomer = _as(app, "new-organizer@example.org")
    assert WIESBADEN_DRAFT not in newcomer.get("/series").text

    response = newcomer.post("/series/new", data={"slug": "geneva", "name": "Geneva process"})

    assert response.status_code == 302
    assert newcomer.get("/series/geneva/events/new").status_code == 200
    assert newcomer.get(f"/series/{two_series['wiesbaden']}/events/new").status_code == 403


def test_a_rapporteur_of_a_series_cannot_organize_it(app, two_series):
    rapporteur = _as(app, "rapporteur@wiesbaden.example")

    assert rapporteur.get(f"/events/{two_series['wiesbaden_event']}/report").status_code in (200, 404)
    assert rapporteur.get(f"/events/{two_series['wiesbaden_event']}/manage").status_code == 403


def test_an_admin_grants_and_removes_rights(app, two_series):
    admin = _as(app, "admin@example.org")
    with app.app_context():
        user = service.get_user_by_email("organizer@vienna.example")
        series_id = db.session.scalar(select(Series.id).where(Series.slug == two_series["wiesbaden"]))
        user_id = user.id

    admin.post(f"/auth/users/{user_id}/grants", data={"series_id": series_id, "role": "rapporteur"})
    vienna_organizer = _as(app, "organizer@vienna.example")
    assert vienna_organizer.get(f"/series/{two_series['wiesbaden']}/process").status_code == 200
    assert vienna_organizer.get(f"/events/{two_series['wiesbaden_event']}/manage").status_code == 403

    with app.app_context():
        grant_id = next(g.id for g in service.get_user_by_email("organizer@vienna.example").grants
                        if g.series_id == series_id)
    admin.post(f"/auth/users/{user_id}/grants/{grant_id}/delete")
    assert vienna_organizer.get(f"/series/{two_series['wiesbaden']}/process").status_code == 403


def test_rights_follow_the_kind_of_account(app, two_series):
    with app.app_context():
        rapporteur = service.get_user_by_email("rapporteur@vienna.example")
        series_id = rapporteur.grants[0].series_id
        with pytest.raises(DomainError, match="cannot be a series' organizer"):
            service.grant_series_role(rapporteur, series_id, Role.ORGANIZER)
        organizer = service.get_user_by_email("organizer@vienna.example")
        service.set_role(organizer, Role.PARTICIPANT)
        assert organizer.grants == []


def test_the_command_line_grants_rights_in_a_series(app, runner, two_series):
    result = runner.invoke(args=["users", "grant", "new-organizer@example.org", two_series["vienna"],
                                 "--as", "organizer"])

    assert result.exit_code == 0, result.output
    assert "is organizer of Vienna process" in result.output
    newcomer = _as(app, "new-organizer@example.org")
    assert newcomer.get(f"/series/{two_series['vienna']}/process").status_code == 200
    refused = runner.invoke(args=["users", "grant", "rapporteur@vienna.example", two_series["vienna"],
                                  "--as", "organizer"])
    assert refused.exit_code != 0 and "cannot be a series' organizer" in refused.output
