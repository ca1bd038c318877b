"""Tense by the event's dates, editions from the series order, hosts and partners by role."""

import datetime as dt

import pytest

from eventmgr.registry.enums import OrganizationKind
from eventmgr.reports import wording
from eventmgr.reports.builder import letter_body, report_subtitle
from eventmgr.reports.wording import Tense
from eventmgr.series import service as series_service
from eventmgr.series.enums import OrganizerRole
from tests.builders import make_event, make_organization, make_series


@pytest.mark.parametrize(("today", "tense"), [
    (dt.date(2014, 11, 19), Tense.FUTURE), (dt.date(2014, 11, 20), Tense.PRESENT),
    (dt.date(2014, 11, 21), Tense.PRESENT), (dt.date(2014, 11, 22), Tense.PAST),
])
def test_tense_follows_the_event_dates(app_ctx, today, tense):
    assert wording.tense_on(make_event(), today) is tense


@pytest.mark.parametrize(("number", "word"), [(1, "first"), (3, "third"), (4, "fourth"), (12, "twelfth"),
                                              (20, "twentieth"), (21, "21st"), (22, "22nd"), (23, "23rd"),
                                              (111, "111th"), (112, "112th")])
def test_ordinals(number, word):
    assert wording.ordinal(number) == word


def _series_of_four():
    series = make_series(name="Wiesbaden process — industry outreach on resolution 1540 (2004)")
    # Created out of order: the edition comes from the dates, not from the rows.
    fourth = make_event(series, title="Wiesbaden conference on export controls",
                        start_date=dt.date(2015, 11, 4), end_date=dt.date(2015, 11, 5))
    first = make_event(series, title="Conference of industry associations",
                       start_date=dt.date(2012, 4, 23), end_date=dt.date(2012, 4, 25))
    third = make_event(series, title="Industry outreach conference on resolution 1540 (2004)",
                       start_date=dt.date(2014, 11, 20), end_date=dt.date(2014, 11, 21))
    second = make_event(series, title="Industry outreach conference on biosecurity",
                        start_date=dt.date(2013, 6, 26), end_date=dt.date(2013, 6, 27))
    return first, second, third, fourth


def test_edition_ordinals_from_the_series_order(app_ctx):
    first, second, third, fourth = _series_of_four()

    assert [wording.edition(e) for e in (first, second, third, fourth)] == [1, 2, 3, 4]
    assert wording.edition_phrase(third) == (
        "the third industry outreach conference on resolution 1540 (2004)")
    assert wording.edition_phrase(first) == "the first conference of industry associations"
    # A proper name keeps its capital: the edition is said around it.
    assert wording.edition_phrase(fourth) == (
        "the fourth conference of the series, “Wiesbaden conference on export controls”")
    assert wording.series_name(third) == "the Wiesbaden process"
    assert wording.later_event(second) is third and wording.later_event(fourth) is None


def test_hosts_cooperation_and_support_named_by_role(app_ctx):
    _, _, event, _ = _series_of_four()
    foreign_office = make_organization("Federal Foreign Office", kind=OrganizationKind.GOVERNMENT)
    unoda = make_organization("Office for Disarmament Affairs of the United Nations Secretariat",
                              kind=OrganizationKind.INTERNATIONAL, country=None)
    commission = make_organization("European Commission", kind=OrganizationKind.REGIONAL, country=None)
    areva = make_organization("AREVA", country="FR")
    series_service.set_event_organizers(event, [
        (foreign_office.id, OrganizerRole.HOST), (unoda.id, OrganizerRole.CO_ORGANIZER),
        (commission.id, OrganizerRole.PARTNER), (areva.id, OrganizerRole.PARTNER)])

    past = letter_body(event, organ="Security Council", today=dt.date(2014, 12, 23))
    future = letter_body(event, today=dt.date(2014, 10, 1))

    assert past.startswith(
        "Within the framework of the Wiesbaden process, the Government of Germany hosted the third "
        "industry outreach conference on resolution 1540 (2004) in Frankfurt am Main, Germany, on 20 and "
        "21 November 2014. The conference was organized in cooperation with the Office for Disarmament "
        "Affairs of the United Nations Secretariat and with the support of the European Commission and "
        "AREVA.")
    assert past.endswith("as a document of the Security Council.")
    assert "the Government of Germany will host the third" in future
    assert "will be organized in cooperation with" in future
    assert "Federal Foreign Office;" not in past


def test_subtitle_gives_city_and_country(app_ctx):
    event = make_event(theme="Compliance", title="Conference", venue_city="Frankfurt am Main",
                       venue_country="DE")
    assert report_subtitle(event) == (
        "Compliance\nConference\n20 and 21 November 2014, Frankfurt am Main, Germany")


@pytest.mark.parametrize(("name", "phrase"), [
    ("European Commission", "the European Commission"), ("AREVA", "AREVA"),
    ("General Electric", "General Electric"), ("the Committee", "the Committee"),
    ("World Customs Organization", "the World Customs Organization"), ("OPCW", "OPCW"),
])
def test_names_take_the_article_a_sentence_gives_them(name, phrase):
    assert wording.with_article(name) == phrase
