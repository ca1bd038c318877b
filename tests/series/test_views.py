import pytest
from sqlalchemy import func, select

from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.series import service
from eventmgr.series.enums import EventStatus, OrganizerRole
from eventmgr.series.models import Event
from tests.builders import make_event, make_organization, make_series

VALID_EVENT = {
    "title": "Industry outreach conference", "slug": "frankfurt-2014",
    "theme": "Governance and compliance management", "start_date": "2014-11-20",
    "end_date": "2014-11-21", "timezone": "Europe/Berlin", "venue_city": "Frankfurt am Main",
    "venue_country": "DE", "registration_mode": "invitation_only", "capacity": "80",
    "goals": "Raise awareness\nFoster dialogue",
}


def test_organizer_creates_event_with_goals_and_organizer(client, auth, app_ctx):
    series = make_series(slug="wiesbaden-process")
    host = make_organization("Federal Foreign Office", kind="government")
    auth.login(Role.ORGANIZER)

    response = client.post(f"/series/{series.slug}/events/new", data=VALID_EVENT | {
        "organizers-0-organization_id": str(host.id), "organizers-0-role": "host"})

    assert response.status_code == 302
    event = db.session.scalar(select(Event))
    assert (event.slug, event.status, event.capacity) == ("frankfurt-2014", EventStatus.DRAFT, 80)
    assert [g.text for g in event.goals] == ["Raise awareness", "Foster dialogue"]
    assert [(o.organization.name, o.role.value) for o in event.organizers] == [
        ("Federal Foreign Office", "host")]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("end_date", "2014-11-19", "cannot end before it starts"),
    ("timezone", "Europe/Atlantis", "Not a valid choice"),
    ("capacity", "-3", "At least 1 seat"),
    ("capacity", "many", "Not a valid integer value"),
    ("start_date", "2014-13-40", "Enter a date"),
])
def test_bad_event_input_gives_field_error_and_writes_nothing(client, auth, app_ctx, field,
                                                               value, message):
    series = make_series()
    auth.login(Role.ORGANIZER)

    response = client.post(f"/series/{series.slug}/events/new", data=VALID_EVENT | {field: value})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-error"' in page
    assert 'value="Industry outreach conference"' in page  # values kept after an error
    assert db.session.scalar(select(func.count(Event.id))) == 0


def test_status_change_by_organizer(client, auth, app_ctx):
    event = make_event()
    auth.login(Role.ORGANIZER)

    client.post(f"/events/{event.slug}/status", data={"status": "held"})
    response = client.post(f"/events/{event.slug}/status", data={"status": "published"})

    assert response.status_code == 302
    db.session.refresh(event)
    assert event.status is EventStatus.PUBLISHED


def test_draft_event_page_is_hidden_from_the_public(client, app_ctx):
    draft = make_event(title="Secret draft")
    published = make_event(title="Open conference", status=EventStatus.PUBLISHED)

    home = client.get("/").get_data(as_text=True)

    assert client.get(f"/events/{draft.slug}").status_code == 404
    assert client.get(f"/events/{published.slug}").status_code == 200
    assert "Open conference" in home and "Secret draft" not in home


def test_event_page_shows_dates_and_zone(client, app_ctx):
    event = make_event(status=EventStatus.PUBLISHED, timezone="Europe/Berlin")

    page = client.get(f"/events/{event.slug}").get_data(as_text=True)

    assert "20–21 November 2014" in page
    assert "Europe/Berlin (CET, UTC+01:00)" in page


@pytest.mark.parametrize("size", [3, 300])
def test_home_page_runs_a_fixed_number_of_queries(client, app_ctx, count_queries, size):
    series = make_series()
    for _ in range(size):
        make_event(series, status=EventStatus.PUBLISHED)

    with count_queries() as statements:
        response = client.get("/")

    assert response.status_code == 200
    assert response.get_data(as_text=True).count('class="when"') == size
    assert len(statements) == 2, statements  # series, then their public events


@pytest.mark.parametrize("size", [3, 300])
def test_event_page_runs_a_fixed_number_of_queries(client, app_ctx, count_queries, size):
    event = make_event(status=EventStatus.PUBLISHED)
    organizations = [make_organization() for _ in range(size)]
    service.set_event_organizers(event, [(o.id, OrganizerRole.PARTNER) for o in organizations])
    service.set_event_goals(event, [f"Goal {i}" for i in range(size)])
    db.session.commit()

    with count_queries() as statements:
        response = client.get(f"/events/{event.slug}")

    assert response.get_data(as_text=True).count("— Partner") == size
    # The event, its series, organizers and goals; then whether its agenda, report and list are out.
    assert len(statements) == 7, statements


def test_capacity_rise_promotes_the_waiting_list_in_order(client, auth, app_ctx):
    from eventmgr.registry import registration as registration_service
    from eventmgr.registry.enums import RegistrationStatus
    from tests.builders import make_person

    event = make_event(status=EventStatus.REGISTRATION_OPEN, capacity=1)
    people = [make_person() for _ in range(3)]
    registrations = [registration_service.register_participant(event, person=p) for p in people]
    db.session.commit()
    auth.login(Role.ORGANIZER)

    response = client.post(f"/events/{event.slug}/edit", data=VALID_EVENT | {
        "slug": event.slug, "registration_mode": "open", "capacity": "2"})

    assert response.status_code == 302
    for registration in registrations:
        db.session.refresh(registration)
    assert [r.status for r in registrations] == [
        RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]


def test_rapporteur_sees_only_the_workspace_tabs_it_may_open(client, auth, app_ctx):
    event = make_event(status=EventStatus.HELD)
    auth.login(Role.RAPPORTEUR)

    page = client.get(f"/events/{event.slug}/report/manage").get_data(as_text=True)

    tabs = page.split('aria-label="Event workspace"')[1].split("</nav>")[0]
    assert ">Report<" in tabs
    assert ">Overview<" not in tabs and ">Registrations<" not in tabs and ">Mail<" not in tabs
