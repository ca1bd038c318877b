"""Impossible states refused with a clear message: capacity below the confirmed count, event
dates out of any sane range, agenda times the clocks skip or pass twice."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import sqlalchemy as sa

from eventmgr.agenda.models import AgendaSession
from eventmgr.auth.enums import Role
from eventmgr.errors import ValidationFailed
from eventmgr.extensions import db
from eventmgr.registry import registration
from eventmgr.registry.enums import RegistrationStatus
from eventmgr.registry.models import Registration
from eventmgr.series import service as series_service
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_person

EVENT = {"title": "Industry outreach conference", "theme": "", "background": "",
         "start_date": "2014-11-20", "end_date": "2014-11-21", "timezone": "Europe/Berlin", "venue_name": "",
         "venue_city": "Frankfurt", "venue_country": "DE", "registration_mode": "open", "goals": ""}


def _page(response) -> str:
    return " ".join(html.unescape(response.get_data(as_text=True)).split())


def test_capacity_cannot_drop_below_the_confirmed_registrations(client, auth, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN, capacity=100)
    for _ in range(26):
        registration.register_participant(event, person=make_person())
    db.session.commit()
    auth.login(Role.ORGANIZER)

    refused = client.post(f"/events/{event.slug}/edit", data=EVENT | {"slug": event.slug, "capacity": "2"})
    kept = client.post(f"/events/{event.slug}/edit", data=EVENT | {"slug": event.slug, "capacity": "26"})

    assert refused.status_code == 400
    assert "26 registrations are confirmed: the capacity cannot be lower than 26." in _page(refused)
    assert kept.status_code == 302
    db.session.refresh(event)
    assert event.capacity == 26
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.status == RegistrationStatus.CONFIRMED)) == 26


def test_the_service_refuses_it_too_naming_the_count(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN, capacity=5)
    for _ in range(3):
        registration.register_participant(event, person=make_person())
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        series_service.update_event(event, capacity=2)
    assert refused.value.errors == {"capacity": [
        "3 registrations are confirmed: the capacity cannot be lower than 3. Cancel registrations "
        "first, or keep at least 3 seats."]}


@pytest.mark.parametrize("field, value", [("start_date", "1900-11-20"), ("end_date", "9999-11-21"),
                                          ("start_date", "1989-12-31")])
def test_event_dates_stay_within_1990_and_2100(client, auth, app_ctx, field, value):
    series = make_event().series
    auth.login(Role.ORGANIZER)
    data = EVENT | {"slug": "berlin", "capacity": ""} | {field: value}
    if field == "start_date":
        data["end_date"] = value
    response = client.post(f"/series/{series.slug}/events/new", data=data)
    assert response.status_code == 400
    assert "Enter a date between 1990 and 2100." in _page(response)


SESSION = {"kind": "panel", "title": "Night panel", "description": "", "room_id": "", "parent_id": ""}


def _session_event(zone: str, first: dt.date):
    return make_event(timezone=zone, start_date=first, end_date=first + dt.timedelta(days=2))


@pytest.mark.parametrize("zone, first, starts", [
    ("Europe/Berlin", dt.date(2025, 3, 29), "2025-03-30T02:30"),
    ("Australia/Lord_Howe", dt.date(2025, 10, 4), "2025-10-05T02:15"),
])
def test_a_session_in_the_spring_gap_is_refused_not_moved(client, auth, app_ctx, zone, first, starts):
    event = _session_event(zone, first)
    auth.login(Role.ORGANIZER)
    response = client.post(f"/events/{event.slug}/agenda/sessions/new", data=SESSION | {
        "day": starts[:10], "starts_at": starts[11:], "ends_at": "04:00"})
    assert response.status_code == 400
    assert f"{starts[11:]} on Sunday" in _page(response) and "does not exist in " + zone in _page(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaSession)) == 0


@pytest.mark.parametrize("zone, first, starts, offsets", [
    ("Europe/Berlin", dt.date(2025, 10, 25), "2025-10-26T02:30", ("+02:00", "+01:00")),
    ("Australia/Lord_Howe", dt.date(2025, 4, 5), "2025-04-06T01:45", ("+11:00", "+10:30")),
])
def test_a_session_in_the_autumn_overlap_asks_which_and_is_stored_as_chosen(client, auth, app_ctx, zone,
                                                                             first, starts, offsets):
    event = _session_event(zone, first)
    auth.login(Role.ORGANIZER)
    form = SESSION | {"day": starts[:10], "starts_at": starts[11:], "ends_at": "05:00"}
    asked = client.post(f"/events/{event.slug}/agenda/sessions/new", data=form)
    page = _page(asked)
    assert asked.status_code == 400 and "happens twice in " + zone in page
    for offset in offsets:
        assert f'name="starts_at_offset" type="radio" value="{offset}"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaSession)) == 0

    chosen = client.post(f"/events/{event.slug}/agenda/sessions/new",
                         data=form | {"starts_at_offset": offsets[1]})
    assert chosen.status_code == 302
    session = db.session.scalar(sa.select(AgendaSession))
    local = dt.datetime.fromisoformat(starts)
    offset = dt.timedelta(hours=int(offsets[1][1:3]), minutes=int(offsets[1][4:6]))
    assert session.starts_at == (local - offset).replace(tzinfo=dt.UTC)
