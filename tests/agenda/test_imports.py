"""Programme import: spreadsheets in every encoding and XLSX, schedule files (frab XML and JSON,
ours and pretalx's, Indico's JSON), people matched to the directory, all or nothing."""

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from eventmgr.agenda import imports, queries, service
from eventmgr.agenda.models import AgendaSession
from eventmgr.agenda.people import holder_text
from eventmgr.extensions import db
from eventmgr.registry.enums import NameOrder, OrganizationKind
from eventmgr.registry.models import Organization, Person
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, make_person

# The frab XSD and JSON Schema, kept beside the tests (see formats/README.md).
FORMATS = Path(__file__).parent / "formats"
HEADER = ["day", "start", "end", "kind", "title", "room", "chair", "speakers", "panelists", "rapporteur"]
# A programme as organizers type them: the dinner the evening before, a day given once for
# the rows below it, an item without a time, one without a day, a time range in one cell,
# functions, a State, an organization, a function alone, several people per cell, a family
# name in capitals, an email, accents.
ROWS = [
    ["19 November 2014", "19:00", "22:00", "reception", "Opening dinner", "Römer", "", "", "", ""],
    ["20 November 2014", "", "", "break", "Registration and coffee", "Foyer", "", "", "", ""],
    [
        "",
        "09:00–10:30",
        "",
        "opening",
        "Opening statements",
        "Plenary hall",
        "Dr. Arnold Wallraff, President, Federal Office for Economic Affairs and Export Control (BAFA)",
        "Republic of Korea; a representative of the host State; Ms. LI Hong, Ministry of Commerce, China",
        "",
        "",
    ],
    [
        "",
        "11:00",
        "12:30",
        "",
        "Panel on compliance in practice",
        "Plenary hall",
        "Chair of the TEM",
        "",
        "a representative of Toshiba; Wallraff; Jürgen Müller, Analytical Engines AG, Germany",
        "Grace Hopper <grace@example.org>",
    ],
    ["21 November 2014", "09:00", "10:00", "panel", "Brokering", "Room 2", "", "", "", ""],
    ["tbc", "", "", "plenary", "Closing remarks", "", "", "", "", ""],
]


def csv_bytes(rows, encoding="utf-8", delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([HEADER, *rows])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def directory(app_ctx):
    """The event and the directory the programme's people are looked for in."""
    event = make_event(status=EventStatus.PUBLISHED)  # 20 and 21 November 2014, Europe/Berlin
    engines = make_organization("Analytical Engines AG", country="DE")
    make_person(given_name="Jurgen", family_name="Muller", organization=engines, position="Director")
    make_organization("Toshiba", country="JP")
    return event


def imported(event, data, filename, **options):
    result = imports.import_programme(event, data, filename, None, **options)
    db.session.commit()
    return result


def programme(event) -> list[tuple]:
    zone = event.zone
    return [
        (
            s.day,
            s.starts_at.astimezone(zone).strftime("%H:%M") if s.starts_at else None,
            s.ends_at.astimezone(zone).strftime("%H:%M") if s.ends_at else None,
            s.kind.value,
            s.title,
            s.room.name if s.room else None,
            s.is_side_event,
            [(r.role.value, holder_text(r)) for r in s.roles],
        )
        for s in queries.all_sessions(event)
    ]


EXPECTED = [
    (dt.date(2014, 11, 19), "19:00", "22:00", "reception", "Opening dinner", "Römer", True, []),
    (dt.date(2014, 11, 20), None, None, "break", "Registration and coffee", "Foyer", False, []),
    (
        dt.date(2014, 11, 20),
        "09:00",
        "10:30",
        "opening",
        "Opening statements",
        "Plenary hall",
        False,
        [
            (
                "chair",
                "Dr. Arnold Wallraff, President, Federal Office for Economic Affairs and Export Control",
            ),
            ("speaker", "Republic of Korea"),
            ("speaker", "a representative of the host State"),
            ("speaker", "Ms. Li Hong, Ministry of Commerce (China)"),
        ],
    ),
    (
        dt.date(2014, 11, 20),
        "11:00",
        "12:30",
        "panel",
        "Panel on compliance in practice",
        "Plenary hall",
        False,
        [
            ("chair", "Chair of the TEM"),
            ("panelist", "a representative of Toshiba (Japan)"),
            (
                "panelist",
                "Dr. Arnold Wallraff, President, Federal Office for Economic Affairs and Export Control",
            ),
            ("panelist", "Jurgen Muller, Director, Analytical Engines AG (Germany)"),
            ("rapporteur", "Grace Hopper"),
        ],
    ),
    (dt.date(2014, 11, 21), "09:00", "10:00", "panel", "Brokering", "Room 2", False, []),
    (None, None, None, "plenary", "Closing remarks", None, False, []),
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
def test_a_csv_programme_in_every_encoding(directory, encoding):
    rows = ROWS if encoding != "cp1252" else [[cell.replace("–", "-") for cell in row] for row in ROWS]
    result = imported(directory, csv_bytes(rows, encoding), "programme.csv")
    assert (result.errors, result.applied) == ([], True)
    assert programme(directory) == EXPECTED
    assert (result.untimed, result.side_events, result.people_created, result.organizations_created) == (
        2,
        1,
        3,
        2,
    )


def test_an_xlsx_programme_with_date_and_time_cells(directory):
    rows = [list(row) for row in ROWS]
    rows[0][0], rows[0][1], rows[0][2] = dt.datetime(2014, 11, 19), dt.time(19), dt.time(22)
    rows[4][0] = dt.date(2014, 11, 21)
    result = imported(directory, xlsx_bytes(rows), "programme.xlsx")
    assert (result.errors, result.applied) == ([], True)
    assert programme(directory) == EXPECTED


def test_what_the_people_become(directory):
    imported(directory, csv_bytes(ROWS), "programme.csv")
    li = db.session.query(Person).filter_by(family_name="Li").one()
    wallraff = db.session.query(Person).filter_by(family_name="Wallraff").one()
    hopper = db.session.query(Person).filter_by(family_name="Hopper").one()
    assert (li.given_name, li.name_order, li.full_name, li.list_name) == (
        "Hong",
        NameOrder.FAMILY_GIVEN,
        "Li Hong",
        "Ms. LI Hong",
    )
    assert (li.email, li.email_key, li.country, li.organization.name) == (
        "",
        None,
        "CN",
        "Ministry of Commerce",
    )
    assert (wallraff.honorific, wallraff.position, wallraff.organization.acronym) == (
        "Dr.",
        "President",
        "BAFA",
    )
    assert wallraff.organization.kind is OrganizationKind.GOVERNMENT
    assert (hopper.email, hopper.email_key) == ("grace@example.org", "grace@example.org")
    assert db.session.query(Person).count() == 4  # Müller matched the directory's Muller


def test_the_preview_counts_without_writing(directory, count_queries):
    with count_queries() as statements:
        result = imports.import_programme(directory, csv_bytes(ROWS), "programme.csv", None, dry_run=True)
    db.session.commit()
    assert (result.applied, len(result.items), result.count("matched"), result.people_created) == (
        False,
        6,
        1,
        3,
    )
    assert (db.session.query(AgendaSession).count(), db.session.query(Person).count()) == (0, 1)
    assert len(statements) < 60


def test_errors_name_the_row_and_column_and_nothing_is_written(directory):
    rows = [list(row) for row in ROWS]
    rows[1][4] = ""  # no title
    rows[2][1] = "nine-ish"
    rows[3][3] = "cocktail party game"  # a kind word: a reception, fine
    rows[4][0] = "31 November 2014"
    rows.append(["30 November 2014", "09:00", "10:00", "panel", "Far too late", "", "", "", "", ""])
    rows.append(["21 November 2014", "10:00", "09:00", "panel", "Backwards", "", "", "", "", ""])
    rows.append(["", "", "", "blah", "Unknown kind", "", "", "", "", "Ada <ada@example..org>"])
    result = imported(directory, csv_bytes(rows), "programme.csv")
    assert sorted((issue.row, issue.column) for issue in result.errors) == [
        (3, "title"),
        (4, "start"),
        (6, "day"),
        (8, "day"),
        (9, "end"),
        (10, "kind"),
        (10, "rapporteur"),
    ]
    messages = {(issue.row, issue.column): issue.message for issue in result.errors}
    assert messages[(8, "day")].startswith("30 November 2014 is outside the event")
    assert messages[(4, "start")] == "“nine-ish” is not a time: write it as 09:30, or 09:00–10:30."
    assert str(result.errors[0]) == "row 3, column title: Required: this cell is empty."
    assert result.applied is False
    assert (
        db.session.query(AgendaSession).count(),
        db.session.query(Person).count(),
        db.session.query(Organization).count(),
    ) == (0, 1, 2)


def test_a_value_longer_than_its_column_is_an_error_of_its_cell(directory):
    rows = [["20 November 2014", "09:00", "10:00", "panel", "Export controls " * 20, "Room " * 30,
             "", "Dr. Ada Moreau, " + "Head of a very long-named unit, " * 12 + "Orano", "", ""]]
    result = imported(directory, csv_bytes(rows), "programme.csv")
    assert sorted((issue.row, issue.column) for issue in result.errors) == [
        (2, "room"), (2, "speakers"), (2, "title")]
    assert {issue.message for issue in result.errors} == {
        "Field cannot be longer than 300 characters.", "Field cannot be longer than 120 characters."}
    assert result.applied is False and db.session.query(AgendaSession).count() == 0


def test_a_time_the_clocks_skip_is_an_error_of_its_cell(app_ctx):
    event = make_event(timezone="Europe/Berlin", start_date=dt.date(2025, 3, 29),
                       end_date=dt.date(2025, 3, 30))
    rows = [["30 March 2025", "02:30", "04:00", "panel", "Night panel", "", "", "", "", ""],
            ["30 March 2025", "09:00", "10:00", "panel", "Morning panel", "", "", "", "", ""]]
    result = imported(event, csv_bytes(rows), "programme.csv")
    assert [(issue.row, issue.column) for issue in result.errors] == [(2, "start")]
    assert "does not exist in Europe/Berlin" in result.errors[0].message
    assert result.applied is False and db.session.query(AgendaSession).count() == 0


def test_a_missing_title_column_and_an_empty_file(directory):
    assert [str(i) for i in imported(directory, b"day,start\n2014-11-20,09:00\n", "p.csv").errors] == [
        "row 1, column title: The file needs a title column."
    ]
    assert [str(i) for i in imported(directory, b"title\n", "p.csv").errors] == [
        "row 1: The file has a header but no rows."
    ]


def test_namesakes_are_a_choice_and_the_choice_is_kept(directory):
    engines = db.session.query(Organization).filter_by(name="Analytical Engines AG").one()
    other = make_person(given_name="Jürgen", family_name="Müller", organization=make_organization("Other AG"))
    rows = [["20 November 2014", "09:00", "10:00", "panel", "Panel", "", "Jürgen Müller", "", "", ""]]
    first = imported(directory, csv_bytes(rows), "p.csv")
    [entry] = first.entries
    assert (first.applied, entry.status, sorted(first.candidates)) == (
        False,
        "ambiguous",
        sorted(p.id for p in db.session.query(Person).filter(Person.family_name.in_(["Muller", "Müller"]))),
    )
    assert db.session.query(AgendaSession).count() == 0
    chosen = imported(directory, csv_bytes(rows), "p.csv", choices={entry.key: f"person:{other.id}"})
    assert chosen.applied is True
    assert [r.person for r in queries.all_sessions(directory)[0].roles] == [other]
    again = imported(directory, csv_bytes(rows), "p.csv", choices={entry.key: "new"})
    assert (again.applied, again.people_created) == (True, 1)
    assert engines.id  # the organization of the other namesake is untouched


def test_a_name_and_organization_pick_the_namesake_at_that_organization(directory):
    make_person(given_name="Jürgen", family_name="Müller", organization=make_organization("Other AG"))
    rows = [
        ["20 November 2014", "09:00", "10:00", "panel", "Panel", "", "", "Jürgen Müller, Other AG", "", ""]
    ]
    result = imported(directory, csv_bytes(rows), "p.csv")
    assert (result.applied, [e.status for e in result.entries]) == (True, ["matched"])


def test_importing_into_a_published_agenda_publishes_the_items_and_logs_once(directory):
    service.publish_agenda(directory, None)
    version = service.agenda_state(directory).version
    imported(directory, csv_bytes(ROWS), "programme.csv")
    assert all(s.is_published for s in queries.all_sessions(directory))
    assert service.agenda_state(directory).version == version + 1


def test_the_cli_imports_with_a_dry_run_and_choices(app, runner, directory, tmp_path):
    path = tmp_path / "programme.csv"
    path.write_bytes(csv_bytes(ROWS))
    dry = runner.invoke(args=["agenda", "import", directory.slug, str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would import 6 items (2 without a time, 1 side event): " in dry.output
    assert db.session.query(AgendaSession).count() == 0
    done = runner.invoke(args=["agenda", "import", directory.slug, str(path)])
    assert done.exit_code == 0, done.output
    assert db.session.query(AgendaSession).count() == 6

    other = make_person(given_name="Jurgen", family_name="Muller", organization=make_organization("Other AG"))
    path.write_bytes(
        csv_bytes([["20 November 2014", "", "", "panel", "Panel", "", "Jurgen Muller", "", "", ""]])
    )
    refused = runner.invoke(args=["agenda", "import", directory.slug, str(path)])
    assert refused.exit_code == 1
    assert "--choose r2.chair.1=PERSON_ID" in refused.output and "1 entry to choose" in refused.output
    chosen = runner.invoke(
        args=["agenda", "import", directory.slug, str(path), "--choose", f"r2.chair.1={other.id}"]
    )
    assert chosen.exit_code == 0, chosen.output
    bad = runner.invoke(
        args=["agenda", "import", directory.slug, str(path), "--choose", "r2.chair.1=somebody"]
    )
    assert bad.exit_code == 2


# ---------------------------------------------------------------- schedule files


def published(event):
    service.publish_agenda(event, None)
    db.session.commit()
    return event


def comparable(data: dict) -> list:
    """A schedule without what differs from event to event (ids, guids, slugs, links)."""
    return [
        (
            day["date"],
            {
                room: [
                    {k: v for k, v in talk.items() if k not in ("guid", "id", "slug", "url")}
                    for talk in talks
                ]
                for room, talks in day["rooms"].items()
            },
        )
        for day in data["schedule"]["conference"]["days"]
    ]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_round_trip_export_import_export(client, directory, fmt):
    """Our schedule of an event, imported into a new event, exports the same programme."""
    imported(directory, csv_bytes(ROWS), "programme.csv")
    published(directory)
    first = client.get(f"/events/{directory.slug}/schedule.{fmt}").data
    copy = make_event(directory.series, status=EventStatus.PUBLISHED)
    result = imported(copy, first, f"schedule.{fmt}")
    assert (result.errors, result.applied, result.people_created, result.organizations_created) == (
        [],
        True,
        0,
        0,
    )
    published(copy)
    second_json = client.get(f"/events/{copy.slug}/schedule.json").get_json()
    first_json = client.get(f"/events/{directory.slug}/schedule.json").get_json()
    assert comparable(second_json) == comparable(first_json)
    second = client.get(f"/events/{copy.slug}/schedule.{fmt}").data
    if fmt == "xml":
        etree.XMLSchema(etree.parse(f"{FORMATS}/schedule.xml.xsd")).assertValid(etree.fromstring(second))
    else:
        import jsonschema

        with open(f"{FORMATS}/schema.json") as handle:
            jsonschema.Draft6Validator(json.load(handle), format_checker=jsonschema.FormatChecker()).validate(
                json.loads(second)
            )


PRETALX_XML = """<?xml version='1.0' encoding='utf-8' ?>
<schedule>
    <generator name="pretalx" version="2026.1.0" />
    <version>0.9</version>
    <conference><acronym>democon</acronym><title>DemoCon</title><start>2014-11-20</start>
        <end>2014-11-21</end><days>2</days><timeslot_duration>00:05</timeslot_duration>
        <time_zone_name>Europe/Berlin</time_zone_name></conference>
    <day index='1' date='2014-11-20' start='2014-11-20T04:00:00+01:00' end='2014-11-21T03:59:00+01:00'>
        <room name='Saal 1' guid='6f1c1c5e-3f0b-5b8e-9a34-0c3c2f4a1b10'>
            <event guid='0b5f3a52-5e7e-5d5a-8d34-1f2e3c4d5e6f' id='42'>
                <date>2014-11-20T09:30:00+01:00</date><start>09:30</start><duration>00:45</duration>
                <room>Saal 1</room><title>Keynote: Open data in outreach</title><subtitle></subtitle>
                <track>Data</track><type>Keynote</type><language>en</language>
                <abstract>Why open data matters.</abstract><description>Longer text.</description>
                <persons><person id='7'>Jürgen Müller</person><person id='8'>Ada Lovelace</person></persons>
            </event>
        </room>
    </day>
</schedule>""".encode()


def test_a_pretalx_schedule_xml(directory):
    result = imported(directory, PRETALX_XML, "schedule.xml")
    assert (result.errors, result.applied) == ([], True)
    [session] = queries.all_sessions(directory)
    assert (session.kind.value, session.title, session.description, session.room.name) == (
        "keynote",
        "Keynote: Open data in outreach",
        "Why open data matters.",
        "Saal 1",
    )
    assert (session.starts_at, session.ends_at - session.starts_at) == (
        dt.datetime(2014, 11, 20, 8, 30, tzinfo=dt.UTC),
        dt.timedelta(minutes=45),
    )
    assert [(r.role.value, r.person.full_name) for r in session.roles] == [
        ("speaker", "Jurgen Muller"),
        ("speaker", "Ada Lovelace"),
    ]


def test_a_schedule_xml_with_entities_is_refused_not_expanded(directory):
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE schedule [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<schedule><day date='2014-11-20'><room name='A'><event id='1'><title>&x;</title>"
        b"<date>2014-11-20T09:00:00+01:00</date><duration>00:30</duration></event></room></day></schedule>"
    )
    result = imported(directory, hostile, "schedule.xml")
    assert (result.applied, [issue.column for issue in result.errors]) == (False, ["title"])
    assert db.session.query(AgendaSession).count() == 0


INDICO_EXPORT = {
    "count": 1,
    "_type": "HTTPAPIResult",
    "complete": True,
    "results": [
        {
            "_type": "Conference",
            "title": "Export Test",
            "timezone": "Europe/Berlin",
            "contributions": [
                {
                    "_type": "Contribution",
                    "title": "Welcome",
                    "startDate": {"date": "2014-11-20", "time": "09:00:00", "tz": "Europe/Berlin"},
                    "endDate": {"date": "2014-11-20", "time": "09:20:00", "tz": "Europe/Berlin"},
                    "room": "Main hall",
                    "description": "",
                    "type": None,
                    "speakers": [
                        {
                            "first_name": "Jürgen",
                            "last_name": "Müller",
                            "affiliation": "Analytical Engines AG",
                        }
                    ],
                },
                {
                    "_type": "Contribution",
                    "title": "Poster walk",
                    "startDate": None,
                    "endDate": None,
                    "room": None,
                    "description": "When the posters are up.",
                    "type": None,
                    "speakers": [],
                },
            ],
            "sessions": [
                {
                    "_type": "Session",
                    "title": "Brokering",
                    "room": "Room 2",
                    "startDate": {"date": "2014-11-21", "time": "14:00:00", "tz": "Europe/Berlin"},
                    "endDate": {"date": "2014-11-21", "time": "15:00:00", "tz": "Europe/Berlin"},
                    "sessionConveners": [{"first_name": "Grace", "last_name": "Hopper", "affiliation": ""}],
                    "contributions": [
                        {
                            "_type": "Contribution",
                            "title": "Brokering controls",
                            "startDate": {"date": "2014-11-21", "time": "14:00:00", "tz": "Europe/Berlin"},
                            "endDate": {"date": "2014-11-21", "time": "14:30:00", "tz": "Europe/Berlin"},
                            "room": "Room 2",
                            "speakers": [],
                        }
                    ],
                }
            ],
        }
    ],
}


def test_an_indico_export(directory):
    result = imported(directory, json.dumps(INDICO_EXPORT).encode(), "indico.json")
    assert (result.errors, result.applied) == ([], True)
    assert [
        (day, start, kind, title, room, people)
        for day, start, _, kind, title, room, _, people in programme(directory)
    ] == [
        (
            dt.date(2014, 11, 20),
            "09:00",
            "opening",
            "Welcome",
            "Main hall",
            [("speaker", "Jurgen Muller, Director, Analytical Engines AG (Germany)")],
        ),
        (dt.date(2014, 11, 21), "14:00", "panel", "Brokering", "Room 2", [("chair", "Grace Hopper")]),
        (dt.date(2014, 11, 21), "14:00", "plenary", "Brokering controls", "Room 2", []),
        (None, None, "plenary", "Poster walk", None, []),
    ]


def test_a_file_that_is_no_schedule(directory):
    with pytest.raises(imports.schedule_files.UnreadableSchedule):
        imports.import_programme(directory, b'{"hello": 1}', "x.json", None)
    with pytest.raises(imports.schedule_files.UnreadableSchedule):
        imports.import_programme(directory, b"<html/>", "x.xml", None)
