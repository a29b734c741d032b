"""The reference tables that ship as CSV files beside this module.

Each file opens with ``# key: value`` comment lines naming its source, version and licence, then
a CSV header row and the rows. Reading one is cached: a table is read once per process.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class ReferenceTable:
    """One shipped table: its ``notes`` (the comment lines: "source", "retrieved/version",
    "licence", ...) and its ``rows``, keyed by the header row's column names."""

    file_name: str
    notes: Mapping[str, str]
    rows: tuple[Mapping[str, str], ...]


@cache
def reference_table(file_name: str) -> ReferenceTable:
    """The table in ``clues/reference/<file_name>``; FileNotFoundError if it does not ship."""
    text = resources.files(__package__).joinpath(file_name).read_text("utf-8")
    notes: dict[str, str] = {}
    data: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            key, _, value = line.lstrip("# ").partition(":")
            notes[key.strip()] = value.strip()
        elif line.strip():
            data.append(line)
    rows = tuple({key: value.strip() for key, value in row.items()} for row in csv.DictReader(data))
    return ReferenceTable(file_name=file_name, notes=notes, rows=rows)


def country_weights_text(text: str) -> dict[str, float]:
    """Country weights as the tables write them: "CN HK:0.3" -> {"CN": 1.0, "HK": 0.3}, checked."""
    from vidtrace.clues.kinds import country_weights

    pairs = (token.partition(":") for token in text.split())
    return country_weights({code: float(weight or 1.0) for code, _, weight in pairs})
