"""Browser at 390 × 844 (a phone at the door): every staff and public page fits the screen's
width, and the check-in and registration pages put their buttons within reach.

The walk takes every GET route of the app (the access policies say which are public), fills
its address from the demo process, and skips only files (exports, calendars) and routes that
need a secret token.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import current_app, url_for

from eventmgr.agenda.models import Room, SessionRole
from eventmgr.auth.models import User
from eventmgr.demo import load_demo
from eventmgr.extensions import db
from eventmgr.invitations.models import Invitation
from eventmgr.mail.service import queue_message
from eventmgr.portal import service as portal
from eventmgr.registry.models import Organization, Person, Registration
from eventmgr.reports.models import Finding, Recommendation, Report, ReportRevision, SessionNote
from eventmgr.series.models import Event
from tests.browser.test_accessibility import publish_report
from tests.conftest import SCREENSHOTS, log_in, shoot
from tests.test_access_matrix import POLICY

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DEMO_EVENT = "frankfurt-2014"
# Files rather than pages (calendars, exports, downloads), and addresses that are not pages.
NOT_PAGES = re.compile(r"\.(ics|xml|json|docx|pdf|csv|xlsx|md|txt|html|ico|eml)$|^/api/|^/login$|/feed/")
FILES = {"portal.download", "static"}


def _first(model, *where) -> int | None:
    return db.session.scalar(sa.select(model.id).where(*where).order_by(model.id).limit(1))


def _demo_values() -> dict:
    """Every URL value a route may need, from the demo (plus a document, a post and a request)."""
    first = _first
    event = db.session.scalar(sa.select(Event).where(Event.slug == DEMO_EVENT))
    report = db.session.scalar(sa.select(Report).where(Report.event_id == event.id))
    session_id = db.session.scalar(sa.select(SessionNote.session_id).limit(1))
    organizer = db.session.scalar(sa.select(User).where(User.email == "organizer@example.org"))
    participant = db.session.scalar(sa.select(User).where(User.email == "participant@example.org"))
    document = portal.upload_document(event, uploader=organizer, filename="programme.pdf",
                                      data=b"%PDF-1.4\n%walk\n",
                                      upload_dir=Path(current_app.instance_path) / "uploads",
                                      max_bytes=1024 * 1024)
    post = portal.create_post(event, author=organizer, body="Welcome to Frankfurt.")
    data_request = portal.request_deletion(participant.person)
    message = queue_message(kind="announcement", recipient=participant.email, subject="Welcome to Frankfurt",
                            body_text="The doors open at 9:00.", body_html="<p>The doors open at 9:00.</p>",
                            event_id=event.id)
    db.session.commit()
    return {
        "slug": event.slug, "series_slug": event.series.slug,
        "organization_id": first(Organization), "person_id": first(Person),
        "registration_id": first(Registration, Registration.event_id == event.id),
        "invitation_id": first(Invitation, Invitation.event_id == event.id),
        "session_id": session_id, "room_id": first(Room, Room.event_id == event.id),
        "role_id": first(SessionRole), "note_id": first(SessionNote), "finding_id": first(Finding),
        "recommendation_id": first(Recommendation), "section_id": report.sections[0].id,
        "revision_id": first(ReportRevision), "message_id": message.id, "user_id": participant.id,
        "document_id": document.id, "post_id": post.id, "request_id": data_request.id,
    }


def _pages(app, values: dict) -> tuple[list[str], list[str], list[str]]:
    """The public pages, the staff pages and a participant's own pages (those that answer 404 to
    an account without a person), as addresses."""
    public, staff, personal = [], [], []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            access = POLICY.get(rule.endpoint)
            if (access is None or access.method != "GET" or 200 not in access.ok
                    or NOT_PAGES.search(rule.rule) or {"token", "fmt"} & rule.arguments
                    or rule.endpoint in FILES):
                continue
            url = url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})
            if "anonymous" in access.roles:
                public.append(url)
            elif 404 in access.ok:
                personal.append(url)
            else:
                staff.append(url)
    return sorted(set(public)), sorted(set(staff)), sorted(set(personal))


# The outermost elements that reach past the screen and are not clipped by a scrolling box
# (their parent fits), for the failure message.
WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  const beyond = element => element.getBoundingClientRect().right > width + 1;
  const clipped = element => {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") { return true; }
    }
    return false;
  };
  return [...document.querySelectorAll("body *")]
    .filter(element => beyond(element) && !beyond(element.parentElement) && !clipped(element))
    .slice(0, 5)
    .map(element => element.tagName.toLowerCase() + (element.className ? "." + element.className : "")
                    + " → " + Math.round(element.getBoundingClientRect().right));
}"""


def _overflow(page) -> int:
    """How far the page reaches past the screen's width (0: it fits). A mobile browser widens its
    window to a page too wide, so the measure is the layout's width (clientWidth), not innerWidth."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def screen(page, name: str) -> None:
    """What the phone's screen shows (not the whole page): what staff at the door see."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.base_url, viewport=PHONE, device_scale_factor=1,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_every_page_fits_a_phone_screen(phone, live_server):
    with live_server.app_context():
        load_demo()
        db.session.commit()
        values = _demo_values()
    public, staff, personal = _pages(live_server, values)
    assert len(public) >= 8 and len(staff) >= 40 and personal, (public, staff, personal)

    too_wide = {}

    def walk(urls: list[str]) -> None:
        for url in urls:
            response = phone.goto(url)
            assert response.status < 400, (url, response.status)
            if _overflow(phone) > 0:
                # What reaches past the screen, for the failure message.
                too_wide[url] = (_overflow(phone), phone.evaluate(WIDEST))
                shoot(phone, "phone-too-wide-" + re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-"))

    # Staff first (as the admin, who also has the users page), while the demo report is a draft
    # (its editing pages open); a participant's own pages; then, the report published, the public.
    log_in(phone, "admin@example.org", "demo-admin-password")
    walk(staff)
    phone.get_by_role("button", name="Log out").click()
    log_in(phone, "participant@example.org", "demo-participant-password")
    walk(personal)
    phone.get_by_role("button", name="Log out").click()
    with live_server.app_context():
        publish_report(db.session.scalar(sa.select(Event).where(Event.slug == DEMO_EVENT)))
        db.session.commit()
    walk(public)

    assert too_wide == {}, "\n".join(f"{url}: {found}" for url, found in too_wide.items())


def test_check_in_at_the_door_on_a_phone(phone, live_server):
    with live_server.app_context():
        load_demo()
        db.session.commit()
    log_in(phone, "organizer@example.org", "demo-organizer-password")

    phone.goto(f"/events/{DEMO_EVENT}/checkin")
    screen(phone, "phone-checkin")
    search = phone.get_by_label("Name, email or organization")
    search.fill("keller")
    search.press("Enter")
    phone.wait_for_url("**q=keller**")
    button = phone.get_by_role("button", name=re.compile("^Check in ")).first
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["height"] >= 44
    screen(phone, "phone-checkin-search")
    button.click()
    phone.get_by_text("checked in.").first.wait_for()
    screen(phone, "phone-checkin-done")
    phone.get_by_role("button", name="Undo", exact=True).first.click()
    phone.get_by_text("undone").first.wait_for()
    assert _overflow(phone) == 0

    for path in ("manage", "registrations", "invitations"):
        phone.goto(f"/events/{DEMO_EVENT}/{path}")
        assert _overflow(phone) == 0, path
        screen(phone, f"phone-{path}")
    phone.goto(f"/events/{DEMO_EVENT}/registrations")
    cancel = phone.get_by_role("link", name=re.compile("^Cancel: ")).first.bounding_box()
    assert cancel["x"] + cancel["width"] <= PHONE["width"]
    assert (SCREENSHOTS / "phone-checkin.png").exists()
