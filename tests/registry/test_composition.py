"""Composition figures: counts by category, kind, country, sector, role; new vs returning."""

import datetime as dt

from eventmgr.extensions import db
from eventmgr.registry.composition import compute_composition
from eventmgr.registry.enums import (
    ListCategory,
    OrganizationKind,
    ParticipantRole,
    RegistrationStatus,
    Sector,
)
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, make_person, record_participant


def test_composition_counts(app_ctx):
    earlier = make_event(status=EventStatus.REPORTED, start_date=dt.date(2013, 6, 1),
                         end_date=dt.date(2013, 6, 2))
    event = make_event(earlier.series, status=EventStatus.REGISTRATION_OPEN)
    later = make_event(earlier.series, status=EventStatus.DRAFT, start_date=dt.date(2016, 6, 1),
                       end_date=dt.date(2016, 6, 2))
    foreign_office = make_organization("Federal Foreign Office", kind=OrganizationKind.GOVERNMENT)
    opcw = make_organization("OPCW", kind=OrganizationKind.INTERNATIONAL, country="NL")
    areva = make_organization("AREVA", country="FR", sectors=[Sector.NUCLEAR])
    merck = make_organization("Merck KGaA", sectors=[Sector.CHEMICAL, Sector.BIOLOGICAL])
    sipri = make_organization("SIPRI", kind=OrganizationKind.THINK_TANK, country="SE")
    record_participant(earlier, areva)
    record_participant(earlier, sipri, status=RegistrationStatus.CANCELLED)
    record_participant(later, merck)

    record_participant(event, foreign_office, role=ParticipantRole.CHAIR)
    record_participant(event, foreign_office, state="FR")
    record_participant(event, opcw, role=ParticipantRole.SPEAKER)
    record_participant(event, areva)
    record_participant(event, areva, role=ParticipantRole.SPEAKER)
    record_participant(event, areva)
    record_participant(event, merck)
    record_participant(event, sipri, role=ParticipantRole.RAPPORTEUR)
    record_participant(event, None, person=make_person(country="IT"))
    record_participant(event, merck, status=RegistrationStatus.PENDING)

    composition = compute_composition(event)

    assert composition.participants == 9
    assert composition.organizations == 5
    assert composition.without_organization == 1
    assert composition.by_category == {ListCategory.STATES: 2, ListCategory.ORGANIZATIONS: 1,
                                       ListCategory.INDUSTRY: 4, ListCategory.OTHERS: 1}
    assert composition.organizations_by_category == {
        ListCategory.STATES: 1, ListCategory.ORGANIZATIONS: 1, ListCategory.INDUSTRY: 2,
        ListCategory.OTHERS: 1}
    assert composition.by_kind == {OrganizationKind.GOVERNMENT: 2, OrganizationKind.INTERNATIONAL: 1,
                                   OrganizationKind.COMPANY: 4, OrganizationKind.THINK_TANK: 1}
    # The Foreign Office's second person came for France; the person with no organization from Italy.
    assert composition.by_country == {"FR": 4, "DE": 2, "IT": 1, "NL": 1, "SE": 1}
    assert composition.countries == 5
    assert composition.by_sector == {Sector.NUCLEAR: 1, Sector.CHEMICAL: 1, Sector.BIOLOGICAL: 1}
    assert composition.by_role == {ParticipantRole.PARTICIPANT: 5, ParticipantRole.SPEAKER: 2,
                                   ParticipantRole.CHAIR: 1, ParticipantRole.RAPPORTEUR: 1}
    # The States paragraph's examples are its States (one person each: alphabetically).
    assert composition.examples == {ListCategory.STATES: ["France", "Germany"],
                                    ListCategory.ORGANIZATIONS: ["OPCW"],
                                    ListCategory.INDUSTRY: ["AREVA", "Merck KGaA"],
                                    ListCategory.OTHERS: ["SIPRI"]}
    # SIPRI's earlier registration was cancelled; Merck's was at a later event.
    assert composition.returning_organizations == ["AREVA"]
    assert composition.new_organizations == ["Federal Foreign Office", "Merck KGaA", "OPCW", "SIPRI"]


def test_composition_runs_a_fixed_number_of_queries(app_ctx, count_queries):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    counts = []
    for size in (2, 8):
        for _ in range(size):
            record_participant(event, make_organization(sectors=[Sector.FINANCE]))
        db.session.refresh(event)
        with count_queries() as statements:
            compute_composition(event)
        counts.append(len(statements))
    assert counts == [3, 3]
