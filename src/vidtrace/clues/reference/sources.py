"""Where each reference table comes from, in words: shown by the docs and the command line."""

from __future__ import annotations

from babel.core import get_cldr_version

from vidtrace.clues.reference.table_files import reference_table

# A CSV-backed table's entry is the file's own "# source:" line (a test keeps them equal), so
# the words an analyst reads are the words beside the data. Plain dicts, so they print as JSON.
TABLE_SOURCES: dict[str, str] = {
    "language": (
        "Unicode CLDR territory-language shares (population percent), "
        f"CLDR {get_cldr_version()} as shipped in babel, "
        "times the territory populations of the territory-population table"
    ),
    "currency": (
        f"Unicode CLDR {get_cldr_version()} territory currencies as shipped in babel "
        "(currencies with no end date that are legal tender)"
    ),
}

TABLE_FILES: dict[str, str] = {
    "barcode-gs1-prefix": "gs1_prefixes.csv",
    "camera-model": "camera_models.csv",
    "territory-population": "territory_population.csv",
    "plug": "plugs.csv",
    "driving-side": "driving_left.csv",
}
"""The tables that ship as CSV files in this package, by table name."""

# A CSV table's source is its own "# source:" line, so the words an analyst reads are the words
# beside the data.
for _table, _file in TABLE_FILES.items():
    TABLE_SOURCES[_table] = reference_table(_file).notes["source"]
