"""Reference tables that turn a clue's value into the countries it points at.

Every lookup works offline from data that ships with vidtrace (CSV files in this package and
babel's CLDR data), is cached, and returns ISO 3166-1 alpha-2 codes with positive weights, as
``Clue.countries`` wants them. ``docs/user-guide/clue-reference-tables.md`` describes each table,
its source and how to update it.
"""

from vidtrace.clues.reference.analyst_clues import analyst_clue_countries
from vidtrace.clues.reference.currencies import currency_countries, current_currencies
from vidtrace.clues.reference.driving import DRIVING_SIDES, driving_side_countries
from vidtrace.clues.reference.languages import language_countries
from vidtrace.clues.reference.plugs import PLUG_TYPES, plug_countries, plug_letter
from vidtrace.clues.reference.population import territory_populations
from vidtrace.clues.reference.sources import TABLE_FILES, TABLE_SOURCES

__all__ = [
    "DRIVING_SIDES",
    "PLUG_TYPES",
    "TABLE_FILES",
    "TABLE_SOURCES",
    "analyst_clue_countries",
    "currency_countries",
    "current_currencies",
    "driving_side_countries",
    "language_countries",
    "plug_countries",
    "plug_letter",
    "territory_populations",
]
