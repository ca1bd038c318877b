"""Country codes and their names as UN documents write them."""

from functools import cache

import pycountry

# Where UN document usage differs from ISO 3166's short names.
UN_NAMES = {
    "BO": "Bolivia (Plurinational State of)",
    "CD": "Democratic Republic of the Congo",
    "CZ": "Czechia",
    "FM": "Micronesia (Federated States of)",
    "GB": "United Kingdom",
    "IR": "Iran (Islamic Republic of)",
    "KP": "Democratic People's Republic of Korea",
    "KR": "Republic of Korea",
    "LA": "Lao People's Democratic Republic",
    "MD": "Republic of Moldova",
    "PS": "State of Palestine",
    "RU": "Russian Federation",
    "SY": "Syrian Arab Republic",
    "TW": "Taiwan Province of China",
    "TZ": "United Republic of Tanzania",
    "US": "United States of America",
    "VA": "Holy See",
    "VE": "Venezuela (Bolivarian Republic of)",
    "VN": "Viet Nam",
    "TR": "Türkiye",
}

# Common English names people type that neither ISO nor the UN list spells that way.
EXTRA_ALIASES = {
    "usa": "US",
    "united states": "US",
    "uk": "GB",
    "great britain": "GB",
    "south korea": "KR",
    "north korea": "KP",
    "russia": "RU",
    "iran": "IR",
    "syria": "SY",
    "vietnam": "VN",
    "turkey": "TR",
    "netherlands": "NL",
    "the netherlands": "NL",
    "czech republic": "CZ",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "laos": "LA",
}


def country_name(code: str | None) -> str:
    """The UN-style English name of an ISO alpha-2 code ('' for none)."""
    if not code:
        return ""
    code = code.upper()
    if code in UN_NAMES:
        return UN_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def is_country_code(code: str) -> bool:
    return len(code) == 2 and pycountry.countries.get(alpha_2=code.upper()) is not None


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        for name in (country.alpha_2, country.alpha_3, country.name,
                     getattr(country, "common_name", None), getattr(country, "official_name", None)):
            if name:
                table[name.casefold()] = code
    for code, name in UN_NAMES.items():
        table[name.casefold()] = code
    table.update(EXTRA_ALIASES)
    return table


def parse_country(value: str | None) -> str | None:
    """An ISO alpha-2 code from a code or an English/UN name; None if unknown or empty."""
    if value is None or not value.strip():
        return None
    return _lookup().get(" ".join(value.split()).casefold())


@cache
def country_choices() -> list[tuple[str, str]]:
    """(code, UN-style name) pairs sorted by name, for select fields."""
    return sorted(((c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries),
                  key=lambda pair: pair[1])
