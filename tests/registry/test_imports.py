"""Participant imports: encodings, every column rule, errors by row and column, all-or-nothing."""

import csv
import io
from pathlib import Path

import docx
import openpyxl
import pytest
from sqlalchemy import func, select

from eventmgr import tabular
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.registry import enclosure, imports
from eventmgr.registry.enums import (
    Attendance,
    OrganizationKind,
    ParticipantRole,
    RegistrationStatus,
    Sector,
)
from eventmgr.registry.models import Organization, Person, Registration
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization

FIXTURES = Path(__file__).parent / "fixtures"

LATIN_PEOPLE = [
    ("Dr.", "Anna", "Schmidt", "Anna.Schmidt@auswaertiges-amt.example", "Head of Division", None),
    ("", "José", "Müller-Lüdenscheidt", "jose.muller@areva.example", "Export control officer", "FR"),
    ("Mr.", "Patrick", "O'Brien (Jr.), III", "pob@cci.example", "Partner", "US"),
    ("", "Siti", "Abdullah", "siti@miti.example", "", None),
    ("", "Françoise", "Dœuf", "francoise@ifba.example", "", "CH"),
]
NON_LATIN_PEOPLE = [
    ("", "Иван", "Петров", "ivan.petrov@imemo.example", "Научный сотрудник", "RU"),
    ("", "민준", "김", "kim@kosti.example", "", "KR"),
]
# Anna's row names Germany as the country: a person's country is the one in the file.
LATIN_PEOPLE[0] = (*LATIN_PEOPLE[0][:5], "DE")

LATIN_REGISTRATIONS = [
    ("anna.schmidt@auswaertiges-amt.example", "Federal Foreign Office", "DE",
     ParticipantRole.CHAIR, RegistrationStatus.CONFIRMED, None),
    ("jose.muller@areva.example", "AREVA", None,
     ParticipantRole.SPEAKER, RegistrationStatus.CONFIRMED, Attendance.ATTENDED),
    ("pob@cci.example", "Compliance and Capacity International, LLC", None,
     ParticipantRole.PARTICIPANT, RegistrationStatus.CONFIRMED, None),
    ("siti@miti.example", "Ministry of International Trade and Industry", "MY",
     ParticipantRole.PARTICIPANT, RegistrationStatus.WAITLISTED, None),
    ("francoise@ifba.example",
     "Fédération Internationale des Associations de Transitaires et Assimilés", None,
     ParticipantRole.PANELIST, RegistrationStatus.PENDING, None),
]
NON_LATIN_REGISTRATIONS = [
    ("ivan.petrov@imemo.example", "Институт мировой экономики", None,
     ParticipantRole.PARTICIPANT, RegistrationStatus.CONFIRMED, None),
    ("kim@kosti.example", "Korea Strategic Trade Institute KOSTI", None,
     ParticipantRole.RAPPORTEUR, RegistrationStatus.CONFIRMED, None),
]

ALL_FILES = ["participants-utf8.csv", "participants-utf8-bom.csv", "participants-utf16.csv",
             "participants.xlsx"]


def run_import(event, filename, **options):
    return imports.import_participants(event, (FIXTURES / filename).read_bytes(), filename, **options)


def people_rows():
    return db.session.execute(select(Person.honorific, Person.given_name, Person.family_name,
                                     Person.email, Person.position, Person.country)
                              .order_by(Person.id)).all()


def registration_rows(event):
    return db.session.execute(
        select(Person.email_key, Organization.name, Registration.state, Registration.role,
               Registration.status, Registration.attendance)
        .join(Person, Person.id == Registration.person_id)
        .join(Organization, Organization.id == Registration.organization_id)
        .where(Registration.event_id == event.id).order_by(Person.id)).all()


@pytest.mark.parametrize("filename", ALL_FILES)
def test_each_encoding_and_format_imports_every_name_unchanged(app_ctx, filename):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    result = run_import(event, filename)
    db.session.commit()
    assert result.applied is True
    assert [str(i) for i in result.issues] == ["row 1, column notes: Unknown column, ignored."]
    assert (result.people_created, result.organizations_created, result.registrations_created) == (
        7, 7, 7)
    assert people_rows() == LATIN_PEOPLE + NON_LATIN_PEOPLE
    assert registration_rows(event) == LATIN_REGISTRATIONS + NON_LATIN_REGISTRATIONS


def test_windows_1252_file(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    result = run_import(event, "participants-cp1252.csv")
    db.session.commit()
    assert result.applied is True
    assert people_rows() == LATIN_PEOPLE
    assert registration_rows(event) == LATIN_REGISTRATIONS


def test_organizations_get_kind_country_state_and_sectors(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    run_import(event, "participants-utf8.csv")
    db.session.commit()
    organizations = {o.name: (o.kind, o.country, o.state, o.sectors)
                     for o in db.session.scalars(select(Organization))}
    assert organizations == {
        "Federal Foreign Office": (OrganizationKind.GOVERNMENT, "DE", "DE", []),
        "AREVA": (OrganizationKind.COMPANY, "FR", None, [Sector.NUCLEAR]),
        "Compliance and Capacity International, LLC": (
            OrganizationKind.COMPANY, "US", None, [Sector.FINANCE, Sector.BROKERING]),
        "Ministry of International Trade and Industry": (OrganizationKind.GOVERNMENT, None, "MY", []),
        "Fédération Internationale des Associations de Transitaires et Assimilés": (
            OrganizationKind.INDUSTRY_ASSOCIATION, "CH", None, [Sector.TRANSPORT_LOGISTICS]),
        "Институт мировой экономики": (
            OrganizationKind.ACADEMIA, "RU", None, [Sector.NUCLEAR, Sector.IT_TELECOM]),
        "Korea Strategic Trade Institute KOSTI": (OrganizationKind.THINK_TANK, "KR", None, []),
    }


def test_reimporting_updates_and_never_duplicates(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    run_import(event, "participants-utf8.csv")
    db.session.commit()
    for filename in ALL_FILES:
        result = run_import(event, filename)
        db.session.commit()
        assert (result.people_created, result.people_updated, result.organizations_created,
                result.registrations_created, result.registrations_updated) == (0, 7, 0, 0, 7)
    assert db.session.scalar(select(func.count()).select_from(Person)) == 7
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 7
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 7


def test_a_narrower_reimport_keeps_the_fields_of_columns_it_lacks(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    run_import(event, "participants-utf8.csv")
    data = (b"email,given_name,family_name,organization,organization_kind,status\n"
            b"ANNA.SCHMIDT@auswaertiges-amt.example,Anna,Schmidt-Weber,Federal Foreign Office,"
            b"government,cancelled\n")
    result = imports.import_participants(event, data, "update.csv")
    db.session.commit()
    assert result.applied is True
    anna = db.session.scalar(select(Person).where(Person.given_name == "Anna"))
    assert (anna.family_name, anna.position, anna.honorific, anna.country) == (
        "Schmidt-Weber", "Head of Division", "Dr.", "DE")
    assert registration_rows(event)[0] == (
        "anna.schmidt@auswaertiges-amt.example", "Federal Foreign Office", "DE",
        ParticipantRole.CHAIR, RegistrationStatus.CANCELLED, None)


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    result = run_import(event, "bad-rows.csv")
    assert result.applied is False
    assert [(i.row, i.column, i.level) for i in result.issues] == [
        (2, "family_name", "error"),
        (3, "email", "error"),
        (4, "organization_kind", "error"),
        (5, "country", "error"),
        (6, "sectors", "error"),
        (6, "role", "error"),
        (6, "status", "error"),
        (7, "email", "error"),
    ]
    assert [i.message for i in result.issues if i.row in (2, 4, 5, 7)] == [
        "Required: this cell is empty.",
        "Unknown kind “multinational”: use one of state, government, international, regional, company, "
        "industry_association, academia, think_tank, ngo, other.",
        "Unknown country “Atlantis”. Use an ISO code (DE) or a country name.",
        "EVE@example.org is already on row 6.",
    ]
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 0


def test_missing_required_columns_are_named(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    result = imports.import_participants(event, b"Email;Given name\nx@example.org;X\n", "short.csv")
    assert [str(i) for i in result.issues] == [
        "row 1, column family_name: This required column is missing.",
        "row 1, column organization: This required column is missing.",
        "row 1, column organization_kind: This required column is missing.",
    ]


def test_a_dry_run_counts_but_writes_nothing(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    result = run_import(event, "participants.xlsx", dry_run=True)
    db.session.commit()
    assert (result.applied, result.people_created, result.registrations_created) == (False, 7, 7)
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 0


def test_organizations_are_matched_by_acronym(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    opcw = make_organization("Organisation for the Prohibition of Chemical Weapons", acronym="OPCW",
                             kind=OrganizationKind.INTERNATIONAL, country="NL")
    data = ("given_name,family_name,email,organization,organization_kind\n"
            "Ahmet,Üzümcü,dg@opcw.example,OPCW,international\n"
            "Lee,Park,park@opcw.example,ORGANISATION FOR THE PROHIBITION OF CHEMICAL WEAPONS,other\n"
            ).encode()
    result = imports.import_participants(event, data, "opcw.csv")
    db.session.commit()
    assert result.organizations_created == 0
    assert [str(i) for i in result.warnings] == [
        "row 3, column organization_kind: “Organisation for the Prohibition of Chemical Weapons” is "
        "in the directory as “International organization”; kept as such."]
    assert set(db.session.scalars(select(Registration.organization_id))) == {opcw.id}


def test_capacity_overrun_is_a_warning(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN, capacity=2)
    result = run_import(event, "participants-utf8.csv")
    assert result.applied is True
    assert str(result.warnings[-1]) == (
        "row 1, column status: The event will have 5 confirmed registrations for 2 seats.")


def test_person_columns_alone_for_invitation_lists(app_ctx):
    table = tabular.read_table((FIXTURES / "participants-utf16.csv").read_bytes(), "list.csv")
    validation = imports.validate_people(table, with_registration=False)
    assert [str(i) for i in validation.issues] == [
        "row 1, column role: Unknown column, ignored.",
        "row 1, column status: Unknown column, ignored.",
        "row 1, column notes: Unknown column, ignored.",
    ]
    assert [(r.row, r.person["email"], r.organization["name"]) for r in validation.rows][:2] == [
        (2, "Anna.Schmidt@auswaertiges-amt.example", "Federal Foreign Office"),
        (3, "jose.muller@areva.example", "AREVA"),
    ]


def test_other_files_are_refused(app_ctx):
    with pytest.raises(tabular.UnreadableFile) as error:
        tabular.read_table(b"%PDF-1.4", "list.pdf")
    assert error.value.message == "Only .csv and .xlsx files can be imported."
    with pytest.raises(tabular.UnreadableFile):
        tabular.read_table(b"not a zip", "list.xlsx")


def test_imported_names_survive_every_enclosure_format(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    run_import(event, "participants-utf16.csv")
    db.session.commit()
    paragraphs = enclosure.build_enclosure(event)
    expected = [
        "States and Government authorities: Germany (Federal Foreign Office).",
        "Companies and industry associations: AREVA (France), Compliance and Capacity "
        "International, LLC (United States of America).",
        "Academia, think tanks and other entities: Korea Strategic Trade Institute KOSTI "
        "(Republic of Korea), Институт мировой экономики (Russian Federation).",
    ]
    assert enclosure.enclosure_text(paragraphs).split("\n\n") == expected
    document = docx.Document(io.BytesIO(enclosure.enclosure_docx(event)))
    assert [p.text for p in document.paragraphs][-len(expected):] == expected
    assert enclosure.enclosure_markdown(paragraphs).split("\n\n")[2] == (
        "**Academia, think tanks and other entities:** Korea Strategic Trade Institute KOSTI "
        "(Republic of Korea), Институт мировой экономики (Russian Federation).")


def test_command_line_import_dry_run_then_real(app_ctx, runner):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    path = str(FIXTURES / "participants-utf8.csv")
    dry = runner.invoke(args=["participants", "import", event.slug, path, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would import 7 rows: 7 new people, 0 updated; 7 new organizations; 7 new registrations, " \
           "0 updated." in dry.output
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0
    real = runner.invoke(args=["participants", "import", event.slug, path])
    assert real.exit_code == 0, real.output
    assert db.session.scalar(select(func.count()).select_from(Person)) == 7
    bad = runner.invoke(args=["participants", "import", event.slug, str(FIXTURES / "bad-rows.csv")])
    assert bad.exit_code == 1
    assert "error: row 2, column family_name: Required: this cell is empty." in bad.output
    assert "8 error(s): nothing was imported." in bad.output


def test_command_line_enclosure(app_ctx, runner, tmp_path):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    runner.invoke(args=["participants", "import", event.slug, str(FIXTURES / "participants.xlsx")])
    text = runner.invoke(args=["participants", "enclosure", event.slug])
    assert text.output == (
        "List of participants\n\n"
        "States and Government authorities: Germany (Federal Foreign Office).\n\n"
        "Companies and industry associations: AREVA (France), Compliance and Capacity International, "
        "LLC (United States of America).\n\n"
        "Academia, think tanks and other entities: Korea Strategic Trade Institute KOSTI (Republic of "
        "Korea), Институт мировой экономики (Russian Federation).\n")
    markdown = runner.invoke(args=["participants", "enclosure", event.slug, "--format", "md"])
    assert markdown.output.startswith("# List of participants\n\n**States and Government authorities:**")
    target = tmp_path / "enclosure.docx"
    written = runner.invoke(args=["participants", "enclosure", event.slug, "--format", "docx",
                                  "-o", str(target)])
    assert written.exit_code == 0
    assert [p.text for p in docx.Document(str(target)).paragraphs][1] == "List of participants"


def test_imported_names_survive_the_csv_and_xlsx_exports(client, auth, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    run_import(event, "participants-utf16.csv")
    db.session.commit()
    expected = sorted((given, family, email) for _, given, family, email, _, _ in
                      LATIN_PEOPLE + NON_LATIN_PEOPLE)
    columns = "column=given_name&column=family_name&column=email&column=organization"
    auth.login(Role.ORGANIZER)

    csv_text = client.get(f"/events/{event.slug}/registrations.csv?{columns}").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text)))[1:]
    assert sorted((given, family, email) for given, family, email, _ in rows) == expected
    assert sorted(organization for *_, organization in rows) == sorted(
        name for _, name, *_ in LATIN_REGISTRATIONS + NON_LATIN_REGISTRATIONS)

    workbook = openpyxl.load_workbook(io.BytesIO(
        client.get(f"/events/{event.slug}/registrations.xlsx?{columns}").data))
    cells = [row for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert sorted((given, family, email) for given, family, email, _ in cells) == expected


def test_directory_rows_alone_create_people_and_organizations_without_registrations(app_ctx):
    table = tabular.read_table((FIXTURES / "participants-cp1252.csv").read_bytes(), "list.csv")
    validation = imports.validate_people(table, with_registration=False)
    result = imports.ImportResult(validation=validation)
    applied = imports.apply_directory(validation.rows, result)
    db.session.commit()
    assert [(person.family_name, organization.name) for person, organization in applied][:2] == [
        ("Schmidt", "Federal Foreign Office"), ("Müller-Lüdenscheidt", "AREVA")]
    assert (result.people_created, result.organizations_created) == (5, 5)
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_command_line_names_an_unknown_event_or_file_type(app_ctx, runner, tmp_path):
    unknown = runner.invoke(args=["participants", "enclosure", "no-such-event"])
    assert (unknown.exit_code, unknown.output) == (1, "Error: No event “no-such-event”.\n")
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    pdf = tmp_path / "list.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    refused = runner.invoke(args=["participants", "import", event.slug, str(pdf)])
    assert (refused.exit_code, refused.output) == (1, "Error: Only .csv and .xlsx files can be imported.\n")


def test_a_known_person_who_agreed_to_be_listed_is_listed_at_the_new_event(app_ctx):
    earlier, event = make_event(), make_event(status=EventStatus.REGISTRATION_OPEN)
    run_import(earlier, "participants-utf8.csv")
    anna = "anna.schmidt@auswaertiges-amt.example"
    db.session.scalar(select(Person).where(Person.email_key == anna)).consent_to_list = True
    db.session.commit()

    result = run_import(event, "participants-utf8.csv")
    db.session.commit()

    listed = db.session.scalars(select(Person.email_key).join(Registration).where(
        Registration.event_id == event.id, Registration.consent_to_list.is_(True))).all()
    assert (result.people_created, result.registrations_created) == (0, 7)
    assert listed == [anna]
    registered_at = db.session.scalars(select(Registration.registered_at).where(
        Registration.event_id == event.id)).all()
    assert all(registered_at)
