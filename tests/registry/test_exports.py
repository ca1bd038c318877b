"""CSV and XLSX of registrations: injection-safe, names unchanged, chosen columns."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from eventmgr.extensions import db
from eventmgr.registry import exports
from eventmgr.registry import registration as service
from eventmgr.registry.enums import OrganizationKind
from eventmgr.registry.registration_queries import RegistrationFilter, registrations_for_export
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, make_person

BERLIN = ZoneInfo("Europe/Berlin")
HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-2+3", "@SUM(A1:A2)",
           "\tTab", "\rReturn"]
NAMES = [
    ("Jean-Luc", "Dupont, Jr. (Paris)", "Ministère de l’Europe et des Affaires étrangères"),
    ("Søren", "Kierkegård", "Dansk Industri (DI)"),
    ("明", "王", "中国科学院"),
    ("Алексей", "Иванов", "Росатом, Госкорпорация"),
    ("سارة", "العلي", "جامعة الملك سعود"),
]


def _register_names(event, rows) -> None:
    for given, family, organization_name in rows:
        organization = make_organization(organization_name, kind=OrganizationKind.OTHER, country=None)
        service.register_participant(event, person=make_person(given_name=given, family_name=family,
                                                               organization=organization))
    db.session.commit()


def _export(event, keys):
    rows = registrations_for_export(event, RegistrationFilter(sort="registered"))
    return rows, exports.choose_columns(keys)


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _xlsx_rows(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_names_with_commas_parentheses_accents_and_other_scripts_are_unchanged(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    _register_names(event, NAMES)
    rows, columns = _export(event, ["given_name", "family_name", "organization"])

    expected = [["Given name", "Family name", "Organization"]] + [list(row) for row in NAMES]
    assert _csv_rows(exports.registrations_csv(rows, columns, BERLIN)) == expected
    assert _xlsx_rows(exports.registrations_xlsx(rows, columns, BERLIN)) == expected


def test_formula_cells_are_neutralised_in_csv_and_stay_text_in_xlsx(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    _register_names(event, [("Eve", value, f"Org {index}") for index, value in enumerate(HOSTILE)])
    rows, columns = _export(event, ["family_name"])

    csv_rows = _csv_rows(exports.registrations_csv(rows, columns, BERLIN))
    workbook = load_workbook(io.BytesIO(exports.registrations_xlsx(rows, columns, BERLIN)))
    cells = [row[0] for row in workbook.active.iter_rows(min_row=2)]

    # The person service collapses whitespace, so "\tTab" is stored as "Tab".
    stored = [r.family_name for r in rows]
    assert csv_rows[1:] == [[exports.neutralize(value)] for value in stored]
    assert [row[0] for row in csv_rows[1:5]] == ["'=HYPERLINK(\"http://evil.example\",\"x\")", "'+1+2",
                                                 "'-2+3", "'@SUM(A1:A2)"]
    assert [(cell.value, cell.data_type) for cell in cells] == [(value, "s") for value in stored]


def test_neutralize_covers_every_trigger():
    values = ["=1", "+1", "-1", "@x", "\tx", "\rx", "\nx", "ok", ""]
    assert [exports.neutralize(value) for value in values] == [
        "'=1", "'+1", "'-1", "'@x", "'\tx", "'\rx", "'\nx", "ok", ""]


def test_chosen_columns_keep_their_order_and_unknown_ones_fall_back_to_the_default(app_ctx):
    assert [c.key for c in exports.choose_columns(["email", "nonsense", "family_name", "email"])] == [
        "email", "family_name"]
    assert [c.key for c in exports.choose_columns(["nonsense"])] == list(exports.DEFAULT_COLUMNS)


def test_every_column_exports_values_and_local_times(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    ministry = make_organization("Federal Foreign Office", kind=OrganizationKind.GOVERNMENT, country="DE")
    registration = service.register_participant(
        event, person=make_person("ines@example.org", given_name="Inés", family_name="García",
                                  honorific="Dr.", position="Head of Division", organization=ministry),
        dietary_needs="Halal", access_needs="Ramp", visa_letter=True, consent_to_list=True)
    service.check_in(registration)
    db.session.commit()
    rows, columns = _export(event, [c.key for c in exports.COLUMNS])

    [header, values] = _csv_rows(exports.registrations_csv(rows, columns, BERLIN))

    local = registration.registered_at.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M")
    checked = registration.checked_in_at.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M")
    since = registration.status_changed_at.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M")
    assert dict(zip(header, values, strict=True)) == {
        "Honorific": "Dr.", "Given name": "Inés", "Family name": "García",
        "Name (UN list style)": "Dr. Inés GARCÍA", "Email": "ines@example.org",
        "Position": "Head of Division", "Organization": "Federal Foreign Office",
        "Kind": "Government authority", "Category": "States and Government authorities",
        "Country or State": "Germany", "Role": "Participant", "Status": "Confirmed",
        "Attendance": "Attended", "Dietary needs": "Halal", "Access needs": "Ramp",
        "Visa letter": "yes", "Consents to lists": "yes", "Registered (local time)": local,
        "Status since (local time)": since, "Checked in (local time)": checked,
    }


def test_the_default_xlsx_has_dates_as_dates_and_the_invitations_numbers_as_numbers(client, auth, app_ctx):
    import datetime as dt

    from eventmgr.auth.enums import Role
    from eventmgr.invitations import service as invitations
    from eventmgr.series.enums import EventStatus
    from tests.builders import make_event, make_organization, make_person, record_participant

    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    record_participant(event, make_organization("AREVA", country="FR"))
    organization = make_organization("Cefic")
    invitations.invite_organization(event, organization, seats=3,
                                    contact=make_person(organization=organization))
    db.session.commit()
    auth.login(Role.ORGANIZER)

    def sheet(url: str):
        return load_workbook(io.BytesIO(client.get(url).data)).active

    registrations = sheet(f"/events/{event.slug}/registrations.xlsx")
    invited = sheet(f"/events/{event.slug}/invitations.xlsx")

    headers = [cell.value for cell in registrations[1]]
    assert headers[-2:] == ["Registered (local time)", "Checked in (local time)"]
    assert isinstance(registrations.cell(2, len(headers) - 1).value, dt.datetime)
    row = {header.value: cell.value for header, cell in zip(invited[1], invited[2], strict=True)}
    assert (row["Seats"], row["Reminders"]) == (3, 0)
