"""Directory rules: matching organizations and people, editing, merging."""

import pytest
from sqlalchemy import func, select

from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.auth.models import User
from eventmgr.errors import Conflict, ValidationFailed
from eventmgr.extensions import db
from eventmgr.registry import service
from eventmgr.registry.enums import NameOrder, OrganizationKind, RegistrationStatus, Sector
from eventmgr.registry.models import Organization, Person, Registration
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, make_person, record_participant


def test_find_or_create_organization_matches_name_key_and_acronym(app_ctx):
    opcw = service.find_or_create_organization(
        "Organisation for the Prohibition of Chemical Weapons", kind=OrganizationKind.INTERNATIONAL,
        acronym="OPCW", country="NL")
    same_name = service.find_or_create_organization(
        "  organisation for the PROHIBITION of  chemical weapons ", kind=OrganizationKind.OTHER,
        sectors=[Sector.CHEMICAL])
    by_acronym = service.find_or_create_organization("opcw", kind=OrganizationKind.INTERNATIONAL)
    by_acronym_field = service.find_or_create_organization(
        "Org. for the Prohibition of Chemical Weapons", kind=OrganizationKind.INTERNATIONAL,
        acronym="OPCW")
    assert same_name is opcw and by_acronym is opcw and by_acronym_field is opcw
    # A match keeps its own kind and gains the new sector.
    assert opcw.kind is OrganizationKind.INTERNATIONAL
    assert opcw.sectors == [Sector.CHEMICAL]
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 1


def test_a_match_fills_blanks_but_keeps_what_is_known(app_ctx):
    ministry = service.find_or_create_organization("Ministry of Economic Development",
                                                   kind=OrganizationKind.GOVERNMENT)
    assert (ministry.country, ministry.state) == (None, None)
    service.find_or_create_organization("Ministry of Economic Development",
                                        kind=OrganizationKind.GOVERNMENT, country="IT")
    assert (ministry.country, ministry.state) == ("IT", "IT")
    service.find_or_create_organization("Ministry of Economic Development",
                                        kind=OrganizationKind.GOVERNMENT, country="DE")
    assert (ministry.country, ministry.state) == ("IT", "IT")


def test_organization_fields_are_checked_together(app_ctx):
    with pytest.raises(ValidationFailed) as error:
        service.create_organization(name=" ", kind="planet", country="XX", sectors=["magic"])
    assert error.value.errors == {
        "name": ["Give the organization a name."],
        "kind": ["Choose a kind of organization."],
        "country": ["Choose a country from the list."],
        "sectors": ["Choose sectors from the list."],
    }
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 0


def test_update_organization_refuses_a_name_taken_by_another(app_ctx):
    make_organization("AREVA")
    merck = make_organization("Merck KGaA")
    with pytest.raises(ValidationFailed) as error:
        service.update_organization(merck, name="areva")
    assert error.value.errors == {"name": ["“areva” is already in the directory."]}
    service.update_organization(merck, name="Merck  KGaA, Darmstadt", kind=OrganizationKind.COMPANY,
                                sectors=[Sector.CHEMICAL])
    assert (merck.name, merck.name_key, merck.sectors) == (
        "Merck KGaA, Darmstadt", "merck kgaa, darmstadt", [Sector.CHEMICAL])


def test_people_are_one_per_normalised_email(app_ctx):
    person = service.create_person(email="Anna.Schmidt@Example.DE ", given_name="Anna",
                                   family_name="Schmidt")
    assert person.email_key == "anna.schmidt@example.de"
    assert service.find_or_create_person("anna.schmidt@example.de", given_name="X",
                                         family_name="Y") is person
    with pytest.raises(ValidationFailed) as error:
        service.create_person(email="ANNA.SCHMIDT@example.de", given_name="A", family_name="S")
    assert error.value.errors == {
        "email": ["ANNA.SCHMIDT@example.de already belongs to someone in the directory."]}


def test_person_fields_are_checked(app_ctx):
    with pytest.raises(ValidationFailed) as error:
        service.create_person(email="not-an-email", given_name=" ", family_name="", country="ZZ")
    assert sorted(error.value.errors) == ["country", "email", "family_name"]
    assert error.value.errors["family_name"] == ["Enter the family name."]
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0


def test_a_person_known_by_one_name_and_without_an_address(app_ctx):
    person = service.create_person(family_name="Wallraff", name_order=NameOrder.FAMILY_GIVEN)
    other = service.create_person(family_name="Li", given_name="Hong", name_order=NameOrder.FAMILY_GIVEN)
    assert (person.email, person.email_key, person.full_name, other.full_name, other.list_name) == (
        "", None, "Wallraff", "Li Hong", "LI Hong")
    assert service.get_person_by_email("") is None


def test_update_person_changes_email_key_and_organization(app_ctx):
    areva = make_organization("AREVA")
    person = make_person("old@example.org")
    make_person("taken@example.org")
    with pytest.raises(ValidationFailed):
        service.update_person(person, email="TAKEN@example.org")
    service.update_person(person, email="New@Example.org", position="Head of export control",
                          organization=areva)
    assert (person.email, person.email_key, person.position, person.organization) == (
        "New@Example.org", "new@example.org", "Head of export control", areva)


def test_merge_people_keeps_every_registration(app_ctx):
    first, second, third = (make_event(status=EventStatus.REGISTRATION_OPEN) for _ in range(3))
    areva = make_organization("AREVA")
    keep = make_person("anna@example.org", organization=areva)
    duplicate = make_person("anna.schmidt@example.org", position="Director", consent_to_list=True)
    record_participant(first, areva, person=keep)
    record_participant(second, areva, person=duplicate)
    # Both at the third event: the duplicate's confirmed one beats the kept one's cancelled one.
    record_participant(third, areva, person=keep, status=RegistrationStatus.CANCELLED)
    record_participant(third, areva, person=duplicate)
    duplicate_id = duplicate.id

    service.merge_people(keep, duplicate)
    db.session.commit()

    rows = db.session.execute(select(Registration.event_id, Registration.person_id,
                                     Registration.status).order_by(Registration.event_id)).all()
    assert rows == [(first.id, keep.id, RegistrationStatus.CONFIRMED),
                    (second.id, keep.id, RegistrationStatus.CONFIRMED),
                    (third.id, keep.id, RegistrationStatus.CONFIRMED)]
    assert db.session.get(Person, duplicate_id) is None
    assert (keep.position, keep.consent_to_list) == ("Director", True)
    with pytest.raises(Conflict):
        service.merge_people(keep, keep)


def test_merge_organizations_moves_people_registrations_and_sectors(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    keep = make_organization("Lufthansa Cargo AG", sectors=[Sector.TRANSPORT_LOGISTICS])
    duplicate = make_organization("LH Cargo", acronym="LHC",
                                  sectors=[Sector.TRANSPORT_LOGISTICS, Sector.AEROSPACE])
    registration = record_participant(event, duplicate)
    person_id = registration.person_id
    duplicate_id = duplicate.id

    service.merge_organizations(keep, duplicate)
    db.session.commit()

    assert db.session.get(Organization, duplicate_id) is None
    assert db.session.get(Registration, registration.id).organization_id == keep.id
    assert db.session.get(Person, person_id).organization_id == keep.id
    assert (keep.acronym, keep.sectors) == ("LHC", [Sector.AEROSPACE, Sector.TRANSPORT_LOGISTICS])


def test_record_registration_updates_and_keeps_state_for_government_only(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    ministry = make_organization("Ministry of Economic Development",
                                 kind=OrganizationKind.GOVERNMENT, country="IT")
    company = make_organization("AREVA", country="FR")
    registration = record_participant(event, ministry)
    assert registration.state == "IT"
    again = service.record_registration(event, registration.person, organization=company, state="DE",
                                        status=RegistrationStatus.WAITLISTED)
    assert again is registration
    assert (registration.organization, registration.state, registration.status) == (
        company, None, RegistrationStatus.WAITLISTED)


def test_merge_people_moves_the_account_unless_the_kept_person_has_one(app_ctx):
    keep, duplicate = make_person("keep@example.org"), make_person("dup@example.org")
    other_keep, other_duplicate = make_person("k2@example.org"), make_person("d2@example.org")
    account = auth_service.create_user("dup@example.org", role=Role.PARTICIPANT,
                                       password="long enough password", person_id=duplicate.id)
    kept_account = auth_service.create_user("k2@example.org", role=Role.PARTICIPANT,
                                            password="long enough password", person_id=other_keep.id)
    dropped_account = auth_service.create_user("d2@example.org", role=Role.PARTICIPANT,
                                               password="long enough password",
                                               person_id=other_duplicate.id)
    db.session.commit()
    account_ids = (account.id, kept_account.id, dropped_account.id)

    service.merge_people(keep, duplicate)
    service.merge_people(other_keep, other_duplicate)
    db.session.commit()

    assert [db.session.get(User, i).person_id for i in account_ids] == [keep.id, other_keep.id, None]


def test_search_keys_follow_every_write(app_ctx):
    """People and organizations keep a transliterated search key, also after an edit."""
    organization = make_organization("Bundesamt für Wirtschaft", acronym="BAFA")
    person = Person(given_name="José", family_name="Müller", email="jm@example.org",
                    email_key="jm@example.org", organization=organization)
    db.session.add(person)
    db.session.flush()
    assert person.search_key == "jose muller"
    assert organization.search_key == "bundesamt fur wirtschaft bafa"
    person.family_name = "Núñez"
    db.session.flush()
    assert db.session.scalar(select(Person.search_key).where(Person.id == person.id)) == "jose nunez"
    assert db.session.scalar(select(Organization.id).where(
        Organization.search_key.contains("fur wirtschaft"))) == organization.id
