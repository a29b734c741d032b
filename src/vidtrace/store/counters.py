"""Named counters in the ``counter`` table."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from vidtrace.store.models import Counter
from vidtrace.store.upsert import insert_ignore

BANK_GENERATION = "bank_generation"


def read_counter(conn: Connection, name: str) -> int:
    return conn.scalar(select(Counter.value).where(Counter.name == name)) or 0


def bump_counter(conn: Connection, name: str) -> int:
    """Add one to ``name`` (created at 0) inside the caller's transaction; the new value."""
    insert_ignore(conn, Counter.__table__, [{"name": name, "value": 0}], ["name"])  # type: ignore[arg-type]
    conn.execute(update(Counter).where(Counter.name == name).values(value=Counter.value + 1))
    return read_counter(conn, name)


def reserve(conn: Connection, name: str, count: int, floor: int = 0) -> int:
    """Reserve ``count`` consecutive numbers above both the counter and ``floor``; the first."""
    insert_ignore(conn, Counter.__table__, [{"name": name, "value": 0}], ["name"])  # type: ignore[arg-type]
    conn.execute(
        update(Counter).where(Counter.name == name, Counter.value < floor).values(value=floor)
    )
    conn.execute(update(Counter).where(Counter.name == name).values(value=Counter.value + count))
    return read_counter(conn, name) - count + 1
