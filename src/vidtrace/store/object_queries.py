"""Reading Trace an Object proposals: one with its reviews, the review queue by status and
category. Only proposals on media the viewer may see are found (``viewer`` None: all, for the
command line); the changes live in ``object_proposals``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, exists, func, select

from vidtrace.domain.viewer import Role, Viewer
from vidtrace.store.access import media_visible, visible_cases
from vidtrace.store.models import AuditEvent, ObjectReview, Occurrence, PublishedObject

STATUSES = ("proposed", "approved", "published", "rejected", "withdrawn")
AUDIT_TYPE = "object"
MOST_LISTED = 500


class ObjectError(ValueError):
    """The change cannot be made; the message says why, for the analyst."""


class ObjectNotFound(ObjectError):
    """No such object, or one the viewer may not see (the same answer for both)."""


def object_row(conn: Connection, viewer: Viewer | None, object_id: int, lock: bool = False) -> Any:
    """The object's row, or ObjectNotFound when it is missing or not visible to ``viewer``."""
    query = select(PublishedObject).where(PublishedObject.id == object_id)
    row = conn.execute(query.with_for_update() if lock else query).first()
    if row is None or (viewer is not None and not media_visible(conn, viewer, row.media_sha256)):
        raise ObjectNotFound(f"no object {object_id}")
    return row


def last_publish_error(conn: Connection, object_id: int) -> str | None:
    """The error of the latest failed attempt to send the object to the portal, if any."""
    found = conn.scalar(
        select(AuditEvent.detail)
        .where(
            AuditEvent.object_type == AUDIT_TYPE,
            AuditEvent.object_id == str(object_id),
            AuditEvent.action == "publish-object-failed",
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return str(found.get("error", "")) if isinstance(found, dict) else None


def _seen_by(viewer: Viewer | None) -> tuple[Any, ...]:
    if viewer is None or viewer.role == Role.ADMIN:
        return ()
    seen = exists().where(
        Occurrence.media_sha256 == PublishedObject.media_sha256,
        Occurrence.case_id.in_(visible_cases(viewer)),
    )
    return (seen,)


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _summary(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "public_id": row.public_id,
        "media": row.media_sha256,
        "series": row.series_id,
        "title": row.title,
        "category": row.category,
        "status": row.status,
        "proposer": row.proposer,
        "created_at": _when(row.created_at),
        "published_at": _when(row.published_at),
    }


class ObjectQueries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, viewer: Viewer | None, object_id: int) -> dict[str, Any]:
        """One proposal: its text, region, status, reviews and, while approved, the error of
        the last attempt to publish it."""
        with self.engine.connect() as conn:
            row = object_row(conn, viewer, object_id)
            reviews = conn.execute(
                select(ObjectReview)
                .where(ObjectReview.object_id == object_id)
                .order_by(ObjectReview.decided_at, ObjectReview.reviewer)
            ).all()
            pending = last_publish_error(conn, object_id) if row.status == "approved" else None
        return {
            **_summary(row),
            "description": row.description or "",
            "questions": list(row.questions or ()),
            "box": row.box,
            "polygon": row.polygon,
            "outside": row.outside,
            "reason": row.reason or "",
            "image_sha256": row.image_sha256,
            "withdrawn_at": _when(row.withdrawn_at),
            "approvals": sum(1 for r in reviews if r.decision == "approve"),
            "reviews": [
                {
                    "reviewer": r.reviewer,
                    "decision": r.decision,
                    "reason": r.reason or "",
                    "at": _when(r.decided_at),
                }
                for r in reviews
            ],
            "publish_error": pending,
        }

    def listing(
        self,
        viewer: Viewer | None,
        status: str | None = None,
        category: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Visible proposals, newest first, with how many approvals each has."""
        approvals = (
            select(func.count())
            .where(ObjectReview.object_id == PublishedObject.id, ObjectReview.decision == "approve")
            .scalar_subquery()
        )
        query = select(PublishedObject, approvals.label("approvals")).where(*_seen_by(viewer))
        if status:
            query = query.where(PublishedObject.status == status)
        if category:
            query = query.where(PublishedObject.category == category)
        query = query.order_by(PublishedObject.id.desc()).limit(min(limit, MOST_LISTED))
        with self.engine.connect() as conn:
            rows = conn.execute(query.offset(offset)).all()
        return [{**_summary(r), "approvals": r.approvals} for r in rows]

    def counts(self, viewer: Viewer | None) -> dict[str, int]:
        """How many visible proposals there are in each status."""
        query = (
            select(PublishedObject.status, func.count())
            .where(*_seen_by(viewer))
            .group_by(PublishedObject.status)
        )
        with self.engine.connect() as conn:
            found = {str(status): int(n) for status, n in conn.execute(query)}
        return {status: found.get(status, 0) for status in STATUSES}

    def awaiting_publication(self) -> list[int]:
        """Approved objects the portal has not taken yet, oldest first."""
        query = select(PublishedObject.id).where(PublishedObject.status == "approved")
        with self.engine.connect() as conn:
            return list(conn.scalars(query.order_by(PublishedObject.id)))
