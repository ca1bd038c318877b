"""The composition paragraph: rounded honestly, majority only when real, figures from the registry."""

import pytest

from eventmgr.registry.composition import Composition, compute_composition
from eventmgr.registry.enums import ListCategory, OrganizationKind
from eventmgr.reports.composition_text import composition_paragraph, majority_category, rounded_count
from eventmgr.reports.wording import Tense
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, record_participant


@pytest.mark.parametrize(("count", "words"), [
    (0, "no"), (1, "one"), (9, "nine"), (12, "twelve"), (13, "more than ten"), (19, "approximately 20"),
    (20, "20"), (24, "more than 20"), (68, "approximately 70"), (72, "approximately 70"),
    (75, "more than 70"), (3000, "3,000"), (3020, "approximately 3,000"), (3060, "more than 3,000"),
])
def test_rounded_count_never_overstates(count, words):
    assert rounded_count(count) == words


def _attend(event, organization, people: int) -> None:
    for _ in range(people):
        record_participant(event, organization)


def _event_with(shape: dict[OrganizationKind, int]):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    for index, (kind, people) in enumerate(shape.items()):
        _attend(event, make_organization(f"{kind.value.title()} {index}", kind=kind), people)
    return event


def test_clear_majority_is_named_with_examples_and_the_other_categories(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    _attend(event, make_organization("AREVA", country="FR"), 4)
    _attend(event, make_organization("Lufthansa"), 3)
    _attend(event, make_organization("Federal Foreign Office", kind=OrganizationKind.GOVERNMENT), 2)
    _attend(event, make_organization("OPCW", kind=OrganizationKind.INTERNATIONAL, country="NL"), 1)

    composition = compute_composition(event)

    assert composition.by_category == {ListCategory.STATES: 2, ListCategory.ORGANIZATIONS: 1,
                                       ListCategory.INDUSTRY: 7}
    assert composition_paragraph(composition) == (
        "The majority of the ten participants represented companies and industry associations "
        "(such as AREVA and Lufthansa). Other participants included representatives of government "
        "authorities of Germany and international and regional organizations (such as OPCW). In all, "
        "one State, one international or regional organization and two companies and industry "
        "associations took part (see enclosure).")


def test_exactly_half_is_no_majority(app_ctx):
    event = _event_with({OrganizationKind.COMPANY: 7, OrganizationKind.GOVERNMENT: 5,
                         OrganizationKind.ACADEMIA: 2})

    composition = compute_composition(event)

    assert (composition.participants, composition.by_category[ListCategory.INDUSTRY]) == (14, 7)
    assert majority_category(composition) is None
    assert composition_paragraph(composition) == (
        "The conference brought together more than ten participants. They came from government "
        "authorities of Germany, companies and industry associations (such as Company 0) "
        "and academia, think tanks and other entities (such as Academia 2), no single group forming "
        "a majority. In all, one State, one company or industry association and one academic "
        "institution, think tank or other entity took part (see enclosure).")


def test_absent_categories_are_not_mentioned(app_ctx):
    event = _event_with({OrganizationKind.THINK_TANK: 3, OrganizationKind.INTERNATIONAL: 1})

    composition = compute_composition(event)
    paragraph = composition_paragraph(composition)

    assert composition.by_category == {ListCategory.ORGANIZATIONS: 1, ListCategory.OTHERS: 3}
    assert paragraph == (
        "The majority of the four participants represented academia, think tanks and other entities "
        "(such as Think_Tank 0). Other participants included representatives of international and "
        "regional organizations (such as the International 1). In all, one international or regional "
        "organization and one academic institution, think tank or other entity took part (see "
        "enclosure).")
    assert "government" not in paragraph
    assert "companies" not in paragraph


@pytest.mark.parametrize(("shape", "expected"), [
    # Nothing recorded, nothing said: the drafter sees an empty paragraph, not a placeholder.
    ({}, ""),
    ({OrganizationKind.COMPANY: 1},
     "The conference had a single participant, representing companies and industry associations "
     "(such as Company 0)."),
    ({OrganizationKind.COMPANY: 1, OrganizationKind.NGO: 1},
     "The conference brought together two participants. They came from companies and industry "
     "associations (such as Company 0) and academia, think tanks and other entities (such as Ngo 1), "
     "no single group forming a majority. In all, one company or industry association and one "
     "academic institution, think tank or other entity took part (see enclosure)."),
])
def test_tiny_events(app_ctx, shape, expected):
    event = _event_with(shape)

    assert composition_paragraph(compute_composition(event)) == expected


def test_people_without_an_organization_count_in_the_total():
    composition = Composition(participants=3, without_organization=1,
                              by_category={ListCategory.INDUSTRY: 2},
                              examples={ListCategory.INDUSTRY: ["AREVA"]})

    assert composition_paragraph(composition) == (
        "The majority of the three participants represented companies and industry associations "
        "(such as AREVA). One participant attended in a personal capacity.")


def test_counts_of_states_and_organizations_come_from_the_registry(app_ctx):
    """Eight States (authorities grouped by the State they came for), three organizations."""
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    for country in ("DE", "FR", "IT", "MY", "US", "IN", "JP", "BR"):
        _attend(event, make_organization(f"Ministry {country}", kind=OrganizationKind.GOVERNMENT,
                                         country=country), 2 if country == "DE" else 1)
    _attend(event, make_organization("Second German authority", kind=OrganizationKind.GOVERNMENT,
                                     country="DE"), 1)
    for name in ("OPCW", "World Customs Organization", "European Commission"):
        _attend(event, make_organization(name, kind=OrganizationKind.INTERNATIONAL, country=None), 1)

    composition = compute_composition(event)
    paragraph = composition_paragraph(composition)

    assert len(composition.states) == 8
    assert composition.organizations_by_category[ListCategory.ORGANIZATIONS] == 3
    assert paragraph.endswith("In all, eight States and three international and regional "
                              "organizations took part (see enclosure).")
    # The largest delegation's State is named first among the examples.
    assert "government authorities (of States such as Germany, Brazil and France)" in paragraph
    assert "the World Customs Organization" in paragraph


def test_before_the_event_the_paragraph_speaks_of_registered_participants(app_ctx):
    event = _event_with({OrganizationKind.COMPANY: 5, OrganizationKind.ACADEMIA: 2})

    paragraph = composition_paragraph(compute_composition(event), Tense.FUTURE)

    assert paragraph.startswith("The majority of the seven registered participants represent companies")
    assert "Other registered participants include representatives of academia" in paragraph
    assert paragraph.endswith("are registered (see enclosure).")
