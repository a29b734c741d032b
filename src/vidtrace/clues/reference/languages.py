"""Where a language is spoken, weighted by speakers: a clue from the language of visible text.

The shares come from Unicode CLDR's territory-language data as babel ships it (the percentage of
a territory's people who speak the language); the populations from CLDR's territoryInfo
(``territory_population.csv``), because babel does not ship them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from babel.core import get_global

from vidtrace.clues.reference.population import territory_populations

# Shares under this fraction of a language's speakers are noise for ranking (emigrant
# communities, second languages), except where the language has a legal status.
NEGLIGIBLE_SHARE = 0.005
OFFICIAL_STATUSES = frozenset({"official", "de_facto_official", "official_regional"})

# langid and ISO 639-1 name some languages differently from CLDR: Norwegian is "no" in langid
# but Bokmål "nb" and Nynorsk "nn" in CLDR; Tagalog "tl" is CLDR's Filipino "fil"; Kurdish
# "ku" is a macrolanguage whose Sorani speakers CLDR counts under "ckb". Old codes "iw", "in"
# and "ji" still come out of some tools.
LANGUAGE_ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "no": ("nb", "nn"),
        "tl": ("fil",),
        "ku": ("ku", "ckb"),
        "iw": ("he",),
        "in": ("id",),
        "ji": ("yi",),
    }
)


def language_countries(language: str) -> dict[str, float]:
    """ISO 3166-1 alpha-2 code -> number of people who speak ``language`` there, largest first.

    ``language`` is a CLDR/ISO 639 code as langid returns it ("sr", "fa", "pt", "zh"); a region
    or script suffix ("sr_Latn", "pt-BR") is ignored, and CLDR's script variants count for the
    base language (Serbian in Latin script counts as "sr"). Where a country lists several
    variants, the largest share counts, since they are mostly the same people. Countries with
    under 0.5 % of the language's speakers are left out unless it is official there (nationally
    or regionally). An unknown language gives {}."""
    return dict(_speakers(_base_language(language)))


def _base_language(language: str) -> str:
    return language.strip().lower().replace("-", "_").split("_")[0]


@cache
def _speakers(language: str) -> Mapping[str, float]:
    wanted = LANGUAGE_ALIASES.get(language, (language,))
    populations = territory_populations()
    found: dict[str, tuple[float, bool]] = {}
    for territory, spoken in get_global("territory_languages").items():
        population = populations.get(territory)
        if population is None:  # not an ISO 3166-1 country (see population.py)
            continue
        percent, official = 0.0, False
        for code, info in spoken.items():
            if code.split("_")[0] not in wanted:
                continue
            percent = max(percent, float(info.get("population_percent") or 0.0))
            official = official or info.get("official_status") in OFFICIAL_STATUSES
        speakers = float(round(percent / 100.0 * population))  # whole people, no float noise
        if speakers > 0:
            found[territory] = (speakers, official)
    total = sum(speakers for speakers, _ in found.values())
    kept = {
        territory: speakers
        for territory, (speakers, official) in found.items()
        if official or speakers >= NEGLIGIBLE_SHARE * total
    }
    return MappingProxyType(dict(sorted(kept.items(), key=lambda item: (-item[1], item[0]))))
