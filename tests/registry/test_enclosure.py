"""The UN-style enclosure: grouping, order, counting rule and its three formats."""

import io

import docx

from eventmgr.extensions import db
from eventmgr.registry import enclosure
from eventmgr.registry.enums import Attendance, ListCategory, OrganizationKind, RegistrationStatus
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, record_participant
from tests.documents.readback import assert_un_document

GOV, INTL, COMPANY, ACADEMIA = (OrganizationKind.GOVERNMENT, OrganizationKind.INTERNATIONAL,
                                OrganizationKind.COMPANY, OrganizationKind.ACADEMIA)

EXPECTED_TEXT = (
    "States and Government authorities: Germany (Federal Foreign Office, Federal Ministry for "
    "Economic Affairs and Energy), Italy (Ministry of Economic Development), Malaysia (Ministry of "
    "International Trade and Industry), United States of America (Department of State).\n"
    "\n"
    "International and regional organizations: Office for Disarmament Affairs of the United "
    "Nations Secretariat, the Committee established pursuant to resolution 1540 (2004), and Group "
    "of Experts, Organization for the Prohibition of Chemical Weapons.\n"
    "\n"
    "Companies and industry associations: African Biological Safety Association, AREVA (France), "
    "Compliance and Capacity International, LLC (United States of America), Ericsson AB (Sweden), "
    "Fédération Internationale des Associations de Transitaires et Assimilés (Switzerland).\n"
    "\n"
    "Academia, think tanks and other entities: Korea Strategic Trade Institute KOSTI (Republic of "
    "Korea), Stimson Center (United States of America), Институт мировой экономики (Russian "
    "Federation)."
)


def build_fixture(status=EventStatus.REGISTRATION_OPEN):
    event = make_event(status=status)
    counted = [
        ("Federal Ministry for Economic Affairs and Energy", GOV, "DE", {}),
        ("Federal Foreign Office", GOV, "DE", {}),
        ("Ministry of Economic Development", GOV, "IT", {}),
        ("Department of State", GOV, "US", {}),
        # No country in the directory: the State comes from the registration.
        ("Ministry of International Trade and Industry", GOV, None, {"state": "MY"}),
        ("Organization for the Prohibition of Chemical Weapons", INTL, "NL", {}),
        ("Office for Disarmament Affairs of the United Nations Secretariat, the Committee "
         "established pursuant to resolution 1540 (2004), and Group of Experts", INTL, "US", {}),
        ("Fédération Internationale des Associations de Transitaires et Assimilés", COMPANY, "CH", {}),
        ("Ericsson AB", COMPANY, "SE", {}),
        ("AREVA", COMPANY, "FR", {}),
        ("Compliance and Capacity International, LLC", COMPANY, "US", {}),
        ("African Biological Safety Association", OrganizationKind.INDUSTRY_ASSOCIATION, None, {}),
        ("Stimson Center", OrganizationKind.THINK_TANK, "US", {}),
        ("Институт мировой экономики", ACADEMIA, "RU", {}),
        ("Korea Strategic Trade Institute KOSTI", ACADEMIA, "KR", {}),
    ]
    organizations = {}
    for name, kind, country, fields in counted:
        organizations[name] = make_organization(name, kind=kind, country=country)
        record_participant(event, organizations[name], **fields)
    # A second person of one organization: listed once.
    record_participant(event, organizations["AREVA"])
    for status_ in (RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED,
                    RegistrationStatus.CANCELLED):
        record_participant(event, make_organization(f"Not counted {status_.value}"), status=status_)
    return event, organizations


def test_enclosure_of_a_small_fixture_equals_the_expected_text(app_ctx):
    event, _ = build_fixture()
    paragraphs = enclosure.build_enclosure(event)
    assert [p.category for p in paragraphs] == list(ListCategory)
    assert enclosure.enclosure_text(paragraphs) == EXPECTED_TEXT


def test_empty_categories_are_left_out(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    record_participant(event, make_organization("Merck KGaA", country="DE"))
    paragraphs = enclosure.build_enclosure(event)
    assert enclosure.enclosure_text(paragraphs) == (
        "Companies and industry associations: Merck KGaA (Germany).")


def test_a_name_ending_in_a_full_stop_takes_no_second_one(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    record_participant(event, make_organization("Acme Inc.", country=None))
    assert enclosure.enclosure_text(enclosure.build_enclosure(event)) == (
        "Companies and industry associations: Acme Inc.")


def test_once_held_no_shows_drop_out_and_attended_walk_ins_count(app_ctx):
    event = make_event(status=EventStatus.HELD)
    record_participant(event, make_organization("Came GmbH", country="DE"),
                       attendance=Attendance.ATTENDED)
    record_participant(event, make_organization("Not checked in AG", country="DE"))
    record_participant(event, make_organization("Stayed away GmbH", country="DE"),
                       attendance=Attendance.NO_SHOW)
    record_participant(event, make_organization("Walk-in SA", country="FR"),
                       status=RegistrationStatus.PENDING, attendance=Attendance.ATTENDED)
    record_participant(event, make_organization("Cancelled Ltd", country="GB"),
                       status=RegistrationStatus.CANCELLED)
    assert enclosure.enclosure_text(enclosure.build_enclosure(event)) == (
        "Companies and industry associations: Came GmbH (Germany), Not checked in AG (Germany), "
        "Walk-in SA (France).")


def test_organizer_order_overrides_alphabetical_and_reset_restores_it(app_ctx):
    event, organizations = build_fixture()
    enclosure.move_organization(event, organizations["Stimson Center"].id, -1)
    enclosure.move_organization(event, organizations["Federal Foreign Office"].id, +1)
    # Moving the first of a group further up changes nothing.
    enclosure.move_organization(event, organizations["AREVA"].id, -1)
    enclosure.move_organization(event, organizations["African Biological Safety Association"].id, -1)
    db.session.commit()
    paragraphs = {p.category: p.entries for p in enclosure.build_enclosure(event)}
    assert paragraphs[ListCategory.OTHERS] == [
        "Stimson Center (United States of America)",
        "Korea Strategic Trade Institute KOSTI (Republic of Korea)",
        "Институт мировой экономики (Russian Federation)",
    ]
    assert paragraphs[ListCategory.STATES][0] == (
        "Germany (Federal Ministry for Economic Affairs and Energy, Federal Foreign Office)")
    assert paragraphs[ListCategory.INDUSTRY][:2] == [
        "African Biological Safety Association", "AREVA (France)"]

    # An organization registered after the reordering goes after the placed ones.
    record_participant(event, make_organization("Aaron Academy", kind=ACADEMIA, country=None))
    entries = {p.category: p.entries for p in enclosure.build_enclosure(event)}[ListCategory.OTHERS]
    assert entries[-1] == "Aaron Academy"

    enclosure.reset_order(event)
    db.session.commit()
    entries = {p.category: p.entries for p in enclosure.build_enclosure(event)}[ListCategory.OTHERS]
    assert entries[:2] == ["Aaron Academy", "Korea Strategic Trade Institute KOSTI (Republic of Korea)"]


def test_markdown_escapes_names_without_changing_them(app_ctx):
    paragraphs = [enclosure.EnclosureParagraph(ListCategory.INDUSTRY, ListCategory.INDUSTRY.heading,
                                               ["*Star* [Labs] (France)", "Under_score Ltd"])]
    assert enclosure.enclosure_markdown(paragraphs) == (
        "**Companies and industry associations:** \\*Star\\* \\[Labs\\] (France), Under\\_score Ltd.")


def test_docx_holds_the_same_paragraphs_as_the_text(app_ctx):
    event, _ = build_fixture()
    document = docx.Document(io.BytesIO(enclosure.enclosure_docx(event)))
    texts = [p.text for p in document.paragraphs]
    assert texts == ["Enclosure", "List of participants",
                     f"{event.title}\n20 and 21 November 2014, Frankfurt am Main, Germany",
                     *EXPECTED_TEXT.split("\n\n")]
    assert [p.style.name for p in document.paragraphs[:3]] == ["Label", "Title", "Subtitle"]
    assert document.paragraphs[3].runs[0].text == "States and Government authorities:"
    assert document.paragraphs[3].runs[0].bold is True
    assert_un_document(document)


def test_enclosure_runs_a_fixed_number_of_queries(app_ctx, count_queries):
    event, _ = build_fixture()
    counts = []
    for _ in range(2):
        db.session.refresh(event)
        with count_queries() as statements:
            enclosure.build_enclosure(event)
        counts.append(len(statements))
        for _ in range(5):
            record_participant(event, make_organization(kind=ACADEMIA))
    assert counts == [2, 2]
