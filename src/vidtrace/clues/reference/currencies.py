"""Where a currency is legal tender today: a clue from banknotes, coins and price tags.

From Unicode CLDR's territory currencies as babel ships them: a currency counts for a country
while CLDR gives it no end date there and marks it as tender (so "USD" names the United States,
Ecuador, El Salvador, Panama, ...; "EUR" the euro area and its users). Withdrawn currencies
("DEM", "HRK") name no country.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

import pycountry
from babel.core import get_global


def currency_countries(code: str) -> dict[str, float]:
    """ISO 3166-1 alpha-2 code -> 1.0 for every country where the ISO 4217 currency ``code``
    ("EUR", "rsd") is in current use. A code not in current use gives {}."""
    return dict.fromkeys(_countries_by_currency().get(code.strip().upper(), ()), 1.0)


def current_currencies() -> tuple[str, ...]:
    """Every ISO 4217 code in current use somewhere, sorted."""
    return tuple(sorted(_countries_by_currency()))


@cache
def _countries_by_currency() -> Mapping[str, tuple[str, ...]]:
    by_currency: dict[str, set[str]] = {}
    for territory, currencies in get_global("territory_currencies").items():
        if pycountry.countries.get(alpha_2=territory) is None:  # "XK", "EA", "ZZ", ...
            continue
        for currency, _start, end, tender in currencies:
            if end is None and tender:
                by_currency.setdefault(currency, set()).add(territory)
    return MappingProxyType({code: tuple(sorted(c)) for code, c in by_currency.items()})
