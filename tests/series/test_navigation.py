"""No dead ends: every state the overview shows has a next step, each role's home lists its work,
the public event page leads to all that is published about it, and the addresses people type work."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from eventmgr.agenda import service as agenda_service
from eventmgr.agenda.enums import SessionRoleKind
from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.registry import registration as registry
from eventmgr.registry.enums import ListVisibility
from eventmgr.registry.models import ParticipantListSetting
from eventmgr.reports import service as reports
from eventmgr.reports.enums import ReportStatus
from eventmgr.series import overview, queries
from eventmgr.series import service as series_service
from eventmgr.series.enums import EventStatus
from eventmgr.series.models import Event, Series
from tests.builders import make_agenda_session, make_event, make_person, make_registrant, make_series
from tests.conftest import ROLE_EMAILS


@pytest.mark.parametrize("status", list(EventStatus))
def test_every_status_of_the_overview_has_a_next_step(client, auth, app_ctx, status):
    event = make_event(status=status)
    auth.login(Role.ORGANIZER)

    page = client.get(f"/events/{event.slug}/manage").get_data(as_text=True)

    actions = overview.next_actions(event, queries.event_figures(event))
    assert (actions and actions[0].primary) or status is EventStatus.DRAFT
    next_steps = page.split('id="next-h"')[1].split("</section>")[0]
    assert all(action.label in next_steps for action in actions)


def test_the_figures_that_ask_for_something_lead_to_it(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN, capacity=1)
    registry.register_participant(event, person=make_person())
    registry.register_participant(event, person=make_person())  # waits: the event is full
    db.session.commit()

    actions = {action.label: action for action in overview.next_actions(event, queries.event_figures(event))}

    assert actions["Raise the capacity"].endpoint == "series.edit_event"
    assert actions["Mail"].values == {"slug": event.slug, "status": "queued"}


def test_each_figure_of_the_overview_is_a_link(client, auth, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    auth.login(Role.ORGANIZER)

    page = client.get(f"/events/{event.slug}/manage").get_data(as_text=True)

    figures = page.split('aria-label="Figures"')[1].split("</ul>")[0]
    assert figures.count("<li>") == figures.count('<a class="figure-link"') == 10
    assert f'href="/events/{event.slug}/registrations?status=pending"' in figures


@pytest.mark.parametrize("size", [1, 8])
def test_the_organizers_home_lists_the_events_under_way_in_a_fixed_number_of_queries(
        client, auth, app_ctx, count_queries, size):
    series = make_series()
    for _ in range(size):
        make_event(series, status=EventStatus.PUBLISHED)
    make_event(series, status=EventStatus.REPORTED, title="Long done")
    auth.login(Role.ORGANIZER)
    client.get("/")

    with count_queries() as statements:
        page = client.get("/").get_data(as_text=True)

    assert "<h1 id=\"your-work-h\">Your work</h1>" in page and "Events under way" in page
    assert page.count("Open registration</button>") == size and "Long done" not in page.split("Published")[0]
    # Events under way, their figures (4), the series; then the published events (2).
    assert len(statements) == 8, statements


def test_a_rapporteurs_home_lists_the_sessions_to_write_up(client, auth, app_ctx):
    event = make_event(status=EventStatus.HELD)
    rapporteur = make_person("rapporteur@test.example", given_name="Rita", family_name="Porter")
    auth.client.get("/")  # the accounts exist once `auth` is used
    account = auth_service.get_user_by_email(ROLE_EMAILS[Role.RAPPORTEUR])
    account.person_id = rapporteur.id
    panel = make_agenda_session(event, "Panel on compliance")
    empty = make_agenda_session(event, "Panel on finance", hour=11)
    for session in (panel, empty):
        agenda_service.add_person(session, rapporteur, SessionRoleKind.RAPPORTEUR, None)
    reports.add_note(panel, None, "Notes.")
    db.session.commit()
    auth.login(Role.RAPPORTEUR)

    page = client.get("/").get_data(as_text=True)

    assert "Sessions you write up" in page
    assert f'href="/events/{event.slug}/report/sessions/{panel.id}"' in page
    assert "1 note, 0 findings, 0 recommendations" in page and "Nothing recorded yet" in page
    assert f'href="/series/{event.series.slug}/process"' in page


def test_a_home_lists_only_the_work_of_the_series_one_holds_rights_in(client, auth, app_ctx):
    ours = make_event(make_series(), status=EventStatus.HELD, title="Our conference")
    theirs = make_event(make_series(staff=False), status=EventStatus.HELD, title="Their conference")
    rapporteur = make_person("rapporteur@test.example", given_name="Rita", family_name="Porter")
    auth.client.get("/")  # the accounts exist once `auth` is used
    auth_service.get_user_by_email(ROLE_EMAILS[Role.RAPPORTEUR]).person_id = rapporteur.id
    for event in (ours, theirs):
        agenda_service.add_person(make_agenda_session(event, f"Panel of {event.title}"), rapporteur,
                                  SessionRoleKind.RAPPORTEUR, None)
    db.session.commit()

    pages = {}
    for role in (Role.ORGANIZER, Role.RAPPORTEUR):
        auth.login(role)
        pages[role] = client.get("/").get_data(as_text=True).split("Published events")[0]
        auth.logout()

    assert "Our conference" in pages[Role.ORGANIZER] and "Panel of Our conference" in pages[Role.RAPPORTEUR]
    for page in pages.values():
        assert "Their conference" not in page and theirs.series.name not in page


def test_a_participants_home_lists_their_registrations(client, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN, title="Outreach 2015")
    make_registrant(event, "ada@example.org", "a long password")
    client.post("/auth/login", data={"email": "ada@example.org", "password": "a long password"})

    page = client.get("/").get_data(as_text=True)

    assert "Your registrations" in page and "Outreach 2015" in page
    assert f'href="/events/{event.slug}/area"' in page
    assert f'href="/events/{event.slug}/my-registration/cancel"' in page


def test_the_public_event_page_leads_to_all_that_is_published(client, app_ctx):
    event = make_event(status=EventStatus.HELD)
    make_agenda_session(event)
    agenda_service.publish_agenda(event, None)
    db.session.add(ParticipantListSetting(event_id=event.id, visibility=ListVisibility.ORGANIZATIONS))
    organizer = auth_service.create_user("o@example.org", role=Role.ORGANIZER)
    auth_service.grant_series_role(organizer, event.series_id, Role.ORGANIZER)
    report = reports.draft_report(event, organizer).report
    for status in (ReportStatus.IN_REVIEW, ReportStatus.FINAL, ReportStatus.PUBLISHED):
        reports.change_status(report, organizer, status)
    db.session.commit()

    page = client.get(f"/events/{event.slug}").get_data(as_text=True)

    for path in ("agenda", "participant-list", "report"):
        assert f'href="/events/{event.slug}/{path}"' in page
    assert ">Register<" not in page


def test_a_registrant_sees_their_registration_instead_of_register(client, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    make_registrant(event, "ada@example.org", "a long password")
    client.post("/auth/login", data={"email": "ada@example.org", "password": "a long password"})

    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    form = client.get(f"/events/{event.slug}/register").get_data(as_text=True)

    assert "You are registered: your seat is confirmed." in page and ">Register<" not in page
    assert f'href="/events/{event.slug}/calendar.ics"' in page and f'href="/events/{event.slug}/area"' in page
    assert "You are registered for" in form and "Cancel my registration" in form


def test_an_invitation_only_event_says_so_instead_of_a_dead_register_button(client, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN, registration_mode="invitation_only")

    page = client.get(f"/events/{event.slug}").get_data(as_text=True)

    assert ">Register<" not in page and "Registration is by invitation" in page


def test_the_event_calendar_file_is_one_entry_with_the_invitations_uid(client, app_ctx):
    event = make_event(status=EventStatus.PUBLISHED, venue_name="Kurhaus Wiesbaden", venue_city="Wiesbaden")

    response = client.get(f"/events/{event.slug}/calendar.ics")

    [entry] = Calendar.from_ical(response.data).walk("VEVENT")
    assert response.mimetype == "text/calendar"
    assert (str(entry["UID"]), str(entry["LOCATION"])) == (f"event-{event.id}@localhost", "Kurhaus Wiesbaden")
    assert entry.decoded("DTEND") == event.end_date + dt.timedelta(days=1)


def test_the_addresses_people_type_work(client, app_ctx):
    login = client.get("/login?next=/series")
    icon = client.get("/favicon.ico")

    assert login.status_code == 302 and login.headers["Location"] == "/auth/login?next=/series"
    assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00"


def test_every_page_names_its_icon(client, app_ctx):
    page = client.get("/").get_data(as_text=True)

    assert 'rel="icon" href="/static/favicon.svg"' in page and 'href="/favicon.ico"' in page
    assert client.get("/static/favicon.svg").status_code == 200


def test_the_series_list_links_each_series_process_view(client, auth, app_ctx):
    series = make_series(name="Wiesbaden process")
    auth.login(Role.ORGANIZER)

    page = client.get("/series").get_data(as_text=True)

    assert f'href="/series/{series.slug}/process"' in page


@pytest.mark.parametrize(("venue", "city", "place"), [
    ("Kurhaus Wiesbaden", "Wiesbaden", "Kurhaus Wiesbaden"),
    ("Conference centre", "Frankfurt am Main", "Conference centre, Frankfurt am Main"),
    ("", "Wiesbaden", "Wiesbaden"),
    ("Palais des Nations", "", "Palais des Nations"),
    ("Hotel Genève", "Genève", "Hotel Genève"),
    ("Wiesbadener Hof", "Wiesbaden", "Wiesbadener Hof, Wiesbaden"),
])
def test_the_place_names_the_city_once(venue, city, place):
    assert Event(venue_name=venue, venue_city=city).place == place


def test_the_rsvp_page_names_the_venue_and_city_once(client, app_ctx):
    from eventmgr.invitations import service as invitations

    event = make_event(status=EventStatus.REGISTRATION_OPEN, venue_name="Kurhaus Wiesbaden",
                       venue_city="Wiesbaden", start_date=dt.date.today() + dt.timedelta(days=9),
                       end_date=dt.date.today() + dt.timedelta(days=9))
    invitations.invite_people(event, [make_person()])
    invitations.send_invitations(event, sender="Team <team@example.org>")
    db.session.commit()
    from eventmgr.mail.models import Message
    body = db.session.scalar(sa.select(Message.body_text))
    path = "/rsvp/" + body.split("/rsvp/", 1)[1].split()[0]

    page = client.get(path).get_data(as_text=True)

    assert ", Kurhaus Wiesbaden</p>" in page and "Wiesbaden Wiesbaden" not in page
    assert "Kurhaus Wiesbaden." in body


def test_the_web_address_is_suggested_from_the_title_when_left_empty(client, auth, app_ctx):
    series = make_series()
    auth.login(Role.ORGANIZER)
    fields = {"title": "Conférence de Genève", "start_date": "2015-06-01", "end_date": "2015-06-02",
              "timezone": "Europe/Zurich", "registration_mode": "open"}

    form = client.get(f"/series/{series.slug}/events/new").get_data(as_text=True)
    for _ in range(3):
        client.post(f"/series/{series.slug}/events/new", data=fields)

    assert '<label for="slug">Web address</label>' in form and 'data-slug-from="title"' in form
    assert db.session.scalars(sa.select(Event.slug).order_by(Event.id)).all() == [
        "conference-de-geneve", "conference-de-geneve-2015", "conference-de-geneve-2015-2"]


def test_a_series_address_comes_from_its_name(client, auth, app_ctx):
    auth.login(Role.ORGANIZER)

    client.post("/series/new", data={"name": "Processus de Genève"})

    assert db.session.scalar(sa.select(Series.slug)) == "processus-de-geneve"


def test_suggest_slug_handles_names_without_letters(app_ctx):
    assert series_service.suggest_slug("!!!", Event) == "event"
