"""The triage priority rule: what makes a series worth looking at next, in points out of 100.

Kept apart from the queries so the rule can be read, documented (docs/user-guide/triage.md)
and tested on its own. No I/O. The rule is written twice, side by side: in Python
(``priority``, ``priority_parts``) to explain one series, and as a SQL expression
(``priority_sql``) so the database ranks every series and returns one page. A test holds the
two equal on both databases.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, case, cast, func
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.expression import ColumnElement

from vidtrace.store.sql_functions import clamp

SqlValue = ColumnElement[Any] | InstrumentedAttribute[Any]

NEW_MATERIAL = 35.0  # times the share of members no bank knows
AGENCY_OVERLAP = 10.0  # per agency beyond the first ...
AGENCY_OVERLAP_CAP = 20.0  # ... up to this
SIZE = 15.0  # times log(size) / log(SIZE_FULL), capped at 1
SIZE_FULL = 5000
CLUE_KIND = 5.0  # per distinct kind of clue not rejected ...
CLUE_KIND_CAP = 15.0  # ... up to this
NO_COUNTRY = 10.0  # while no country is decided
IDLE = 5.0  # times days untouched / IDLE_FULL_DAYS, capped at 1
IDLE_FULL_DAYS = 30.0

PRIORITY_RULE = (
    "Priority is out of 100 points: "
    f"new material (not in any bank) up to {NEW_MATERIAL:g}, by the share of new members; "
    f"overlap across agencies {AGENCY_OVERLAP:g} per agency beyond the first, "
    f"up to {AGENCY_OVERLAP_CAP:g}; "
    f"size up to {SIZE:g}, on a log scale that is full at {SIZE_FULL:,} members; "
    f"clue richness {CLUE_KIND:g} per distinct kind of clue not rejected, up to {CLUE_KIND_CAP:g}; "
    f"no country decided {NO_COUNTRY:g}; "
    f"last activity up to {IDLE:g}, full after {IDLE_FULL_DAYS:g} days untouched. "
    "Ties go to the older series (lower id)."
)


@dataclass(frozen=True)
class PriorityPart:
    """One term of a series' priority: what was measured, the points it gave, and why."""

    name: str
    value: float
    points: float
    reason: str


@dataclass(frozen=True)
class PriorityInputs:
    """What the rule reads about one series."""

    size: int
    known: int  # members that a bank knows (known material or known-good)
    agencies: int  # agencies holding members, among the cases the viewer may see
    clue_kinds: int  # distinct kinds of clue not rejected
    country_decided: bool
    idle_days: float  # since the last workflow change, or since the series was made


def _new_share(inputs: PriorityInputs) -> float:
    return max(inputs.size - inputs.known, 0) / inputs.size if inputs.size else 0.0


def _size_scale(size: int) -> float:
    return min(math.log(size) / math.log(SIZE_FULL), 1.0) if size > 1 else 0.0


def _points(inputs: PriorityInputs) -> tuple[float, float, float, float, float, float]:
    return (
        NEW_MATERIAL * _new_share(inputs),
        min(AGENCY_OVERLAP * max(inputs.agencies - 1, 0), AGENCY_OVERLAP_CAP),
        SIZE * _size_scale(inputs.size),
        min(CLUE_KIND * inputs.clue_kinds, CLUE_KIND_CAP),
        0.0 if inputs.country_decided else NO_COUNTRY,
        IDLE * min(max(inputs.idle_days, 0.0) / IDLE_FULL_DAYS, 1.0),
    )


def priority(inputs: PriorityInputs) -> float:
    """The series' priority, 0 to 100 (the sum of its parts, rounded to 0.1)."""
    return round(sum(_points(inputs)), 1)


def priority_parts(inputs: PriorityInputs) -> tuple[PriorityPart, ...]:
    """The priority term by term, with a reason an analyst can read."""
    new, overlap, size, clues, country, idle = _points(inputs)
    share = _new_share(inputs)
    days = max(inputs.idle_days, 0.0)
    return (
        PriorityPart("new material", share, new, f"{share:.0%} of members match no bank"),
        PriorityPart(
            "overlap across agencies",
            inputs.agencies,
            overlap,
            f"found by {inputs.agencies} agenc{'y' if inputs.agencies == 1 else 'ies'}",
        ),
        PriorityPart("size", inputs.size, size, f"{inputs.size:,} members"),
        PriorityPart(
            "clue richness",
            inputs.clue_kinds,
            clues,
            f"{inputs.clue_kinds} kind{'' if inputs.clue_kinds == 1 else 's'} of clue",
        ),
        PriorityPart(
            "no country decided",
            0.0 if inputs.country_decided else 1.0,
            country,
            "country decided" if inputs.country_decided else "no country decided yet",
        ),
        PriorityPart("last activity", days, idle, f"untouched for {days:.0f} days"),
    )


def priority_sql(
    size: SqlValue,
    known: SqlValue,
    agencies: SqlValue,
    clue_kinds: SqlValue,
    country: SqlValue,
    idle_days: SqlValue,
) -> ColumnElement[float]:
    """``priority`` as a SQL expression over columns (not rounded). ``size`` is above 0."""
    real_size = cast(size, Float)
    new = NEW_MATERIAL * clamp((real_size - known) / real_size, 0.0, 1.0)
    overlap = clamp(AGENCY_OVERLAP * (agencies - 1), 0.0, AGENCY_OVERLAP_CAP)
    size_points = case(
        (size >= SIZE_FULL, SIZE),
        (size > 1, SIZE * func.ln(real_size) / math.log(SIZE_FULL)),
        else_=0.0,
    )
    clues = clamp(CLUE_KIND * clue_kinds, 0.0, CLUE_KIND_CAP)
    no_country = case((country.is_(None), NO_COUNTRY), else_=0.0)
    idle = IDLE * clamp(idle_days, 0.0, IDLE_FULL_DAYS) / IDLE_FULL_DAYS
    return new + overlap + size_points + clues + no_country + idle
