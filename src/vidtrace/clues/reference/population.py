"""How many people live in each country: the denominator that turns a language's share of a
country into a number of speakers."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from vidtrace.clues.reference.table_files import reference_table

POPULATION_FILE = "territory_population.csv"


@cache
def territory_populations() -> Mapping[str, int]:
    """ISO 3166-1 alpha-2 code -> population (CLDR's estimate), for every ISO country.

    CLDR territories without an ISO code (Kosovo "XK", Canary Islands "IC", ...) are not in the
    table; the file's comment lines say where their people are counted."""
    rows = reference_table(POPULATION_FILE).rows
    return MappingProxyType({row["country"]: int(row["population"]) for row in rows})
