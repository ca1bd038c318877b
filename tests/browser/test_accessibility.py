"""Accessibility of the main public pages: axe-core, injected by Playwright, finds no
serious or critical violation.

axe-core comes from npm (tests/browser/axe/package.json; `make test` runs `npm ci`).
The CSP forbids inline scripts, so the browser context bypasses it to inject axe.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.demo import load_demo
from eventmgr.extensions import db
from eventmgr.reports import service as reports_service
from eventmgr.reports.enums import ReportStatus
from eventmgr.series.enums import EventStatus
from eventmgr.series.models import Event
from tests.builders import make_event
from tests.conftest import shoot

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
