"""Search as people type it, on every list and picker: accents, case, punctuation and scripts aside.

One table of names as stored and as typed, checked against the search keys and then on each
list a user searches: people, organizations, registrations, check-in, invitations and the
participant area's directory.
"""

from __future__ import annotations

import pytest
from markupsafe import escape

from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.invitations import service as invitations
from eventmgr.normalize import search_key
from eventmgr.registry import registration as registry
from eventmgr.registry.enums import OrganizationKind
from eventmgr.search import search_terms
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, make_person, make_registrant

# (given name, family name as stored, what someone types)
NAME_PAIRS = [
    ("Hans", "Müller", "muller"),
    ("Petra", "Muller", "MULLER"),
    ("Sofía", "Fernández", "fernandez"),
    ("Siobhán", "O'Connor", "oconnor"),
    ("Liam", "O’Brien", "o'brien"),
    ("Inés", "Nuñez", "nunez"),
    ("Łukasz", "Wróblewski", "lukasz wroblewski"),
    ("Hans Christian", "Ørsted", "orsted"),
    ("Greta", "Straße", "strasse"),
    ("Дмитрий", "Иванов", "dmitriy ivanov"),
    ("Юлия", "Щукина", "shchukina"),
    ("Γιώργος", "Νικολάου", "giorgos"),
    ("Ayşe", "Çelik", "ayse celik"),
    ("Antonín", "Dvořák", "dvorak"),
    ("Đorđe", "Đorđević", "dordevic"),
    ("Þóra", "Jónsdóttir", "thora jonsdottir"),
    ("Nguyễn", "Văn An", "nguyen van"),
    ("Zoë", "Kühn-Lévy", "kuhn levy"),
    ("Jean-François", "Lefèvre", "jean francois"),
    ("Björn", "Sjöström", "bjorn"),
    ("Chloé", "Ruiz Pérez", "ruiz perez"),
    ("Fang", "王", "wang"),
    ("Élodie", "Dupré", "  ELODIE   dupre  "),
]


@pytest.mark.parametrize(("given", "family", "typed"), NAME_PAIRS)
def test_every_word_typed_is_in_the_stored_names_search_key(given, family, typed):
    key = search_key(f"{given} {family}")

    assert search_terms(typed) and all(term in key for term in search_terms(typed)), (key, typed)


def test_a_query_of_punctuation_alone_searches_nothing():
    assert search_terms(" - ' . ") == []


def _shown(given: str, family: str, list_name: str) -> str:
    """How a row of the list names the person, each name isolated (<bdi>): the people list
    family name first, the organizations list their organization."""
    given, family = escape(given), escape(family)
    return {"people": f"<bdi>{family}</bdi>, <bdi>{given}</bdi>",
            "organizations": f"<bdi>{family} Holding</bdi>"}.get(list_name, f"<bdi>{given} {family}</bdi>")


def _names(page: str, list_name: str = "registrations") -> set[str]:
    return {f"{given} {family}" for given, family, _ in NAME_PAIRS
            if _shown(given, family, list_name) in page}


def _world():
    """Everyone of the table: in the directory, registered (confirmed, listed) and invited,
    each working for an organization of the same name, plus someone no query finds."""
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    people = []
    for index, (given, family, _) in enumerate([*NAME_PAIRS, ("Zed", "Nobody", "")]):
        organization = make_organization(f"{family} Holding", kind=OrganizationKind.COMPANY)
        person = make_person(f"person{index}@example.org", organization=organization, given_name=given,
                             family_name=family, consent_to_list=True)
        registry.register_participant(event, person=person, consent_to_list=True)
        people.append(person)
    invitations.invite_people(event, people)
    db.session.commit()
    return event


LISTS = {
    "people": "/people?q={q}",
    "organizations": "/organizations?q={q}",
    "registrations": "/events/{slug}/registrations?q={q}",
    "check-in": "/events/{slug}/checkin?q={q}",
    "invitations": "/events/{slug}/invitations?q={q}",
    "directory": "/events/{slug}/area/directory?q={q}",
}


@pytest.mark.parametrize("name", LISTS)
def test_each_list_finds_every_name_however_it_is_typed(client, auth, app_ctx, name):
    event = _world()
    auth.login(Role.ORGANIZER)

    def page(typed: str) -> str:
        return client.get(LISTS[name].format(slug=event.slug, q=typed)).get_data(as_text=True)

    found = {typed: _names(page(typed), name) for _, _, typed in NAME_PAIRS}

    def searched(given: str, family: str) -> list[str]:
        """The keys a row is found by: the organization's alone on the organizations list."""
        organization = search_key(f"{family} Holding")
        return [organization] if name == "organizations" else [search_key(f"{given} {family}"), organization]

    def matches(given: str, family: str, typed: str) -> bool:
        return all(any(term in key for key in searched(given, family)) for term in search_terms(typed))

    wanted = {typed: {f"{given} {family}" for given, family, _ in NAME_PAIRS if matches(given, family, typed)}
              for _, _, typed in NAME_PAIRS}
    assert found == wanted
    assert all(found[typed] for _, family, typed in NAME_PAIRS if name != "organizations" or
               all(term in search_key(family) for term in search_terms(typed)))
    muller = page("muller")
    assert _shown("Hans", "Müller", name) in muller and _shown("Zed", "Nobody", name) not in muller


def test_the_directory_search_never_matches_an_address_not_shared(client, auth, app_ctx):
    event = _world()
    auth.login(Role.ORGANIZER)

    page = client.get(f"/events/{event.slug}/area/directory?q=person3%40example.org").get_data(as_text=True)

    assert "Nobody listed matches" in page


def test_an_email_address_is_searched_as_typed(client, auth, app_ctx):
    event = _world()
    auth.login(Role.ORGANIZER)

    page = client.get(f"/events/{event.slug}/registrations?q=PERSON3@Example.org").get_data(as_text=True)

    assert _names(page) == {"Siobhán O'Connor"}


@pytest.mark.parametrize("size", [2, 20])
def test_a_searched_list_runs_a_fixed_number_of_queries(client, auth, app_ctx, count_queries, size):
    for index in range(size):
        make_person(f"m{index}@example.org", given_name="Hans", family_name=f"Müller {index}")
    auth.login(Role.ORGANIZER)
    client.get("/people?q=muller")

    with count_queries() as statements:
        page = client.get("/people?q=muller").get_data(as_text=True)

    assert page.count("Müller ") == size
    assert len(statements) == 2, statements  # the count, then the page of rows


def test_participants_search_their_directory_too(client, app_ctx):
    event = _world()
    make_registrant(event, "reader@example.org", "a long password")
    client.post("/auth/login", data={"email": "reader@example.org", "password": "a long password"})

    page = client.get(f"/events/{event.slug}/area/directory?q=nunez").get_data(as_text=True)

    assert _names(page, "directory") == {"Inés Nuñez"}
