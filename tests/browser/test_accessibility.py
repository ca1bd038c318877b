"""Accessibility of the main public pages and the invitation pages: axe-core, injected by Playwright, finds no
serious or critical violation.

axe-core comes from npm (tests/browser/axe/package.json; `make test` runs `npm ci`).
The CSP forbids inline scripts, so the browser context bypasses it to inject axe.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.demo import load_demo
from eventmgr.extensions import db
from eventmgr.invitations import service as invitations_service
from eventmgr.mail.models import Message
from eventmgr.reports import service as reports_service
from eventmgr.reports.enums import ReportStatus
from eventmgr.series.enums import EventStatus
from eventmgr.series.models import Event
from tests.builders import grant_all_series, make_event, make_organization, make_person
from tests.conftest import log_in, shoot

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
DEMO_EVENT = "frankfurt-2014"
# Public pages by URL rule; those whose package has not landed yet are left out.
PAGES = {
    "home": ("/", "/"),
    "event page": ("/events/<slug>", f"/events/{DEMO_EVENT}"),
    "login": ("/auth/login", "/auth/login"),
    "registration form": ("/events/<slug>/register", "/events/{open_slug}/register"),
    "participant list": ("/events/<slug>/participant-list", f"/events/{DEMO_EVENT}/participant-list"),
    "agenda": ("/events/<slug>/agenda", f"/events/{DEMO_EVENT}/agenda"),
    "report": ("/events/<slug>/report", f"/events/{DEMO_EVENT}/report"),
}


@pytest.fixture
def axe_page(browser, live_server):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test` (it runs npm ci in tests/browser/axe)")
    context = browser.new_context(base_url=live_server.base_url, bypass_csp=True,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def demo_urls(live_server) -> dict[str, str]:
    with live_server.app_context():
        load_demo()
        db.session.commit()
        open_event = db.session.scalar(sa.select(Event).where(
            Event.status == EventStatus.REGISTRATION_OPEN).limit(1))
        open_slug = (open_event or make_event(status=EventStatus.REGISTRATION_OPEN)).slug
        publish_report(db.session.scalar(sa.select(Event).where(Event.slug == DEMO_EVENT)))
        db.session.commit()
        rules = {rule.rule for rule in live_server.url_map.iter_rules()}
    return {name: url.format(open_slug=open_slug) for name, (rule, url) in PAGES.items() if rule in rules}


def publish_report(event: Event) -> None:
    organizer = auth_service.create_user("a11y@test.example", role=Role.ORGANIZER,
                                         password="organizer-password")
    grant_all_series()  # the test world's staff run its series
    report = reports_service.draft_report(event, organizer).report
    for status in (ReportStatus.IN_REVIEW, ReportStatus.FINAL, ReportStatus.PUBLISHED):
        reports_service.change_status(report, organizer, status)


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            + "; ".join(node["target"][0] for node in violation["nodes"][:5])
            for violation in results["violations"] if violation["impact"] in SERIOUS]


def test_public_pages_have_no_serious_accessibility_violations(axe_page, demo_urls):
    assert {"home", "event page", "login", "registration form", "participant list"} <= demo_urls.keys()
    found = {}
    for name, url in demo_urls.items():
        response = axe_page.goto(url)
        assert response.status == 200, (name, url, response.status)
        shoot(axe_page, f"accessibility-{name.replace(' ', '-')}")
        found[name] = serious_violations(axe_page)
    assert found == {name: [] for name in demo_urls}


# The organizers' working pages of the invitations and the outbox, and an invitee's answer page.
STAFF_PAGES = {
    "invitations dashboard": f"/events/{DEMO_EVENT}/invitations",
    "invitation template": f"/events/{DEMO_EVENT}/invitations/template",
    "outbox": f"/events/{DEMO_EVENT}/mail",
    "organizer's home": "/",
    "event overview": f"/events/{DEMO_EVENT}/manage",
    "registrations": f"/events/{DEMO_EVENT}/registrations",
    "check-in": f"/events/{DEMO_EVENT}/checkin?q=keller",
}


def test_invitation_pages_have_no_serious_accessibility_violations(axe_page, demo_urls, live_server):
    with live_server.app_context():
        soon = dt.date.today() + dt.timedelta(days=30)
        open_event = make_event(status=EventStatus.REGISTRATION_OPEN, start_date=soon, end_date=soon)
        organization = make_organization("Accessible Chemicals Association")
        contact = make_person("contact@vci.example", organization=organization)
        invitations_service.invite_organization(open_event, organization, seats=2, contact=contact)
        invitations_service.send_invitations(open_event, sender="team@example.org")
        db.session.commit()
        body = db.session.scalars(sa.select(Message.body_text).order_by(Message.id.desc())).first()
        rsvp_path = "/rsvp/" + body.split("/rsvp/", 1)[1].split()[0]
    log_in(axe_page, "a11y@test.example", "organizer-password")
    axe_page.get_by_role("button", name="Log out").wait_for()
    found = {}
    for name, url in STAFF_PAGES.items():
        assert axe_page.goto(url).status == 200, (name, url)
        shoot(axe_page, f"accessibility-{name.replace(' ', '-')}")
        found[name] = serious_violations(axe_page)
    axe_page.get_by_role("button", name="Log out").click()
    assert axe_page.goto(rsvp_path).status == 200
    found["answer page"] = serious_violations(axe_page)
    assert found == {name: [] for name in [*STAFF_PAGES, "answer page"]}
