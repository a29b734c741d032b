"""Where each reference table comes from, in words: shown by the docs and the command line."""

from __future__ import annotations

from babel.core import get_cldr_version

# A CSV-backed table's entry is the file's own "# source:" line (a test keeps them equal), so
# the words an analyst reads are the words beside the data. Plain dicts, so they print as JSON.
TABLE_SOURCES: dict[str, str] = {
    "language": (
        "Unicode CLDR territory-language shares (population percent), "
        f"CLDR {get_cldr_version()} as shipped in babel, "
        "times the territory populations of the territory-population table"
    ),
    "territory-population": (
        "Unicode CLDR common/supplemental/supplementalData.xml <territoryInfo>, "
        "the population attribute of each <territory> (CLDR's own estimates, about 2018)"
    ),
    "plug": "IEC World Plugs (https://www.iec.ch/world-plugs)",
    "driving-side": (
        "Wikipedia, 'Left- and right-hand traffic' "
        "(https://en.wikipedia.org/wiki/Left-_and_right-hand_traffic), "
        "checked against World Standards, 'List of left-driving countries' "
        "(https://www.worldstandards.eu/cars/list-of-left-driving-countries/)"
    ),
    "currency": (
        f"Unicode CLDR {get_cldr_version()} territory currencies as shipped in babel "
        "(currencies with no end date that are legal tender)"
    ),
}

TABLE_FILES: dict[str, str] = {
    "territory-population": "territory_population.csv",
    "plug": "plugs.csv",
    "driving-side": "driving_left.csv",
}
"""The tables that ship as CSV files in this package, by table name."""
