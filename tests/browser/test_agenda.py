"""Browser: an organizer builds a panel with the type-ahead picker and a person typed in,
publishes it; the public page shows it and its calendar link downloads an ICS with it.
The timetable: moving and resizing with the mouse, moving with the keyboard, clashes shown.
A programme imported from a spreadsheet through its preview."""

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from eventmgr.agenda import service
from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.agenda.models import AgendaSession
from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.series.enums import EventStatus
from tests.browser.test_accessibility import axe_page  # noqa: F401 (a fixture)
from tests.builders import grant_all_series, make_event, make_organization, make_person
from tests.conftest import log_in, shoot

pytestmark = pytest.mark.browser


def organizer():
    auth_service.create_user("org@test.example", role=Role.ORGANIZER, password="organizer-password")
    grant_all_series()  # the test world's staff run its series


def test_organizer_builds_and_publishes_a_panel(page, live_server):
    with live_server.app_context():
        event = make_event(status=EventStatus.PUBLISHED, title="Outreach conference 2014")
        make_person(
            given_name="Ada",
            family_name="Lovelace",
            organization=make_organization("Analytical Engines AG"),
            position="Director",
        )
        organizer()
        db.session.commit()
        slug = event.slug

    log_in(page, "org@test.example", "organizer-password")

    page.goto(f"/events/{slug}/agenda/manage")
    page.get_by_label("New room").fill("Plenary hall")
    page.get_by_role("button", name="Add room").click()
    page.get_by_role("link", name="Add a session").click()
    page.get_by_label("Kind").select_option("panel")
    page.get_by_label("Title").fill("Corporate governance and compliance")
    page.get_by_label("Day").select_option("2014-11-20")
    page.get_by_label("Starts").fill("11:00")
    page.get_by_label("Ends").fill("13:00")
    page.get_by_label("Room").select_option(label="Plenary hall")
    shoot(page, "agenda-session-new")
    page.get_by_role("button", name="Add session").click()

    # The picker: type a few letters, choose with the keyboard; the function follows the position.
    page.get_by_label("Role").select_option("speaker")
    picker = page.get_by_role("combobox", name="Person, organization or State")
    picker.press_sequentially("lovel")
    option = page.get_by_role("option", name="Ada Lovelace Analytical Engines AG")
    option.wait_for()
    shoot(page, "agenda-picker")
    picker.press("ArrowDown")
    picker.press("Enter")
    assert page.get_by_label("Function on this session").input_value() == "Director"
    page.get_by_label("Function on this session").fill("Chief Compliance Officer")
    page.get_by_role("button", name="Add", exact=True).click()

    page.get_by_label("Role").select_option("panelist")
    page.get_by_text("Not in the directory? A new person").click()
    page.get_by_label("Given name").fill("Grace")
    page.get_by_label("Family name").fill("Hopper")
    page.get_by_label("Organization", exact=True).fill("United States Navy")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_label("Role").select_option("panelist")
    page.get_by_label("Person, organization or State").fill("Republic of Korea")
    page.get_by_role("option", name="Republic of Korea State", exact=True).click()
    page.get_by_role("button", name="Add", exact=True).click()
    shoot(page, "agenda-session-editor")

    page.goto(f"/events/{slug}/agenda/manage")
    page.get_by_role("button", name="Publish the agenda").click()
    shoot(page, "agenda-editor")

    page.goto(f"/events/{slug}/agenda")
    session = page.locator("article.agenda-session")
    assert session.locator("h3").inner_text() == "Corporate governance and compliance"
    assert session.locator(".people").inner_text() == (
        "Speaker: Ada Lovelace, Chief Compliance Officer, Analytical Engines AG (Germany)\n"
        "Panelist: Grace Hopper, United States Navy\nPanelist: Republic of Korea"
    )
    shoot(page, "agenda-public")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Calendar (.ics)").click()
    calendar = icalendar.Calendar.from_ical(Path(download_info.value.path()).read_bytes())
    assert [str(e["SUMMARY"]) for e in calendar.events] == ["Corporate governance and compliance"]

    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "agenda-public-phone")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1000, "height": 1200})
    shoot(page, "agenda-public-print")


def test_the_timetable_with_the_mouse_and_the_keyboard(page, live_server):
    with live_server.app_context():
        event = make_event(status=EventStatus.PUBLISHED, title="Outreach conference 2014")
        hall, room = service.add_room(event, "Plenary hall", None), service.add_room(event, "Room 2", None)
        ada = make_person(
            given_name="Ada", family_name="Lovelace", organization=make_organization("Engines AG")
        )

        def item(title, start, end, room_id, kind=SessionKind.PANEL):
            starts = service.local_to_utc(
                event, dt.datetime.combine(event.start_date, dt.time.fromisoformat(start))
            )
            ends = service.local_to_utc(
                event, dt.datetime.combine(event.start_date, dt.time.fromisoformat(end))
            )
            return service.create_session(
                event,
                None,
                kind=kind,
                title=title,
                starts_at=starts,
                ends_at=ends,
                room_id=room_id,
                parent_id=None,
            )

        opening = item("Opening statements", "09:00", "10:00", hall.id, SessionKind.OPENING)
        panel = item("Panel on brokering", "10:00", "11:00", hall.id)
        group = item("Group B: transport", "10:30", "11:30", room.id, SessionKind.BREAKOUT)
        item("Coffee break", "11:00", "11:30", hall.id, SessionKind.BREAK)
        service.add_person(panel, ada, SessionRoleKind.MODERATOR, None)
        service.add_person(group, ada, SessionRoleKind.SPEAKER, None, accept_person_conflicts=True)
        service.create_session(
            event,
            None,
            kind=SessionKind.BREAK,
            title="Registration",
            day=event.start_date,
            starts_at=None,
            ends_at=None,
            room_id=None,
            parent_id=None,
        )
        organizer()
        db.session.commit()
        slug, ids = (
            event.slug,
            {"opening": opening.id, "panel": panel.id, "group": group.id, "room": room.id, "hall": hall.id},
        )

    log_in(page, "org@test.example", "organizer-password")
    page.set_viewport_size({"width": 1280, "height": 2200})  # the whole day on screen, for dragging
    page.goto(f"/events/{slug}/agenda/timetable")
    clashes = page.locator(".tt-clash-text")
    assert clashes.count() == 2 and "Ada Lovelace is also on" in clashes.first.inner_text()
    shoot(page, "agenda-timetable")

    # Mouse: drag the panel to Room 2 at 14:00 (the top of that quarter-hour's cell).
    target = page.locator(f'td[data-room="{ids["room"]}"][data-time="14:00"]')
    page.locator(f"#item-{ids['panel']} .tt-when").drag_to(target, target_position={"x": 20, "y": 2})
    page.wait_for_url(f"**#item-{ids['panel']}")
    moved = page.locator(f"#item-{ids['panel']}")
    assert moved.locator(".tt-when").inner_text().startswith("14:00–15:00")
    assert page.locator(".tt-clash-text").count() == 0  # Ada is no longer on two items at once
    # Mouse: drag its lower edge down by three rows (a quarter of an hour).
    handle = moved.locator(".tt-resize")
    box = handle.bounding_box()
    row = page.locator(f'td[data-room="{ids["room"]}"][data-time="16:00"]').bounding_box()["height"] / 3
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 + 3 * row, steps=5)
    with page.expect_navigation():
        page.mouse.up()
    assert page.locator(f"#item-{ids['panel']} .tt-when").inner_text().startswith("14:00–15:15")

    # Keyboard: follow "Move to…" on the opening, give it another start, submit with Enter.
    page.locator(f"#item-{ids['opening']} .tt-tools a").focus()
    page.keyboard.press("Enter")
    start = page.get_by_label("Starts")
    start.wait_for()
    shoot(page, "agenda-timetable-move-to")
    start.fill("08:30")
    start.press("Enter")
    page.wait_for_url(f"**#item-{ids['opening']}")
    assert page.locator(f"#item-{ids['opening']} .tt-when").inner_text().startswith("08:30–09:30")
    assert "moved to 08:30–09:30, Plenary hall" in page.locator(".flashes").inner_text()
    shoot(page, "agenda-timetable-after")

    with live_server.app_context():
        panel = db.session.get(AgendaSession, ids["panel"])
        assert (panel.room_id, panel.ends_at - panel.starts_at) == (ids["room"], dt.timedelta(minutes=75))


def test_importing_a_programme(page, live_server, tmp_path):
    with live_server.app_context():
        event = make_event(status=EventStatus.PUBLISHED, title="Outreach conference 2014")
        make_person(given_name="Anna", family_name="Keller", organization=make_organization("Siemens AG"))
        make_person(given_name="Anna", family_name="Keller", organization=make_organization("BASF SE"))
        organizer()
        db.session.commit()
        slug = event.slug
    programme = tmp_path / "programme.csv"
    programme.write_text(
        "day,start,end,kind,title,room,chair,speakers\n"
        "2014-11-19,19:00,22:00,reception,Opening dinner,Römer,,\n"
        "2014-11-20,,,break,Registration,Foyer,,\n"
        ",09:00–10:30,,opening,Opening statements,Plenary hall,Anna Keller,"
        '"Dr. Arnold Wallraff, President, Federal Office for Economic Affairs and Export Control (BAFA); '
        'Republic of Korea"\n',
        encoding="utf-8",
    )
    log_in(page, "org@test.example", "organizer-password")
    page.goto(f"/events/{slug}/agenda/manage")
    page.get_by_role("link", name="Import a programme").click()
    page.get_by_label("Programme file").set_input_files(str(programme))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Programme import preview").wait_for()
    # text_content, not inner_text: the figures read "3 items" whether or not the stylesheet has
    # applied yet (inner_text follows the layout, which a loaded machine may not have done).
    assert "3 items" in " ".join(page.locator(".stats").text_content().split())
    page.get_by_label("Anna Keller — BASF SE").check()
    shoot(page, "agenda-import-preview")
    page.get_by_role("button", name="Import 3 items").click()
    page.wait_for_url(f"**/events/{slug}/agenda/manage")
    assert "Imported 3 items" in page.locator(".flashes").inner_text()
    shoot(page, "agenda-editor-imported")


def test_the_agenda_working_pages_have_no_serious_accessibility_violations(axe_page, live_server):  # noqa: F811
    """The editor, a session with its people, the timetable and its "Move to" page, the import."""
    from eventmgr.demo import load_demo
    from tests.browser.test_accessibility import serious_violations

    with live_server.app_context():
        load_demo()
        organizer()
        db.session.commit()
        opening = db.session.query(AgendaSession).filter_by(title="Opening statements").one().id
    log_in(axe_page, "org@test.example", "organizer-password")
    pages = {"editor": "/events/frankfurt-2014/agenda/manage",
             "session": f"/events/frankfurt-2014/agenda/sessions/{opening}/edit",
             "new session": "/events/frankfurt-2014/agenda/sessions/new",
             "timetable": "/events/frankfurt-2014/agenda/timetable",
             "move to": f"/events/frankfurt-2014/agenda/sessions/{opening}/place",
             "import": "/events/frankfurt-2014/agenda/import"}
    found = {}
    for name, url in pages.items():
        assert axe_page.goto(url).status == 200, url
        found[name] = serious_violations(axe_page)
    assert found == {name: [] for name in pages}
