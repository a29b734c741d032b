"""A comparable picture of the database: every row, less ids and timestamps."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from vidtrace.store.models import Base

VOLATILE = {
    "id",
    "ingested_at",
    "found_at",
    "recorded_at",
    "created_at",
    "added_at",
    "source_id",
    "case_id",
    "agency_id",
}


def database_snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    snapshot: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in VOLATILE]
            rows = conn.execute(select(*columns)).all()
            snapshot[table.name] = sorted(tuple(repr(v) for v in row) for row in rows)
    return snapshot
