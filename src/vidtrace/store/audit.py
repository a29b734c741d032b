"""The audit log: every decision (and, with the workbench, every view) in ``audit_event``.

Records are written inside the caller's transaction, so an action and its audit record are
stored together or not at all.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from vidtrace.store.models import Agency, AuditEvent, User

# The client address of the web request being served, set once per request by the workbench
# (web/audit_origin.py), so that writers deep in the stores (clue reviews, decisions, series
# edits) audit where a change came from without passing it down. None on the command line.
request_origin: ContextVar[str | None] = ContextVar("audit_request_origin", default=None)


def record_audit(
    conn: Connection,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | int,
    detail: dict[str, Any] | None = None,
    *,
    agency: str | None = None,
    client: str | None = None,
) -> None:
    """Add one row. Without ``agency``, the actor's own agency when the actor is a workbench
    user; without ``client``, the address of the web request being served, if any."""
    if agency is None:
        agency = conn.scalar(
            select(Agency.name).join(User, User.agency_id == Agency.id).where(User.name == actor)
        )
    if client is None:
        client = request_origin.get()
    conn.execute(
        insert(AuditEvent).values(
            actor=actor,
            agency=agency,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            detail=detail or {},
            client=client,
        )
    )


def audit_trail(engine: Engine, object_type: str, object_id: str | int) -> list[dict[str, Any]]:
    """The audit events of one object, oldest first."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id))
        .order_by(AuditEvent.id)
    )
    with engine.connect() as conn:
        return [
            {
                "at": row.at.isoformat() if row.at else None,
                "actor": row.actor,
                "action": row.action,
                "detail": row.detail,
            }
            for row in conn.execute(query)
        ]
