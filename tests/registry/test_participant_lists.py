"""Real participant lists, typed the way their documents type them, give the UN enclosure.

Three lists of our own making, in three shapes:
- a registration-desk sheet of a regional 1540 conference for Latin America and the
  Caribbean: States as "Government of X" / "Delegation of X" / Spanish names, national
  bodies filed as international with their State, acronyms, aliases, British spellings;
- a list copied from the document of an OPCW industry workshop: "State, body" cells,
  German and French country names, legal forms with commas, company sizes;
- a French-language partner list of an African Union workshop: "Gouvernement du
  Sénégal", "Ministère des Affaires étrangères du Cameroun", an aliases column.
"""

import io
from pathlib import Path

import docx
from sqlalchemy import func, select

from eventmgr.extensions import db
from eventmgr.registry import enclosure, imports
from eventmgr.registry.composition import compute_composition
from eventmgr.registry.enums import EnclosureLayout, OrganizationKind, OrganizationSize
from eventmgr.registry.models import Organization
from eventmgr.reports.composition_text import composition_paragraph
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization

LISTS = Path(__file__).parent / "fixtures" / "lists"

LATIN_AMERICA = (
    "States and Government authorities: Argentina (Autoridad Regulatoria Nuclear), Brazil, Chile "
    "(Ministerio de Relaciones Exteriores), Colombia (Dirección de Impuestos y Aduanas Nacionales), "
    "Mexico, Trinidad and Tobago, United States of America (Export Control and Related Border "
    "Security Program).\n"
    "\n"
    "International and regional organizations: Organization of American States, Security Council "
    "Committee established pursuant to resolution 1540 (2004), United Nations Regional Centre for "
    "Peace, Disarmament and Development in Latin America and the Caribbean.\n"
    "\n"
    "Companies and industry associations: Asociación Nacional de Empresarios de Colombia "
    "(Colombia), Embraer S.A. (Brazil).\n"
    "\n"
    "Academia, think tanks and other entities: Stimson Center (United States of America), "
    "Universidad de Chile (Chile)."
)

OPCW_WORKSHOP = (
    "States and Government authorities: Germany (Federal Foreign Office, Federal Office for Economic "
    "Affairs and Export Control), Republic of Korea (National Authority for the Chemical Weapons "
    "Convention).\n"
    "\n"
    "International and regional organizations: Organisation for the Prohibition of Chemical Weapons.\n"
    "\n"
    "Companies and industry associations: Acme Chemicals Ltd. (United Kingdom), BASF SE (Germany), "
    "Chemie Handel Müller GmbH (Austria), Chemiepark Bitterfeld-Wolfen GmbH (Germany), European "
    "Chemical Industry Council (Belgium), Lonza AG (Switzerland), Orano, S.A. (France), Verband der "
    "Chemischen Industrie, e.V. (Germany), Zeta Analytics Inc.\n"
    "\n"
    "Academia, think tanks and other entities: Fraunhofer Institute for Chemical Technology "
    "(Germany), VERTIC (United Kingdom)."
)

AFRICAN_UNION = (
    "States and Government authorities: Cameroon (Ministère des Affaires étrangères), Côte d'Ivoire, "
    "Democratic Republic of the Congo, Kenya (National Counter Terrorism Centre), Morocco "
    "(Laboratoire National de Contrôle des Médicaments), Senegal, South Africa (South African "
    "Council for the Non-Proliferation of Weapons of Mass Destruction).\n"
    "\n"
    "International and regional organizations: Commission de l'Union africaine, Office for "
    "Disarmament Affairs of the United Nations Secretariat, United Nations Regional Centre for "
    "Peace and Disarmament in Africa.\n"
    "\n"
    "Companies and industry associations: Association des Industries Chimiques du Maroc (Morocco), "
    "Sasol Ltd (South Africa).\n"
    "\n"
    "Academia, think tanks and other entities: Institute for Security Studies (South Africa)."
)


def _import(name: str, **options):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    result = imports.import_participants(event, (LISTS / name).read_bytes(), name, **options)
    db.session.commit()
    return event, result


def _notes(result) -> list[tuple[int, str]]:
    return [(issue.row, issue.message) for issue in result.issues if issue.level == "note"]


def test_a_regional_1540_conference_list(app_ctx):
    event, result = _import("latin-america-1540.csv")
    assert result.errors == [] and result.applied
    assert enclosure.enclosure_text(enclosure.build_enclosure(event)) == LATIN_AMERICA
    notes = _notes(result)
    assert (2, "“Government of Chile” is the State Chile taking part as such: listed as Chile.") in notes
    assert (5, "“Autoridad Regulatoria Nuclear” belongs to Argentina: listed under Argentina and counted "
               "as a government authority (the file says international organization).") in notes
    assert (14, "“UNLIREC” matched “United Nations Regional Centre for Peace, Disarmament and Development "
                "in Latin America and the Caribbean” by acronym.") in notes
    assert (16, "“1540 Committee” matched “Security Council Committee established pursuant to resolution "
                "1540 (2004)” by alias.") in notes
    assert (21, "“The Stimson Centre” matched “Stimson Center”: the same name but for spelling, "
                "punctuation or legal form.") in notes
    # One entry per State, however it was typed; the State's own people add no name to it.
    states = db.session.scalars(select(Organization.name).where(Organization.kind == OrganizationKind.STATE)
                                .order_by(Organization.name)).all()
    assert states == ["Argentina", "Brazil", "Chile", "Mexico", "Trinidad and Tobago"]

    composition = compute_composition(event)
    assert composition.states == ["AR", "BR", "CL", "CO", "MX", "TT", "US"]
    assert (composition.government_authorities, composition.international_organizations,
            composition.companies_and_associations, composition.other_entities) == (4, 3, 2, 2)
    # The report's sentence (reports/composition_text.py) counts the States from these figures.
    paragraph = composition_paragraph(composition)
    assert "(of States such as Argentina, Chile and Mexico)" in paragraph
    assert "In all, seven States, " in paragraph


def test_an_opcw_industry_workshop_list(app_ctx):
    event, result = _import("opcw-industry-workshop.csv")
    assert result.errors == []
    assert enclosure.enclosure_text(enclosure.build_enclosure(event)) == OPCW_WORKSHOP
    notes = _notes(result)
    assert (2, "“Germany, Federal Foreign Office” is filed as “Federal Foreign Office” under "
               "Germany.") in notes
    assert (4, "“BAFA” matched “Federal Office for Economic Affairs and Export Control” by acronym.") in notes
    assert (6, "“Korea (Republic of)” is the State Republic of Korea taking part as such: listed as "
               "Republic of Korea.") in notes

    composition = compute_composition(event)
    assert composition.states == ["DE", "KR"]
    assert composition.companies_and_associations == 9
    assert composition.companies_by_size == {OrganizationSize.SME: 2, OrganizationSize.LARGE: 3, None: 2}
    assert (composition.smes, composition.large_enterprises) == (2, 3)
    # "Orano, S.A." keeps its comma; a list ending in "Inc." takes no second full stop.
    assert "Orano, S.A. (France)" in OPCW_WORKSHOP and "Zeta Analytics Inc.\n" in OPCW_WORKSHOP


def test_an_african_union_workshop_list_in_french(app_ctx):
    event, result = _import("african-union-workshop.csv")
    assert result.errors == []
    assert enclosure.enclosure_text(enclosure.build_enclosure(event)) == AFRICAN_UNION
    notes = _notes(result)
    assert (12, "“African Union Commission” matched “Commission de l'Union africaine” by alias.") in notes
    assert (5, "“Ministère des Affaires étrangères du Cameroun” is filed as “Ministère des Affaires "
               "étrangères” under Cameroon.") in notes
    assert len(compute_composition(event).states) == 7


def test_reimporting_a_list_changes_nothing(app_ctx):
    event, _ = _import("latin-america-1540.csv")
    count = db.session.scalar(select(func.count()).select_from(Organization))
    again = imports.import_participants(event, (LISTS / "latin-america-1540.csv").read_bytes(), "x.csv")
    db.session.commit()
    assert again.organizations_created == 0 and again.questions == []
    assert db.session.scalar(select(func.count()).select_from(Organization)) == count
    assert enclosure.enclosure_text(enclosure.build_enclosure(event)) == LATIN_AMERICA


def test_one_entry_per_line_in_text_markdown_and_docx(app_ctx):
    event, _ = _import("opcw-industry-workshop.csv")
    paragraphs = enclosure.build_enclosure(event)
    lines = enclosure.enclosure_text(paragraphs, EnclosureLayout.LINES).split("\n")
    assert lines[:4] == ["States and Government authorities",
                         "Germany (Federal Foreign Office, Federal Office for Economic Affairs and "
                         "Export Control)",
                         "Republic of Korea (National Authority for the Chemical Weapons Convention)", ""]
    assert "Orano, S.A. (France)" in lines and "Zeta Analytics Inc." in lines
    markdown = enclosure.enclosure_markdown(paragraphs, EnclosureLayout.LINES)
    assert "**Companies and industry associations**\n\n- Acme Chemicals Ltd. (United Kingdom)\n" in markdown
    document = docx.Document(io.BytesIO(enclosure.enclosure_docx(event, EnclosureLayout.LINES)))
    texts = [p.text for p in document.paragraphs]
    start = texts.index("States and Government authorities")  # after the label, title and event
    assert texts[start:start + 3] == ["States and Government authorities", lines[1], lines[2]]
    assert document.paragraphs[start].runs[0].bold is True
    assert len(texts) == start + sum(1 + len(p.entries) for p in paragraphs)


def test_unknown_country_names_are_errors_with_the_closest_names(app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    data = (b"given_name,family_name,email,organization,organization_kind,country,state\n"
            b"Aigerim,Nurlanova,an@mfa.example.kz,Ministry of Foreign Affairs,government,Kazakstan,\n"
            b"Ola,Nordmann,on@example.no,Norwegian Radiation Authority,government,,Norwey\n")
    result = imports.import_participants(event, data, "list.csv")
    assert [(i.row, i.column, i.message) for i in result.errors] == [
        (2, "country", "Unknown country “Kazakstan”. Did you mean “Kazakhstan” or “Pakistan”?"),
        (3, "state", "Unknown State “Norwey”. Did you mean “Norway”?"),
    ]
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 0


def test_a_possible_duplicate_is_asked_and_the_answer_makes_an_alias(app_ctx):
    department = make_organization("Department of State", kind=OrganizationKind.GOVERNMENT, country="US")
    data = (b"given_name,family_name,email,organization,organization_kind,country\n"
            b"Sam,Lee,sl@state.example.gov,US State Department,government,USA\n")
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    preview = imports.import_participants(event, data, "list.csv", dry_run=True)
    [question] = preview.questions
    assert (question.row, question.typed_name, question.candidates) == (
        2, "US State Department", ((department.id, "Department of State"),))
    assert [i.message for i in preview.warnings] == [
        f"“US State Department” may be a duplicate of “Department of State” (no. {department.id})."]
    db.session.rollback()

    imports.import_participants(event, data, "list.csv", same_as={question.key: department.id})
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 1
    assert db.session.get(Organization, department.id).alias_names == ["US State Department"]
    assert enclosure.enclosure_text(enclosure.build_enclosure(event)) == (
        "States and Government authorities: United States of America (Department of State).")

    # "A new organization" is an answer too: no question, a second entry.
    other = make_event(status=EventStatus.REGISTRATION_OPEN)
    data = data.replace(b"US State Department", b"Department of State Programs")
    result = imports.import_participants(other, data, "list.csv",
                                         same_as={"department of state programs": None})
    assert result.questions == [] and result.organizations_created == 1
