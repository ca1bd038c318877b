"""One organization under its many names: the matcher, States as participants, bodies, merges."""

import pytest
from sqlalchemy import func, select

from eventmgr.extensions import db
from eventmgr.normalize import organization_key
from eventmgr.registry import service
from eventmgr.registry.enums import ListCategory, OrganizationKind, OrganizationSize
from eventmgr.registry.matching import OrganizationIndex, match_organization
from eventmgr.registry.models import Organization, OrganizationAlias
from eventmgr.registry.naming import read_organization, split_acronym
from tests.builders import make_event, make_organization, make_person, record_participant

GOV, INTL, COMPANY = OrganizationKind.GOVERNMENT, OrganizationKind.INTERNATIONAL, OrganizationKind.COMPANY


@pytest.mark.parametrize(("one", "other"), [
    ("Orano, S.A.", "Orano"), ("Verband der Chemischen Industrie, e.V.", "Verband der Chemischen Industrie"),
    ("Compliance Academy GmbH", "Compliance Academy"), ("Stimson Centre", "The Stimson Center"),
    ("Organisation for the Prohibition of Chemical Weapons",
     "Organization for the Prohibition of Chemical Weapons"),
    ("Fédération Internationale des Associations de Transitaires et Assimilés",
     "Federation internationale des associations de transitaires et assimiles"),
    ("Rolls-Royce plc", "Rolls Royce"), ("Merck & Co., Inc.", "Merck and Co"),
    ("Compliance and Capacity International, LLC", "Compliance & Capacity International"),
    ("Infineon Technologies AG", "Infineon Technologies"), ("Lufthansa Cargo AG", "LUFTHANSA CARGO"),
])
def test_keys_ignore_accents_punctuation_spelling_and_legal_forms(one, other):
    assert organization_key(one) == organization_key(other)


def test_a_legal_form_alone_is_a_name():
    assert organization_key("AG") == "ag"
    assert organization_key("Orano S.A. Holding") == "orano sa holding"


def test_acronyms_in_parentheses_are_split_but_years_and_countries_are_not():
    assert split_acronym("United Nations Office for Disarmament Affairs (UNODA)") == (
        "United Nations Office for Disarmament Affairs", "UNODA")
    assert split_acronym("Committee established pursuant to resolution 1540 (2004)")[1] == ""
    assert split_acronym("Stimson Center (USA)")[1] == ""


def test_matching_by_name_alias_and_acronym(app_ctx):
    unoda = make_organization("Office for Disarmament Affairs of the United Nations Secretariat", kind=INTL,
                              country=None, acronym="UNODA",
                              aliases=["United Nations Office for Disarmament Affairs"])
    committee = make_organization("Security Council Committee established pursuant to resolution 1540 (2004)",
                                  kind=INTL, country=None, aliases=["1540 Committee"])
    stimson = make_organization("Stimson Center", kind=OrganizationKind.THINK_TANK, country="US")
    opcw = make_organization("OPCW", kind=INTL, country="NL")

    assert match_organization("UNODA") is unoda
    assert match_organization("U.N.O.D.A.") is unoda
    assert match_organization("United Nations Office for Disarmament Affairs (UNODA)") is unoda
    assert match_organization("united nations office for disarmament affairs") is unoda
    assert match_organization("1540 Committee") is committee
    assert match_organization("The Stimson Centre") is stimson
    assert match_organization("Organisation for the Prohibition of Chemical Weapons", "OPCW") is opcw
    assert match_organization("Stimson") is None

    index = OrganizationIndex.whole_directory()
    assert index.find("UNODA").by == "acronym"
    assert index.find("1540 Committee").by == "alias"
    assert index.find("Stimson Center").by == "name"


def test_search_finds_alternative_names(app_ctx):
    organization = make_organization("Department of State", kind=GOV, country="US",
                                     aliases=["US State Department"])
    assert "us state department" in organization.search_key
    service.update_organization(organization, aliases=["State Department", "DoS"])
    db.session.commit()
    db.session.refresh(organization)
    assert organization.alias_names == ["DoS", "State Department"]
    assert "dos" in organization.search_key.split() and "us state department" not in organization.search_key


def test_bodies_of_different_states_and_companies_of_different_countries_stay_apart(app_ctx):
    chile = make_organization("Ministry of Foreign Affairs", kind=GOV, country="CL")
    peru = service.find_or_create_organization("Ministry of Foreign Affairs", kind=GOV, country="PE")
    assert peru is not chile and peru.state == "PE"
    assert service.find_or_create_organization("Ministry of Foreign Affairs of Chile", kind=GOV) is chile

    merck = make_organization("Merck KGaA", country="DE")
    merck_us = service.find_or_create_organization("Merck & Co., Inc.", kind=COMPANY, country="US")
    assert merck_us is not merck
    # Where one country is unknown, the legal form does not keep them apart.
    assert service.find_or_create_organization("Merck", kind=COMPANY) is merck


def test_a_state_taking_part_as_such_has_one_entry_whatever_the_spelling(app_ctx):
    first = service.find_or_create_organization("Government of Mexico", kind=GOV)
    assert (first.kind, first.name, first.state, first.country) == (
        OrganizationKind.STATE, "Mexico", "MX", "MX")
    for typed in ("Mexico", "México", "Delegation of Mexico", "Gobierno de México",
                  "Permanent Mission of Mexico to the United Nations"):
        assert service.find_or_create_organization(typed, kind=INTL) is first
    assert first.category is ListCategory.STATES
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 1


def test_a_body_with_a_state_is_a_government_authority_whatever_kind_it_was_given(app_ctx):
    bafa = service.find_or_create_organization("Federal Office for Economic Affairs and Export Control",
                                               kind=INTL, state="DE", acronym="BAFA")
    assert (bafa.kind, bafa.state, bafa.category) == (GOV, "DE", ListCategory.STATES)
    korea = service.find_or_create_organization(
        "Korea (Republic of), National Authority for the Chemical Weapons Convention", kind=INTL)
    assert (korea.name, korea.state, korea.kind) == ("National Authority for the Chemical Weapons Convention",
                                                     "KR", GOV)
    assert korea.alias_names == [
        "Korea (Republic of), National Authority for the Chemical Weapons Convention"]


@pytest.mark.parametrize(("typed", "kind", "state", "expected"), [
    ("Ministry of Foreign Affairs of Chile", GOV, None, ("Ministry of Foreign Affairs", "CL")),
    ("Customs Service (Chile)", GOV, None, ("Customs Service", "CL")),
    ("India, Ministry of External Affairs", GOV, None, ("Ministry of External Affairs", "IN")),
    ("Embassy of Mexico in Berlin", OrganizationKind.OTHER, None, ("Embassy of Mexico in Berlin", "MX")),
    ("University of Georgia", OrganizationKind.ACADEMIA, None, ("University of Georgia", None)),
    ("Ministry of Economy of the Republic of Korea", GOV, "KR", ("Ministry of Economy", "KR")),
])
def test_reading_typed_names_for_their_state(typed, kind, state, expected):
    read = read_organization(typed, kind, state=state)
    assert (read.name, read.state) == expected


def test_merging_keeps_the_duplicates_names_as_aliases(app_ctx):
    event = make_event()
    keep = make_organization("Security Council Committee established pursuant to resolution 1540 (2004)",
                             kind=INTL, country=None, aliases=["Committee 1540"])
    duplicate = make_organization("1540 Committee", kind=INTL, country=None, acronym="1540C",
                                  aliases=["The 1540 Committee of the Security Council", "committee 1540"])
    record_participant(event, duplicate, person=make_person(organization=duplicate))
    service.merge_organizations(keep, duplicate)
    db.session.commit()
    keep = db.session.get(Organization, keep.id)
    assert keep.alias_names == ["1540 Committee", "Committee 1540",
                                "The 1540 Committee of the Security Council"]
    assert keep.acronym == "1540C"
    assert db.session.scalar(select(func.count()).select_from(OrganizationAlias)) == 3
    assert match_organization("1540 Committee") is keep
    assert match_organization("the 1540 committee of the security council") is keep


def test_similar_names_are_offered_as_possible_duplicates_not_matched(app_ctx):
    state_department = make_organization("Department of State", kind=GOV, country="US")
    make_organization("Institute", kind=OrganizationKind.ACADEMIA, country="US")
    index = OrganizationIndex.whole_directory()
    assert index.match("US State Department", country="US") is None
    typed = Organization(name="US State Department", name_key="us state department", kind=GOV, state="US",
                         country="US")
    assert index.similar(typed) == [state_department]
    # Two UN regional centres share most words but are not one body.
    make_organization("United Nations Regional Centre for Peace, Disarmament and Development in Latin "
                      "America and the Caribbean", kind=INTL, country="PE")
    africa = Organization(name="United Nations Regional Centre for Peace and Disarmament in Africa",
                          kind=INTL, country="TG")
    assert OrganizationIndex.whole_directory().similar(africa) == []


def test_size_and_kind_are_checked(app_ctx):
    organization = make_organization("Small Parts GmbH", size="sme")
    assert organization.size is OrganizationSize.SME
    with pytest.raises(service.ValidationFailed) as failure:
        service.create_organization(name="Nowhere", kind=OrganizationKind.STATE, country=None)
    assert "needs its State" in failure.value.errors["state"][0]
