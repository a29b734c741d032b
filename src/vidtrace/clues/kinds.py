"""The kinds of clue, and how far the ranking trusts each one.

This table is the country ranking's parameter set (``docs/user-guide/country-ranking.md``
explains the model). ``reliability`` scales a clue's vote in the log-linear score;
``error_rate`` is how often a clue of this kind points at the wrong country even when read
right (a phone number of a foreign SIM, a ccTLD chosen for its name), so a single clue can
never rule a country out completely. ``strong`` kinds are specific enough that two of them
disagreeing is a conflict.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pycountry


class ClueError(ValueError):
    """A clue that cannot be stored: an unknown kind, a bad country code, a bad value."""


@dataclass(frozen=True)
class ClueKind:
    name: str
    label: str
    reliability: float
    error_rate: float
    strong: bool = False
    automatic: bool = False  # produced by an extractor (analysts may still add one by hand)


CLUE_KINDS: Mapping[str, ClueKind] = {
    kind.name: kind
    for kind in (
        ClueKind("gps", "GPS position", 3.0, 0.02, strong=True, automatic=True),
        ClueKind("phone", "Phone number", 3.0, 0.10, strong=True, automatic=True),
        ClueKind("timezone", "UTC offset", 0.6, 0.15, automatic=True),
        ClueKind("language", "Language of visible text", 1.0, 0.20, automatic=True),
        ClueKind("domain", "Country-code domain", 0.8, 0.25, automatic=True),
        ClueKind("barcode", "Barcode GS1 office", 0.5, 0.50, automatic=True),
        ClueKind("camera", "Region-specific camera model", 0.5, 0.30, automatic=True),
        ClueKind("plug", "Electrical plug or socket type", 1.0, 0.10),
        ClueKind("driving-side", "Side of the road traffic drives on", 0.6, 0.10),
        ClueKind("currency", "Currency", 1.2, 0.15),
        ClueKind("vehicle-plate", "Vehicle or number plate", 3.0, 0.10, strong=True),
        ClueKind("sign", "Sign or shop front", 1.5, 0.15),
        ClueKind("product", "Product or brand", 0.8, 0.30),
        ClueKind("vegetation", "Vegetation", 0.4, 0.30),
        ClueKind("architecture", "Architecture", 0.6, 0.25),
        ClueKind("landscape", "Landscape", 0.5, 0.25),
        ClueKind("uniform", "School uniform or emblem", 1.5, 0.10),
        ClueKind("tv-programme", "TV programme", 1.2, 0.20),
        ClueKind("tip", "Tip from the public", 0.8, 0.40),
        ClueKind("other", "Other", 0.8, 0.25),
    )
}

_ALPHA2 = re.compile(r"^[A-Z]{2}$")


def clue_kind(name: str) -> ClueKind:
    try:
        return CLUE_KINDS[name]
    except KeyError:
        raise ClueError(
            f"unknown clue kind {name!r}; known kinds: {', '.join(CLUE_KINDS)}"
        ) from None


def country_code(code: str) -> str:
    """``code`` as an upper-case ISO 3166-1 alpha-2 code, or ClueError if there is no such
    country ("UK" is not one: Great Britain is "GB")."""
    upper = code.strip().upper()
    if not _ALPHA2.match(upper) or pycountry.countries.get(alpha_2=upper) is None:
        raise ClueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return upper


def country_weights(countries: Mapping[str, float]) -> dict[str, float]:
    """Checked, upper-cased country weights; weights must be positive and finite."""
    checked: dict[str, float] = {}
    for code, weight in countries.items():
        total = checked.get(country_code(code), 0.0) + float(weight)
        # NaN and infinity fail too (a JSON column cannot hold them), as does a sum that overflows.
        if not 0 < weight < math.inf or total == math.inf:
            raise ClueError(
                f"country {code!r} has weight {weight}; weights must be positive and finite"
            )
        checked[country_code(code)] = total
    return checked


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return str(getattr(country, "common_name", None) or country.name) if country else code
