"""Where an electrical plug or socket type is in use (IEC World Plugs, ``plugs.csv``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from vidtrace.clues.reference.table_files import reference_table

PLUGS_FILE = "plugs.csv"
PLUG_TYPES: tuple[str, ...] = tuple("ABCDEFGHIJKLMNO")
"""IEC's letters. A to N are the classic types; O is Thailand's TIS 166-2549 plug."""

_WRITTEN_TYPE = re.compile(r"^(?:type[\s_-]*)?([a-z])$")


def plug_letter(value: str) -> str | None:
    """The IEC letter in ``value`` ("F", "f", "Type F", "type-f"), or None if it names none."""
    found = _WRITTEN_TYPE.match(value.strip().lower())
    letter = found.group(1).upper() if found else None
    return letter if letter in PLUG_TYPES else None


def plug_countries(plug_type: str) -> dict[str, float]:
    """ISO 3166-1 alpha-2 code -> 1.0 for every tabled country where the plug type is in use.

    Accepts "F", "f" or "Type F"; a value that is no IEC type gives {}."""
    letter = plug_letter(plug_type)
    if letter is None:
        return {}
    return dict.fromkeys(_countries_by_type().get(letter, ()), 1.0)


@cache
def _countries_by_type() -> Mapping[str, tuple[str, ...]]:
    by_type: dict[str, list[str]] = {letter: [] for letter in PLUG_TYPES}
    for row in reference_table(PLUGS_FILE).rows:
        for letter in row["types"].split():
            by_type[letter].append(row["country"])
    return MappingProxyType({letter: tuple(sorted(codes)) for letter, codes in by_type.items()})
