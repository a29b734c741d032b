"""Countries for the clue kinds an analyst records by hand from a fixed list of values."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from vidtrace.clues.kinds import ClueError, clue_kind
from vidtrace.clues.reference.currencies import currency_countries, current_currencies
from vidtrace.clues.reference.driving import DRIVING_SIDES, driving_side_countries
from vidtrace.clues.reference.plugs import PLUG_TYPES, plug_countries

_TABLED: Mapping[str, tuple[Callable[[str], dict[str, float]], Callable[[], tuple[str, ...]]]] = (
    MappingProxyType(
        {
            "plug": (plug_countries, lambda: PLUG_TYPES),
            "driving-side": (driving_side_countries, lambda: DRIVING_SIDES),
            "currency": (currency_countries, current_currencies),
        }
    )
)


def analyst_clue_countries(kind: str, value: str) -> dict[str, float] | None:
    """The countries a tabled clue names: ``kind`` "plug" (an IEC type, "F" or "Type F"),
    "driving-side" ("left" or "right") or "currency" (an ISO 4217 code in current use).

    Any other kind returns None: the analyst names the countries. A value the kind's table does
    not know raises ClueError, listing the values it does know."""
    tabled = _TABLED.get(kind)
    if tabled is None:
        return None
    lookup, valid_values = tabled
    countries = lookup(value)
    if not countries:
        raise ClueError(
            f"{value!r} is not a known {clue_kind(kind).label.lower()}; "
            f"valid values: {', '.join(valid_values())}"
        )
    return countries
