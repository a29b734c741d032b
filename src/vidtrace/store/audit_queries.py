"""Reading the audit log: filter, page (newest first) and export ``audit_event`` as CSV.

Writing stays in ``store.audit``; this module never changes the log.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Select, func, select

from vidtrace.store.models import AuditEvent

CSV_COLUMNS = (
    "id",
    "at",
    "actor",
    "agency",
    "action",
    "object_type",
    "object_id",
    "client",
    "detail",
)
# A spreadsheet runs a cell that starts with one of these as a formula; names typed at the
# login form reach the log unchecked, so the export must not hand them over as formulas.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AuditFilters:
    """Which events to list; None means any. ``since`` is inclusive, ``until`` exclusive;
    naive times are taken as UTC. Text filters match exactly."""

    actor: str | None = None
    agency: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class AuditPage:
    rows: list[dict[str, Any]]
    total: int
    page: int
    per_page: int

    @property
    def last_page(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _utc(moment: datetime) -> datetime:
    # SQLite keeps times without a zone (written as UTC); compare and report in UTC on both.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _where(query: Select[Any], filters: AuditFilters) -> Select[Any]:
    exact = {
        AuditEvent.actor: filters.actor,
        AuditEvent.agency: filters.agency,
        AuditEvent.action: filters.action,
        AuditEvent.object_type: filters.object_type,
        AuditEvent.object_id: filters.object_id,
    }
    for column, value in exact.items():
        if value is not None:
            query = query.where(column == value)
    if filters.since is not None:
        query = query.where(AuditEvent.at >= _utc(filters.since))
    if filters.until is not None:
        query = query.where(AuditEvent.at < _utc(filters.until))
    return query


def _event(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "at": _utc(row.at).isoformat() if row.at else None,
        "actor": row.actor,
        "agency": row.agency,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "client": row.client,
        "detail": row.detail or {},
    }


class AuditQueries:
    """Browse the whole audit log; callers check that the viewer may administer."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def browse(self, filters: AuditFilters, page: int = 1, per_page: int = 100) -> AuditPage:
        """One page of matching events, newest first (by insertion order), and their count."""
        if page < 1 or per_page < 1:
            raise ValueError("page and per_page start at 1")
        query = (
            _where(select(*AuditEvent.__table__.columns), filters)
            .order_by(AuditEvent.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        count = _where(select(func.count()).select_from(AuditEvent), filters)
        with self.engine.connect() as conn:
            rows = [_event(row) for row in conn.execute(query)]
            total = int(conn.scalar(count) or 0)
        return AuditPage(rows, total, page, per_page)

    def stream(self, filters: AuditFilters, batch: int = 1000) -> Iterator[dict[str, Any]]:
        """Every matching event, newest first, read ``batch`` rows at a time. Each batch uses
        its own short connection (keyset on the id), so a slow reader holds no connection and
        events logged meanwhile (such as the export's own record) do not shift the pages."""
        with self.engine.connect() as conn:
            # Fix the end now: what is logged while streaming belongs to the next export.
            newest = conn.scalar(select(func.max(AuditEvent.id)))
        if newest is None:
            return
        before = newest + 1
        while True:
            query = (
                _where(select(*AuditEvent.__table__.columns), filters)
                .where(AuditEvent.id < before)
                .order_by(AuditEvent.id.desc())
                .limit(batch)
            )
            with self.engine.connect() as conn:
                rows = [_event(row) for row in conn.execute(query)]
            yield from rows
            if len(rows) < batch:
                return
            before = rows[-1]["id"]


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def audit_csv(events: Iterable[dict[str, Any]]) -> Iterator[str]:
    """CSV text, a header line then one line per event, produced as the events arrive. The
    ``detail`` column is JSON; a cell that a spreadsheet would run as a formula gets a
    leading apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for event in events:
        cells = {**event, "detail": json.dumps(event.get("detail") or {}, sort_keys=True)}
        writer.writerow([_cell(cells.get(column)) for column in CSV_COLUMNS])
        yield flush()


def revealed_today(engine: Engine, actor: str) -> int:
    """Items this analyst revealed since midnight UTC: a wellbeing figure, not a target."""
    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    query = (
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.actor == actor, AuditEvent.action == "reveal", AuditEvent.at >= midnight)
    )
    with engine.connect() as conn:
        return int(conn.scalar(query) or 0)
