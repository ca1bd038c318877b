"""UN country names: the table of States, every spelling people type, and what is not a State."""

import re

import pycountry
import pytest

from eventmgr.countries import (
    country_choices,
    country_name,
    is_un_state,
    parse_country,
    state_participant,
    suggest_countries,
    un_short_name,
    un_states,
    unknown_country_message,
)

# The 193 UN member States, by ISO alpha-2 code (UN "Member States" page, 2011 onwards: South Sudan last).
MEMBER_CODES = set(re.findall(r"[A-Z]{2}", """
AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV KH CM CA CF TD
CL CN CO KM CG CR CI HR CU CY CZ KP CD DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ FI FR GA GM GE DE GH GR
GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI KW KG LA LV LB LS LR LY LI LT LU MG
MW MY MV ML MT MH MR MU MX FM MC MN ME MA MZ MM NA NR NP NL NZ NI NE NG MK NO OM PK PW PA PG PY PE PH
PL PT QA KR MD RO RU RW KN LC VC WS SM ST SA SN RS SC SL SG SK SI SB SO ZA SS ES LK SD SR SE CH SY TJ
TH TL TG TO TT TN TR TM TV UG UA AE GB TZ US UY UZ VU VE VN YE ZM ZW
"""))


def test_every_un_member_and_observer_state_is_in_the_table():
    assert len(MEMBER_CODES) == 193
    states = un_states()
    assert {code for code, state in states.items() if not state.observer} == MEMBER_CODES
    assert {code for code, state in states.items() if state.observer} == {"VA", "PS"}
    for code in states:
        assert pycountry.countries.get(alpha_2=code) is not None, code


@pytest.mark.parametrize(("code", "name"), [
    ("IR", "Iran (Islamic Republic of)"), ("KR", "Republic of Korea"), ("VN", "Viet Nam"),
    ("TR", "Türkiye"), ("CD", "Democratic Republic of the Congo"), ("PS", "State of Palestine"),
    ("VA", "Holy See"), ("BO", "Bolivia (Plurinational State of)"), ("CZ", "Czechia"),
    ("MK", "North Macedonia"), ("SZ", "Eswatini"), ("CV", "Cabo Verde"), ("CI", "Côte d'Ivoire"),
    ("KP", "Democratic People's Republic of Korea"), ("LA", "Lao People's Democratic Republic"),
    ("MD", "Republic of Moldova"), ("NL", "Netherlands (Kingdom of the)"), ("US", "United States of America"),
])
def test_names_are_the_un_terminology_short_names(code, name):
    assert country_name(code) == name == un_short_name(code)


def test_the_united_kingdom_is_short_in_lists_and_long_in_unterm():
    assert country_name("GB") == "United Kingdom"
    assert un_short_name("GB") == "United Kingdom of Great Britain and Northern Ireland"


# What people type, in English, French, German and Spanish, and the UN name it means.
SPELLINGS = [
    # United States of America
    ("USA", "US"), ("US", "US"), ("U.S.A.", "US"), ("United States", "US"), ("Etats-Unis", "US"),
    ("États-Unis d’Amérique", "US"), ("Vereinigte Staaten", "US"), ("EE. UU.", "US"),
    ("Estados Unidos", "US"),
    # United Kingdom
    ("UK", "GB"), ("Great Britain", "GB"), ("Großbritannien", "GB"), ("Royaume-Uni", "GB"),
    ("Reino Unido", "GB"), ("Vereinigtes Königreich", "GB"),
    # Republic of Korea
    ("South Korea", "KR"), ("Korea (Republic of)", "KR"), ("Korea, Republic of", "KR"),
    ("the Republic of Korea", "KR"), ("Südkorea", "KR"), ("Suedkorea", "KR"),
    ("République de Corée", "KR"), ("Corea del Sur", "KR"),
    # Viet Nam, Iran, Russia, Türkiye
    ("Vietnam", "VN"), ("Viêt Nam", "VN"), ("Iran", "IR"), ("Islamic Republic of Iran", "IR"),
    ("Iran, Islamische Republik", "IR"), ("Russia", "RU"), ("Russland", "RU"),
    ("Fédération de Russie", "RU"), ("Turkey", "TR"), ("Türkei", "TR"), ("Tuerkei", "TR"),
    ("Turquie", "TR"), ("Turquía", "TR"), ("TÜRKIYE", "TR"),
    # Democratic Republic of the Congo and Congo
    ("Democratic Republic of Congo", "CD"), ("DR Congo", "CD"), ("République démocratique du Congo", "CD"),
    ("Congo-Brazzaville", "CG"),
    # Germany, Netherlands, and others people write in their own language
    ("Deutschland", "DE"), ("Allemagne", "DE"), ("Alemania", "DE"), ("DEU", "DE"),
    ("the Netherlands", "NL"), ("Holland", "NL"), ("Pays-Bas", "NL"), ("Niederlande", "NL"),
    ("Czech Republic", "CZ"), ("Tschechien", "CZ"), ("Swaziland", "SZ"), ("Cape Verde", "CV"),
    ("Ivory Coast", "CI"), ("Elfenbeinküste", "CI"), ("Burma", "MM"), ("Macedonia", "MK"),
    ("Syria", "SY"), ("Laos", "LA"), ("Bolivia", "BO"), ("Venezuela", "VE"), ("Tanzania", "TZ"),
    ("Moldova", "MD"), ("North Korea", "KP"), ("Palestine", "PS"), ("Vatican", "VA"),
    ("Saint-Siège", "VA"), ("the Maldives", "MV"), ("The Gambia", "GM"), ("El Salvador", "SV"),
    ("Le Canada", "CA"), ("méxico", "MX"), ("  chile  ", "CL"),
]


def test_at_least_forty_spellings_are_covered():
    assert len(SPELLINGS) >= 40
    assert len({code for _, code in SPELLINGS}) >= 30


@pytest.mark.parametrize(("typed", "code"), SPELLINGS)
def test_any_spelling_gives_the_code_and_prints_the_un_name(typed, code):
    assert parse_country(typed) == code
    assert country_name(parse_country(typed)) == country_name(code)


def test_unknown_names_get_the_closest_ones_offered():
    assert parse_country("Germny") is None
    assert suggest_countries("Germny")[0] == "Germany"
    # A word that is part of two names offers both.
    assert parse_country("Korea") is None
    assert set(suggest_countries("Korea")[:2]) == {"Republic of Korea",
                                                   "Democratic People's Republic of Korea"}
    assert unknown_country_message("Germny") == (
        "Unknown country “Germny”. Did you mean “Germany” or “Guernsey”?")
    assert unknown_country_message("Atlantis", "State") == (
        "Unknown State “Atlantis”. Use an ISO code (DE) or a country name.")
    assert parse_country("") is None and parse_country(None) is None


def test_territories_are_countries_but_not_states():
    assert parse_country("Hong Kong") == "HK"
    assert country_name("HK") == "China, Hong Kong Special Administrative Region"
    assert not is_un_state("HK") and is_un_state("de")


@pytest.mark.parametrize(("typed", "code"), [
    ("Armenia", "AM"), ("Government of Mexico", "MX"), ("the Government of the Republic of Korea", "KR"),
    ("Delegation of Chile", "CL"), ("Permanent Mission of Germany to the United Nations", "DE"),
    ("Permanent Mission of Canada to the United Nations (New York)", "CA"),
    ("Gouvernement du Canada", "CA"), ("Délégation de la France", "FR"),
    ("Mission permanente de la Suisse auprès de l’Office des Nations Unies à Genève", "CH"),
    ("Gobierno de México", "MX"), ("Misión Permanente de España ante las Naciones Unidas", "ES"),
    ("Ständige Vertretung der Bundesrepublik Deutschland bei den Vereinten Nationen", "DE"),
    ("Regierung von Österreich", "AT"), ("Chile (Government)", "CL"), ("Viet Nam delegation", "VN"),
])
def test_a_state_taking_part_as_such_is_recognised(typed, code):
    assert state_participant(typed) == code


@pytest.mark.parametrize("typed", [
    "Delegation of the European Union", "University of Georgia", "Government of Flanders",
    "Stimson Center", "Hong Kong", "US", "",
])
def test_other_names_are_not_states(typed):
    assert state_participant(typed) is None


def test_choices_sort_by_un_name_ignoring_accents():
    names = [name for _, name in country_choices()]
    assert names.index("Côte d'Ivoire") < names.index("Croatia")
    assert "Türkiye" in names and "Turkey" not in names
