"""Directory pages, web imports, the Lists tab, enclosure downloads and the public list."""

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from sqlalchemy import func, select

from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.keyset import Cursor
from eventmgr.registry import enclosure, queries
from eventmgr.registry.enums import ListVisibility, OrganizationKind, RegistrationStatus, Sector
from eventmgr.registry.models import Organization, ParticipantListSetting, Person, Registration
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, make_person, record_participant

FIXTURES = Path(__file__).parent / "fixtures"


def test_organizations_search_and_filters(client, auth, app_ctx):
    make_organization("AREVA", country="FR", sectors=[Sector.NUCLEAR])
    make_organization("Merck KGaA", country="DE", sectors=[Sector.CHEMICAL])
    make_organization("Federal Foreign Office", kind=OrganizationKind.GOVERNMENT, country="DE")
    make_organization("Organisation for the Prohibition of Chemical Weapons", acronym="OPCW",
                      kind=OrganizationKind.INTERNATIONAL, country="NL")
    auth.login(Role.ORGANIZER)

    def names(query: str) -> list[str]:
        page = client.get(f"/organizations?{query}").get_data(as_text=True)
        return [name for name in ("AREVA", "Merck KGaA", "Federal Foreign Office",
                                  "Organisation for the Prohibition") if f">{name}" in page]

    assert names("") == ["AREVA", "Merck KGaA", "Federal Foreign Office", "Organisation for the Prohibition"]
    assert names("q=opcw") == ["Organisation for the Prohibition"]
    assert names("q=merck") == ["Merck KGaA"]
    assert names("country=DE") == ["Merck KGaA", "Federal Foreign Office"]
    assert names("kind=government") == ["Federal Foreign Office"]
    assert names("sector=nuclear") == ["AREVA"]
    assert names("country=DE&sector=chemical") == ["Merck KGaA"]


@pytest.mark.parametrize("size", [3, 40])
def test_directory_lists_run_a_fixed_number_of_queries(client, auth, app_ctx, count_queries, size):
    for n in range(size):
        organization = make_organization(f"Company {n:03}", sectors=[Sector.FINANCE, Sector.OTHER])
        make_person(organization=organization)
    auth.login(Role.ORGANIZER)
    with count_queries() as organization_statements:
        organizations = client.get("/organizations")
    with count_queries() as people_statements:
        people = client.get("/people?q=alex")
    assert organizations.get_data(as_text=True).count("Company 0") == size
    assert people.get_data(as_text=True).count("Alex</bdi></a>") == size
    # count, page, sectors, people per organization / count, page (organizations joined)
    assert (len(organization_statements), len(people_statements)) == (4, 2)


def test_create_organization_shows_errors_next_to_fields_and_keeps_values(client, auth, app_ctx):
    make_organization("AREVA")
    auth.login(Role.ORGANIZER)
    response = client.post("/organizations/new", data={"name": "areva", "acronym": "AR",
                                                       "kind": "company", "country": "FR"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="name-error"' in page and "is already in the directory" in page
    assert 'value="AR"' in page
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 1

    response = client.post("/organizations/new", data={
        "name": "Compliance and Capacity International, LLC", "kind": "company", "country": "US",
        "sectors": ["finance", "brokering"]})
    assert response.status_code == 302
    created = db.session.scalar(select(Organization).where(Organization.country == "US"))
    assert (created.name, created.sectors) == ("Compliance and Capacity International, LLC",
                                               [Sector.FINANCE, Sector.BROKERING])


def test_person_pages_show_history_and_edit(client, auth, app_ctx):
    areva = make_organization("AREVA", country="FR")
    first = make_event(status=EventStatus.REPORTED, title="Wiesbaden 2012",
                       start_date=dt.date(2012, 6, 1), end_date=dt.date(2012, 6, 1))
    second = make_event(first.series, status=EventStatus.REGISTRATION_OPEN, title="Frankfurt 2014")
    person = make_person("jose@areva.example", organization=areva, given_name="José",
                         family_name="Müller (Jr.), III")
    record_participant(first, areva, person=person)
    record_participant(second, areva, person=person, status=RegistrationStatus.WAITLISTED)
    auth.login(Role.ORGANIZER)

    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert page.index("Frankfurt 2014") < page.index("Wiesbaden 2012")
    assert "On the waiting list" in page
    organization_page = client.get(f"/organizations/{areva.id}").get_data(as_text=True)
    assert "José Müller (Jr.), III" in organization_page

    response = client.post(f"/people/{person.id}/edit", data={
        "given_name": "José", "family_name": "Müller (Jr.), III", "email": "not-an-address",
        "organization_id": str(areva.id), "country": "FR"})
    assert response.status_code == 400
    assert 'id="email-error"' in response.get_data(as_text=True)
    response = client.post(f"/people/{person.id}/edit", data={
        "given_name": "José", "family_name": "Müller (Jr.), III", "email": "Jose@AREVA.example",
        "position": "Director", "organization_id": "", "country": "FR"})
    assert response.status_code == 302
    db.session.refresh(person)
    assert (person.email_key, person.position, person.organization_id) == (
        "jose@areva.example", "Director", None)


def test_merging_people_and_organizations_on_the_web(client, auth, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    keep_org = make_organization("Lufthansa Cargo AG")
    duplicate_org = make_organization("LH Cargo")
    keep = make_person("anna@example.org")
    duplicate = make_person("anna.schmidt@example.org")
    record_participant(event, duplicate_org, person=duplicate)
    auth.login(Role.ORGANIZER)

    unknown = client.post(f"/people/{keep.id}/merge", data={"duplicate_email": "nobody@example.org"})
    assert unknown.status_code == 400
    assert "No one in the directory has the address nobody@example.org." in unknown.get_data(as_text=True)
    assert client.post(f"/people/{keep.id}/merge",
                       data={"duplicate_email": "ANNA.SCHMIDT@example.org"}).status_code == 302
    assert client.post(f"/organizations/{keep_org.id}/merge",
                       data={"duplicate_id": str(duplicate_org.id)}).status_code == 302
    assert db.session.execute(select(Registration.person_id, Registration.organization_id)).all() == [
        (keep.id, keep_org.id)]
    assert db.session.scalar(select(func.count()).select_from(Person)) == 1


def test_web_import_previews_then_imports_everything_at_once(client, auth, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    auth.login(Role.ORGANIZER)
    data = (FIXTURES / "participants-utf16.csv").read_bytes()

    preview = client.post(f"/events/{event.slug}/import",
                          data={"file": (io.BytesIO(data), "participants.csv")},
                          content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Import 7 rows" in page and "Институт мировой экономики" in page
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0
    upload = page.split('name="upload" type="hidden" value="')[1].split('"')[0]

    confirmed = client.post(f"/events/{event.slug}/import/confirm", data={"upload": upload})
    assert confirmed.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Person)) == 7
    # The kept file is gone: confirming twice cannot import twice.
    again = client.post(f"/events/{event.slug}/import/confirm", data={"upload": upload})
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/events/{event.slug}/import")
    assert client.post(f"/events/{event.slug}/import/confirm",
                       data={"upload": "../../secret_key"}).status_code == 302


def test_web_import_with_bad_rows_lists_them_and_offers_no_confirmation(client, auth, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    auth.login(Role.ORGANIZER)
    response = client.post(f"/events/{event.slug}/import",
                           data={"file": (io.BytesIO((FIXTURES / "bad-rows.csv").read_bytes()), "bad.csv")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "8 errors: nothing will be imported" in page
    assert "Unknown country “Atlantis”" in page
    assert f"/events/{event.slug}/import/confirm" not in page
    refused = client.post(f"/events/{event.slug}/import",
                          data={"file": (io.BytesIO(b"x"), "list.pdf")}, content_type="multipart/form-data")
    assert refused.status_code == 400
    assert "Upload a .csv or .xlsx file." in refused.get_data(as_text=True)


def test_lists_tab_reorders_without_javascript(client, auth, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    areva = make_organization("AREVA", country="FR")
    merck = make_organization("Merck KGaA", country="DE")
    record_participant(event, areva)
    record_participant(event, merck)
    auth.login(Role.ORGANIZER)
    page = client.get(f"/events/{event.slug}/lists").get_data(as_text=True)
    assert page.index("AREVA (France)") < page.index("Merck KGaA (Germany)")

    moved = client.post(f"/events/{event.slug}/lists/order",
                        data={"organization_id": str(merck.id), "direction": "up"})
    assert moved.status_code == 302
    assert [p.entries for p in enclosure.build_enclosure(event)] == [
        ["Merck KGaA (Germany)", "AREVA (France)"]]
    assert client.post(f"/events/{event.slug}/lists/order",
                       data={"organization_id": "x", "direction": "sideways"}).status_code == 400
    client.post(f"/events/{event.slug}/lists/order/reset")
    assert [p.entries for p in enclosure.build_enclosure(event)] == [
        ["AREVA (France)", "Merck KGaA (Germany)"]]


@pytest.mark.parametrize("size", [2, 30])
def test_lists_enclosure_and_composition_pages_run_fixed_queries(client, auth, app_ctx, count_queries,
                                                                  size):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    for n in range(size):
        record_participant(event, make_organization(f"Company {n:03}", sectors=[Sector.FINANCE]))
    auth.login(Role.ORGANIZER)
    counts = []
    for url in ("lists", "participants/enclosure", "composition"):
        with count_queries() as statements:
            response = client.get(f"/events/{event.slug}/{url}")
        assert response.get_data(as_text=True).count("Company 0") >= size
        counts.append(len(statements))
    # Each page also looks up the series of its URL (rights per series); the lists page the rights too.
    assert counts == [10, 4, 5]


def test_enclosure_downloads(client, auth, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    record_participant(event, make_organization("Federal Foreign Office",
                                                kind=OrganizationKind.GOVERNMENT, country="DE"))
    auth.login(Role.RAPPORTEUR)
    text = client.get(f"/events/{event.slug}/participants/enclosure.txt")
    assert text.mimetype == "text/plain"
    assert text.get_data(as_text=True) == (
        "List of participants\n\nStates and Government authorities: Germany (Federal Foreign Office).\n")
    word = client.get(f"/events/{event.slug}/participants/enclosure.docx")
    assert word.headers["Content-Disposition"] == f'attachment; filename="participants-{event.slug}.docx"'
    assert [p.text for p in docx.Document(io.BytesIO(word.data)).paragraphs][-1] == (
        "States and Government authorities: Germany (Federal Foreign Office).")


def test_public_list_shows_what_the_organizer_published(client, auth, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    areva = make_organization("AREVA", country="FR")
    listed = make_person(given_name="Anne", family_name="Lauvergeon", consent_to_list=True)
    unlisted = make_person(given_name="Secret", family_name="Agent")
    record_participant(event, areva, person=listed)
    record_participant(event, areva, person=unlisted)
    url = f"/events/{event.slug}/participant-list"
    assert client.get(url).status_code == 404

    auth.login(Role.ORGANIZER)
    assert client.post(f"/events/{event.slug}/lists/publish",
                       data={"visibility": "organizations"}).status_code == 302
    auth.logout()
    page = client.get(url).get_data(as_text=True)
    assert "AREVA (France)" in page and "Lauvergeon" not in page

    setting = db.session.get(ParticipantListSetting, event.id)
    setting.visibility = ListVisibility.PERSONS
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Anne Lauvergeon" in page and "Secret Agent" not in page


def test_web_import_preview_shows_what_it_does_with_names_and_asks_about_duplicates(client, auth, app_ctx):
    department = make_organization("Department of State", kind=OrganizationKind.GOVERNMENT, country="US")
    make_organization("Organisation for the Prohibition of Chemical Weapons", acronym="OPCW",
                      kind=OrganizationKind.INTERNATIONAL, country="NL")
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    auth.login(Role.ORGANIZER)
    data = ("given_name,family_name,email,organization,organization_kind,country,state\n"
            "Sam,Lee,sl@state.example.gov,US State Department,government,USA,\n"
            "Ana,Rojas,ar@minrel.example.cl,Government of Chile,government,Chile,\n"
            "Jan,Kowal,jk@opcw.example.org,OPCW,international,,\n"
            "Eva,Braun,eb@bafa.example.de,Bundesamt für Wirtschaft und Ausfuhrkontrolle,international,,"
            "Deutschland\n"
            ).encode()
    preview = client.post(f"/events/{event.slug}/import", data={"file": (io.BytesIO(data), "list.csv")},
                          content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "is the State Chile taking part as such" in page
    assert "matched “Organisation for the Prohibition of Chemical Weapons” by acronym" in page
    assert "belongs to Germany: listed under Germany" in page
    assert "may be a duplicate of “Department of State”" in page
    assert f'name="question-1" value="{department.id}" checked' in page
    upload = page.split('name="upload" type="hidden" value="')[1].split('"')[0]

    confirmed = client.post(f"/events/{event.slug}/import/confirm",
                            data={"upload": upload, "question-1-key": "us state department",
                                  "question-1": str(department.id)})
    assert confirmed.status_code == 302
    assert db.session.get(Organization, department.id).alias_names == ["US State Department"]
    assert enclosure.enclosure_text(enclosure.build_enclosure(event)) == (
        "States and Government authorities: Chile, Germany (Bundesamt für Wirtschaft und Ausfuhrkontrolle), "
        "United States of America (Department of State).\n\n"
        "International and regional organizations: Organisation for the Prohibition of Chemical Weapons.")


def test_organization_form_keeps_other_names_and_size_and_search_finds_them(client, auth, app_ctx):
    organization = make_organization("Stimson Center", kind=OrganizationKind.THINK_TANK, country="US")
    auth.login(Role.ORGANIZER)
    response = client.post(f"/organizations/{organization.id}/edit", data={
        "name": "Stimson Center", "acronym": "", "kind": "think_tank", "country": "US", "state": "",
        "size": "", "aliases": "Henry L. Stimson Center\nThe Stimson Centre\n\nHenry L. Stimson Center"})
    assert response.status_code == 302
    db.session.refresh(organization)
    assert organization.alias_names == ["Henry L. Stimson Center"]  # "The Stimson Centre" is its own name
    page = client.get(f"/organizations/{organization.id}").get_data(as_text=True)
    assert "Henry L. Stimson Center" in page
    assert ">Stimson Center" in client.get("/organizations?q=henry").get_data(as_text=True)
    edit = client.get(f"/organizations/{organization.id}/edit").get_data(as_text=True)
    assert "Henry L. Stimson Center</textarea>" in edit

    company = make_organization("Small Parts GmbH", country="DE")
    client.post(f"/organizations/{company.id}/edit", data={
        "name": "Small Parts GmbH", "kind": "company", "country": "DE", "size": "sme", "aliases": ""})
    db.session.refresh(company)
    assert company.size.value == "sme"


def test_enclosure_one_entry_per_line(client, auth, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    record_participant(event, make_organization("Orano, S.A.", country="FR"))
    record_participant(event, make_organization("Verband der Chemischen Industrie, e.V.",
                                                kind=OrganizationKind.INDUSTRY_ASSOCIATION, country="DE"))
    record_participant(event, make_organization("Armenia", kind=OrganizationKind.GOVERNMENT, country=None))
    auth.login(Role.ORGANIZER)
    page = client.get(f"/events/{event.slug}/participants/enclosure?layout=lines").get_data(as_text=True)
    assert "<li><bdi>Orano, S.A. (France)</bdi></li>" in page
    assert "<li><bdi>Armenia</bdi></li>" in page
    assert 'participants/enclosure.txt?layout=lines' in page
    text = client.get(f"/events/{event.slug}/participants/enclosure.txt?layout=lines").get_data(as_text=True)
    assert text == ("List of participants\n\nStates and Government authorities\nArmenia\n\n"
                    "Companies and industry associations\nOrano, S.A. (France)\n"
                    "Verband der Chemischen Industrie, e.V. (Germany)\n")
    run_in = client.get(f"/events/{event.slug}/participants/enclosure.txt?layout=bogus").get_data(
        as_text=True)
    assert "Companies and industry associations: Orano, S.A. (France), Verband der Chemischen Industrie, " \
           "e.V. (Germany).\n" in run_in
    document = docx.Document(io.BytesIO(client.get(
        f"/events/{event.slug}/participants/enclosure.docx?layout=lines").data))
    texts = [p.text for p in document.paragraphs]
    start = texts.index("States and Government authorities")
    assert texts[start:start + 2] == ["States and Government authorities", "Armenia"]


def test_the_people_directory_pages_by_name_both_ways(client, auth, app_ctx):
    names = ["Silva", "silva", "Dupont", "de Vries", "Zhang", "Mensah", "Ólafsdóttir", "Silva"]
    people = [make_person(given_name="Ana", family_name=name) for name in names]
    filters = queries.DirectoryFilters()
    expected = [p.id for p in sorted(people, key=lambda p: (p.family_name.lower(), p.id))]

    pages, cursor = [], None
    while True:
        pages.append(queries.people_page(filters, cursor, per_page=3))
        if not pages[-1].has_next:
            break
        cursor = Cursor("after", pages[-1].last_id)
    back = queries.people_page(filters, Cursor("before", pages[-1].first_id), per_page=3)
    tampered = queries.people_page(filters, Cursor.from_args({"after": "x1"}), per_page=3)
    unknown = queries.people_page(filters, Cursor.from_args({"before": "987654321"}), per_page=3)
    auth.login(Role.ORGANIZER)
    listing = client.get(f"/people?after={pages[0].last_id}").get_data(as_text=True)

    assert [p.id for page in pages for p in page.items] == expected
    assert [p.id for p in back.items] == [p.id for p in pages[-2].items] and back.has_previous
    assert [p.id for p in tampered.items] == [p.id for p in unknown.items] == expected[:3]
    assert all(page.total == len(names) for page in pages)
    assert "8 people match" in listing and 'rel="prev"' in listing and "Dupont" not in listing
