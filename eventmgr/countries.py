"""Countries as UN documents name them, from any spelling people type.

Two tables in `eventmgr/data/`:

- `un_states.csv`: the 193 UN member States and the two observer States with their
  short names as the UN terminology database (UNTERM) gives them, and, where UN lists of
  participants write a shorter form, that form (`United Kingdom`);
- `country_aliases.csv`: what people type instead, in English, French, German and
  Spanish — short forms (USA, UK, South Korea), older names (Swaziland, Turkey) and
  the UN's own French and Spanish names.

ISO 3166-1 supplies the codes and, through pycountry's translations, the ISO names in
French, German and Spanish. Every input is matched accent-, case- and
punctuation-insensitively, with a leading article dropped ("the Maldives"). Codes are
stored; names are printed in UN form.
"""

from __future__ import annotations

import csv
import difflib
import gettext
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import pycountry
from anyascii import anyascii

LANGUAGES = ("de", "fr", "es")

# Countries and territories that are not UN States but appear as a company's country:
# the names the UN Statistics Division uses for them.
TERRITORY_NAMES = {
    "HK": "China, Hong Kong Special Administrative Region",
    "MO": "China, Macao Special Administrative Region",
    "TW": "Taiwan Province of China",
}

# Articles that may lead a country name in the four languages ("the Netherlands", "la France").
_ARTICLES = {"the", "la", "le", "les", "l", "el", "los", "las", "die", "der", "das"}
_DROPPED = str.maketrans("", "", ".'’‘`ʼ´")
_GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                                 "ß": "ss"})


@dataclass(frozen=True)
class UNState:
    code: str
    name: str  # the UNTERM short name
    list_name: str  # as lists of participants print it
    observer: bool


def country_key(text: str) -> str:
    """The form country names are compared in: ASCII, case-folded, dots and apostrophes
    dropped, other punctuation as spaces, a leading article dropped."""
    text = anyascii(text).casefold().translate(_DROPPED)
    words = "".join(c if c.isalnum() else " " for c in text).split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


@cache
def un_states() -> dict[str, UNState]:
    """The UN member and observer States by ISO alpha-2 code."""
    text = resources.files("eventmgr.data").joinpath("un_states.csv").read_text(encoding="utf-8")
    return {row["alpha_2"]: UNState(code=row["alpha_2"], name=row["name"],
                                    list_name=row["list_name"] or row["name"],
                                    observer=row["status"] == "observer")
            for row in csv.DictReader(text.splitlines())}


@cache
def _aliases() -> list[tuple[str, str, str]]:
    """(code, language, alias) rows of country_aliases.csv."""
    text = resources.files("eventmgr.data").joinpath("country_aliases.csv").read_text(encoding="utf-8")
    return [(row["alpha_2"], row["language"], row["alias"]) for row in csv.DictReader(text.splitlines())]


def is_un_state(code: str | None) -> bool:
    return bool(code) and code.upper() in un_states()


def country_name(code: str | None) -> str:
    """The name of an ISO alpha-2 code as UN lists print it ('' for none)."""
    if not code:
        return ""
    code = code.upper()
    state = un_states().get(code)
    if state is not None:
        return state.list_name
    if code in TERRITORY_NAMES:
        return TERRITORY_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def un_short_name(code: str | None) -> str:
    """The UNTERM short name (`United Kingdom of Great Britain and Northern Ireland`)."""
    state = un_states().get((code or "").upper())
    return state.name if state is not None else country_name(code)


def is_country_code(code: str) -> bool:
    return len(code) == 2 and pycountry.countries.get(alpha_2=code.upper()) is not None


def _iso_names(country) -> list[str]:
    return [name for name in (country.name, getattr(country, "common_name", None),
                              getattr(country, "official_name", None)) if name]


@cache
def _lookup() -> dict[str, str]:
    """Country key → code, for every spelling known. Later sources win: UN names last."""
    table: dict[str, str] = {}

    def add(name: str, code: str) -> None:
        table[country_key(name)] = code
        if name.translate(_GERMAN_LETTERS) != name:  # "Tuerkei", "Suedkorea"
            table[country_key(name.translate(_GERMAN_LETTERS))] = code

    translations = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
                    for language in LANGUAGES]
    for country in pycountry.countries:
        code = country.alpha_2
        for name in _iso_names(country):
            add(name, code)
            for translation in translations:
                add(translation.gettext(name), code)
        table[country.alpha_3.casefold()] = code
    for code, _, alias in _aliases():
        add(alias, code)
    for code, name in TERRITORY_NAMES.items():
        add(name, code)
    for state in un_states().values():
        add(state.name, state.code)
        add(state.list_name, state.code)
    # Two-letter codes last: "IN" is India, never the word.
    for country in pycountry.countries:
        table[country.alpha_2.casefold()] = country.alpha_2
    return table


@lru_cache(maxsize=8192)  # imports ask about the same few names row after row
def parse_country(value: str | None) -> str | None:
    """An ISO alpha-2 code from a code or a name in any spelling known; None if unknown or empty."""
    if value is None or not value.strip():
        return None
    return _lookup().get(country_key(value))


def suggest_countries(value: str, limit: int = 3) -> list[str]:
    """UN-style names of the countries an unknown name most likely meant, best first.

    Names holding every word typed come first ("Korea": both Koreas), then the
    closest spellings ("Germny").
    """
    key = country_key(value)
    if not key:
        return []
    table = _lookup()
    codes: list[str] = []
    words = set(key.split())
    for name, code in table.items():
        if len(name) > 3 and words <= set(name.split()) and code not in codes:
            codes.append(code)
    for name in difflib.get_close_matches(key, [k for k in table if len(k) > 3], n=limit * 4, cutoff=0.7):
        if table[name] not in codes:
            codes.append(table[name])
    codes.sort(key=lambda code: not is_un_state(code))
    return [country_name(code) for code in codes[:limit]]


def unknown_country_message(value: str, what: str = "country") -> str:
    """The message for a name no table knows, with the closest names offered."""
    suggestions = suggest_countries(value)
    hint = (" Did you mean " + " or ".join(f"“{name}”" for name in suggestions) + "?") if suggestions \
        else " Use an ISO code (DE) or a country name."
    return f"Unknown {what} “{value.strip()}”.{hint}"


@cache
def country_choices() -> list[tuple[str, str]]:
    """(code, UN-style name) pairs sorted by name, for select fields."""
    return sorted(((c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries),
                  key=lambda pair: country_key(pair[1]))


# "Government of X", "Délégation de la X", "Misión Permanente de X ante las Naciones Unidas"…
_STATE_PREFIXES = re.compile(
    r"^(?:the\s+)?(?:"
    r"(?:government|delegation|permanent\s+mission|mission|state|republic)\s+of"
    r"|(?:gouvernement|d[ée]l[ée]gation|mission\s+permanente)\s+(?:de\s+la|de\s+l['’]|du|des|de|d['’])"
    r"|(?:gobierno|delegaci[óo]n|misi[óo]n\s+permanente)\s+(?:de\s+la|de\s+los|de\s+las|del|de)"
    r"|(?:regierung|delegation|st[äa]ndige\s+vertretung)\s+(?:von|der|des)"
    r")\s*",
    re.IGNORECASE)
# "… to the United Nations (New York)", "… auprès de l'Office des Nations Unies à Genève".
_STATE_SUFFIXES = re.compile(
    r"\s*(?:,\s*|\s+)(?:to\s+the\s+|at\s+the\s+|in\s+|at\s+|aupr[èe]s\s+d|ante\s+|bei\s+|en\s+|[àa]\s+)"
    r".*$", re.IGNORECASE)
_STATE_WORDS = re.compile(r"\s*[(,]?\s*(?:government|delegation|gouvernement|gobierno|regierung)\s*\)?$",
                          re.IGNORECASE)


@lru_cache(maxsize=8192)
def state_participant(name: str) -> str | None:
    """The UN State a name designates as a whole, or None.

    "Chile", "Government of Chile", "Delegation of the Republic of Korea", "Permanent
    Mission of Germany to the United Nations", "Gouvernement du Canada", "Gobierno de
    México", "Chile (Government)", "German Government" is not recognised (adjectives are not in the table).
    """
    text = " ".join((name or "").split())
    if not text:
        return None
    candidates = [text]
    stripped = _STATE_PREFIXES.sub("", text, count=1)
    if stripped != text:
        candidates += [stripped, _STATE_SUFFIXES.sub("", stripped)]
    without_word = _STATE_WORDS.sub("", text)
    if without_word != text:
        candidates.append(without_word)
    for candidate in candidates:
        code = parse_country(candidate)
        if code is not None and is_un_state(code) and len(candidate) > 2:
            return code
    return None
