"""Who sees what: the one place that decides which cases, series and media a viewer may see.

Admins see everything. Anyone else sees the cases of their own agency, and the cases shared
with an operation their agency takes part in. A series is visible when one of its members was
found in a visible case; a media item when it was found in a visible case. Callers answer
"not visible" exactly as they answer "does not exist" (a 404), so existence never leaks.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, Engine, Select, exists, false, insert, select

from vidtrace.domain.viewer import Role, Viewer
from vidtrace.store.audit import record_audit
from vidtrace.store.models import (
    Agency,
    Case,
    CaseShare,
    Media,
    Occurrence,
    Operation,
    OperationAgency,
    Series,
    SeriesMember,
)


def visible_cases(viewer: Viewer) -> Select[int]:
    """The ids of the cases ``viewer`` may see, as a select to use in ``IN (...)``."""
    if viewer.role == Role.ADMIN:
        return select(Case.id)
    if viewer.agency_id is None:
        return select(Case.id).where(false())
    shared = (
        select(CaseShare.case_id)
        .join(OperationAgency, OperationAgency.operation_id == CaseShare.operation_id)
        .where(OperationAgency.agency_id == viewer.agency_id)
    )
    return select(Case.id).where((Case.agency_id == viewer.agency_id) | Case.id.in_(shared))


def series_visible(conn: Connection, viewer: Viewer, series_id: int) -> bool:
    """Whether the series exists and ``viewer`` may see it."""
    if viewer.role == Role.ADMIN:
        return conn.scalar(select(exists().where(Series.id == series_id))) or False
    found = exists().where(
        SeriesMember.series_id == series_id,
        Occurrence.media_sha256 == SeriesMember.media_sha256,
        Occurrence.case_id.in_(visible_cases(viewer)),
    )
    return conn.scalar(select(found)) or False


def media_visible(conn: Connection, viewer: Viewer, sha256: str) -> bool:
    """Whether the media item exists and ``viewer`` may see it."""
    if viewer.role == Role.ADMIN:
        return conn.scalar(select(exists().where(Media.sha256 == sha256))) or False
    found = exists().where(
        Occurrence.media_sha256 == sha256, Occurrence.case_id.in_(visible_cases(viewer))
    )
    return conn.scalar(select(found)) or False


def visible_media_among(conn: Connection, viewer: Viewer, sha256s: Collection[str]) -> set[str]:
    """Those of ``sha256s`` that exist and ``viewer`` may see, in one query."""
    keys = sorted(set(sha256s))
    if not keys:
        return set()
    if viewer.role == Role.ADMIN:
        return set(conn.scalars(select(Media.sha256).where(Media.sha256.in_(keys))))
    seen = select(Occurrence.media_sha256).where(
        Occurrence.media_sha256.in_(keys), Occurrence.case_id.in_(visible_cases(viewer))
    )
    return set(conn.scalars(seen.distinct()))


class SharingError(ValueError):
    """A sharing change names something that does not exist; the message says what."""


class Sharing:
    """Admins' changes to who sees what: operations, the agencies in them, the cases shared
    with them. Each change is one transaction with its audit record; repeating a change that is
    already in place does nothing (and records nothing)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add_operation(self, name: str, actor: str) -> int:
        """The id of operation ``name``, created on first use."""
        name = name.strip()
        if not name:
            raise SharingError("an operation needs a name")
        with self.engine.begin() as conn:
            found = conn.scalar(select(Operation.id).where(Operation.name == name))
            if found is not None:
                return found
            key = conn.execute(insert(Operation).values(name=name)).inserted_primary_key
            assert key is not None
            operation_id = int(key[0])
            record_audit(conn, actor, "operation.add", "operation", operation_id, {"name": name})
            return operation_id

    def join(self, operation: str, agency: str, actor: str) -> None:
        """Let ``agency`` take part in ``operation``: it then sees every case shared with it."""
        with self.engine.begin() as conn:
            operation_id = _operation_id(conn, operation)
            agency_id = conn.scalar(select(Agency.id).where(Agency.name == agency))
            if agency_id is None:
                raise SharingError(f"no agency {agency}")
            already = exists().where(
                OperationAgency.operation_id == operation_id,
                OperationAgency.agency_id == agency_id,
            )
            if conn.scalar(select(already)):
                return
            conn.execute(
                insert(OperationAgency).values(operation_id=operation_id, agency_id=agency_id)
            )
            record_audit(
                conn, actor, "operation.join", "operation", operation_id, {"agency": agency}
            )

    def share_case(self, case: str, operation: str, actor: str) -> None:
        """Share ``case`` with ``operation``: every agency in it may then see the case."""
        with self.engine.begin() as conn:
            operation_id = _operation_id(conn, operation)
            case_id = conn.scalar(select(Case.id).where(Case.name == case))
            if case_id is None:
                raise SharingError(f"no case {case}")
            already = exists().where(
                CaseShare.case_id == case_id, CaseShare.operation_id == operation_id
            )
            if conn.scalar(select(already)):
                return
            conn.execute(insert(CaseShare).values(case_id=case_id, operation_id=operation_id))
            record_audit(conn, actor, "case.share", "case", case_id, {"operation": operation})


def _operation_id(conn: Connection, name: str) -> int:
    operation_id = conn.scalar(select(Operation.id).where(Operation.name == name))
    if operation_id is None:
        raise SharingError(f"no operation {name}")
    return operation_id
