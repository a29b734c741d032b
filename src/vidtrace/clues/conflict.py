"""Conflicting evidence: reliable clues that cannot all be true of one country.

Averaging a GPS fix in the Netherlands with a German phone number gives a ranking that
looks sure of itself; the analyst must see instead that two reliable clues disagree. Weak
disagreement (a language spoken in 30 countries against a GPS fix) is no conflict; it shows
in the ranked countries' ``against`` lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from vidtrace.clues.evidence import Evidence
from vidtrace.domain.clue import ConflictSide

NAMED_SHARE = 0.9
"""A clue names the fewest countries that together hold this share of its weight."""

SPECIFIC_COUNTRIES = 5
"""A clue naming more countries than this is not specific enough to be in conflict."""

RELIABLE_CONFIDENCE = 0.5

CONFIRMED_ERROR_RATE = 0.15
"""A confirmed clue of a weak kind can conflict only when its kind seldom points at the wrong
country once read right (a shop sign, a plug, a school uniform), not a language: an analyst
confirms that the text is English, not that the room is in England."""


def named_countries(item: Evidence) -> tuple[str, ...]:
    """The countries holding most of the item's weight (≥ 90 %), largest first."""
    named: list[str] = []
    held = 0.0
    for code, share in item.distribution:
        named.append(code)
        held += share
        if held >= NAMED_SHARE - 1e-9:
            break
    return tuple(named)


def is_reliable(item: Evidence) -> bool:
    """A strong kind, or an analyst-confirmed clue of a kind that is seldom wrong, read with
    confidence ≥ 0.5 and naming at most a few countries."""
    return (
        (item.kind.strong or (item.confirmed and item.kind.error_rate <= CONFIRMED_ERROR_RATE))
        and item.confidence >= RELIABLE_CONFIDENCE
        and len(named_countries(item)) <= SPECIFIC_COUNTRIES
    )


@dataclass
class _Side:
    countries: set[str]
    items: list[Evidence] = field(default_factory=list)


def conflict_sides(items: Sequence[Evidence]) -> tuple[ConflictSide, ...]:
    """The sides of a conflict, strongest first; empty when every reliable item names at least
    one common country.

    Reliable items join, strongest first, the first side whose common countries they also
    name; an item sharing no country with any side opens a new one. Each side lists the
    countries all its items name (most weight first) and, per item, its effect on the side's
    first country.
    """
    reliable = sorted(
        (item for item in items if is_reliable(item)),
        key=lambda item: (-item.weight, item.kind.name, item.value),
    )
    sides: list[_Side] = []
    for item in reliable:
        named = set(named_countries(item))
        for side in sides:
            common = side.countries & named
            if common:
                side.countries = common
                side.items.append(item)
                break
        else:
            sides.append(_Side(named, [item]))
    if len(sides) < 2:
        return ()
    return tuple(_finished(side) for side in sides)


def _finished(side: _Side) -> ConflictSide:
    held = {
        code: sum(item.share(code) * item.weight for item in side.items) for code in side.countries
    }
    countries = tuple(sorted(held, key=lambda code: (-held[code], code)))
    clues = tuple(
        sorted(
            (item.ref(countries[0]) for item in side.items),
            key=lambda ref: (-ref.effect, ref.kind, ref.value),
        )
    )
    return ConflictSide(countries, clues)
