"""Which side of the road traffic keeps to: a clue from cars, road markings and signs."""

from __future__ import annotations

from functools import cache

import pycountry

from vidtrace.clues.reference.table_files import reference_table

DRIVING_LEFT_FILE = "driving_left.csv"
DRIVING_SIDES: tuple[str, ...] = ("left", "right")


def driving_side_countries(side: str) -> dict[str, float]:
    """ISO 3166-1 alpha-2 code -> 1.0 for every country where traffic keeps to ``side``
    ("left" or "right", any case). Right is every ISO country not on the left-hand list,
    uninhabited territories included. Any other value gives {}."""
    wanted = side.strip().lower()
    if wanted == "left":
        return dict.fromkeys(_left(), 1.0)
    if wanted == "right":
        return dict.fromkeys(_right(), 1.0)
    return {}


@cache
def _left() -> tuple[str, ...]:
    return tuple(sorted(row["country"] for row in reference_table(DRIVING_LEFT_FILE).rows))


@cache
def _right() -> tuple[str, ...]:
    left = set(_left())
    return tuple(sorted({c.alpha_2 for c in pycountry.countries} - left))
