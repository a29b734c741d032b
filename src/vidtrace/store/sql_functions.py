"""Small SQL functions that SQLite and PostgreSQL spell differently, for rules computed in the
database (the triage priority):

- ``days_since(column, now)``: fractional days from a stored moment to ``now``;
- ``clamp(value, low, high)``: ``value`` held between two bounds;
- ``round_tenth(value)``: rounded to one decimal, as pages show it.

Each keeps its argument to one evaluation per row: over 50,000 series, parsing a timestamp
three times was a third of the ranking's time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement, literal

UNIX_EPOCH_JULIAN_DAY = 2440587.5


# Lower case: each reads as the SQL function it compiles to.
class days_since(FunctionElement[float]):
    type = Float()
    inherit_cache = True

    def __init__(self, moment: Any, now: datetime) -> None:
        # ``now`` as a number, computed once here rather than once per row in SQL.
        epoch_days = now.astimezone(UTC).timestamp() / 86400
        super().__init__(moment, literal(epoch_days, Float()))


@compiles(days_since, "sqlite")
def _days_since_sqlite(element: days_since, compiler: Any, **kw: Any) -> str:
    moment, now = (compiler.process(c, **kw) for c in element.clauses)
    return f"({now} - (julianday({moment}) - {UNIX_EPOCH_JULIAN_DAY}))"


@compiles(days_since, "postgresql")
def _days_since_postgresql(element: days_since, compiler: Any, **kw: Any) -> str:
    moment, now = (compiler.process(c, **kw) for c in element.clauses)
    # date_part, not EXTRACT: since PostgreSQL 14 EXTRACT answers numeric, slow to compute on.
    return f"({now} - date_part('epoch', {moment}) / 86400.0)"


class clamp(FunctionElement[float]):
    type = Float()
    inherit_cache = True

    def __init__(self, value: ColumnElement[Any] | Any, low: float, high: float) -> None:
        super().__init__(value, literal(low, Float()), literal(high, Float()))


@compiles(clamp, "sqlite")
def _clamp_sqlite(element: clamp, compiler: Any, **kw: Any) -> str:
    value, low, high = (compiler.process(c, **kw) for c in element.clauses)
    return f"min(max({value}, {low}), {high})"  # SQLite's scalar min and max


@compiles(clamp, "postgresql")
def _clamp_postgresql(element: clamp, compiler: Any, **kw: Any) -> str:
    value, low, high = (compiler.process(c, **kw) for c in element.clauses)
    return f"LEAST(GREATEST({value}, {low}), {high})"


class round_tenth(FunctionElement[float]):
    type = Float()
    inherit_cache = True


@compiles(round_tenth, "sqlite")
def _round_tenth_sqlite(element: round_tenth, compiler: Any, **kw: Any) -> str:
    return f"round({compiler.process(element.clauses, **kw)}, 1)"


@compiles(round_tenth, "postgresql")
def _round_tenth_postgresql(element: round_tenth, compiler: Any, **kw: Any) -> str:
    # PostgreSQL rounds to decimals only on numeric, and a numeric per row was a third of the
    # ranking's time: tenths of a double, rounded to a whole number, instead.
    return f"(round(CAST({compiler.process(element.clauses, **kw)} AS DOUBLE PRECISION) * 10) / 10)"
