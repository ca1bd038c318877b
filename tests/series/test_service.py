import datetime as dt

import pytest

from eventmgr.errors import InvalidTransition, ValidationFailed
from eventmgr.series import service
from eventmgr.series.enums import EventStatus, OrganizerRole
from tests.builders import make_event, make_organization, make_series


def test_create_event_refuses_end_before_start_and_unknown_timezone(app_ctx):
    series = make_series()

    with pytest.raises(ValidationFailed) as caught:
        service.create_event(series, slug="x-2014", title="X", start_date=dt.date(2014, 11, 21),
                             end_date=dt.date(2014, 11, 20), timezone="Mars/Olympus",
                             capacity=-5)

    assert set(caught.value.errors) == {"end_date", "timezone", "capacity"}


def test_status_moves_one_step_at_a_time(app_ctx):
    event = make_event()

    with pytest.raises(InvalidTransition):
        service.change_event_status(event, EventStatus.HELD)
    service.change_event_status(event, EventStatus.PUBLISHED)
    service.change_event_status(event, EventStatus.DRAFT)

    assert event.status is EventStatus.DRAFT
    assert service.allowed_status_moves(event) == [EventStatus.PUBLISHED]


def test_organizers_and_goals_keep_their_order(app_ctx):
    event = make_event()
    host, partner = make_organization("Federal Foreign Office"), make_organization("UNODA")

    service.set_event_organizers(event, [(partner.id, OrganizerRole.PARTNER),
                                         (host.id, OrganizerRole.HOST)])
    service.set_event_goals(event, ["Second", "", "Third"])

    assert [(o.organization.name, o.role) for o in event.organizers] == [
        ("UNODA", OrganizerRole.PARTNER), ("Federal Foreign Office", OrganizerRole.HOST)]
    assert [g.text for g in event.goals] == ["Second", "Third"]


def test_same_organization_twice_is_refused(app_ctx):
    event = make_event()
    host = make_organization()

    with pytest.raises(ValidationFailed):
        service.set_event_organizers(event, [(host.id, OrganizerRole.HOST),
                                             (host.id, OrganizerRole.PARTNER)])


def test_event_slug_is_unique(app_ctx):
    make_event(slug="frankfurt-2014")

    with pytest.raises(ValidationFailed) as caught:
        make_event(slug="frankfurt-2014")

    assert "already used" in caught.value.errors["slug"][0]
