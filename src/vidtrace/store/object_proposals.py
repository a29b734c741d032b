"""Objects proposed for Trace an Object, their four-eyes review, publication and withdrawal.

Each change is one transaction with its audit record (object type "object"). A proposal is
visible to whoever may see its media item; anyone else is told it does not exist, exactly
like a missing one. The way through (ADR 008):
``proposed -> approved`` (the second approval by a distinct reviewer, not the proposer)
``-> published`` (once the portal accepted it) ``-> withdrawn`` (an admin, with a reason);
``proposed`` or ``approved`` ``-> rejected`` (any reviewer, with a reason). Who holds the
review permission is the caller's check; the rules on who approves what are kept here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from vidtrace.domain.viewer import Viewer
from vidtrace.store.access import media_visible
from vidtrace.store.audit import record_audit
from vidtrace.store.models import (
    Derivative,
    Media,
    ObjectReview,
    PublishedObject,
    SeriesMember,
    utcnow,
)
from vidtrace.store.object_queries import (
    AUDIT_TYPE,
    ObjectError,
    ObjectNotFound,
    object_row,
)

__all__ = ["ObjectDraft", "ObjectError", "ObjectNotFound", "ObjectProposals", "Publishable"]

APPROVALS_NEEDED = 2
MAX_REASON = 2_000


@dataclass(frozen=True)
class ObjectDraft:
    """A proposal as the proposer made it, its sanitised rendering already in the vault."""

    media_sha256: str
    title: str
    description: str
    questions: tuple[str, ...]
    category: str
    box: tuple[float, float, float, float]
    polygon: tuple[tuple[float, float], ...] | None
    outside: str
    image_sha256: str


@dataclass(frozen=True)
class PictureSource:
    """The vault file a proposal on a media item is cut from: the original of an image, the
    first keyframe of a video (what the viewer shows and the analyst marked)."""

    vault_sha256: str
    mime: str
    size: tuple[int, int] | None
    keyframe: bool


@dataclass(frozen=True)
class Publishable:
    object_id: int
    public_id: str
    title: str
    description: str
    questions: tuple[str, ...]
    category: str
    image_sha256: str


def _reason(reason: str, what: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ObjectError(f"say why you {what}: the reason is kept with the object")
    if len(reason) > MAX_REASON:
        raise ObjectError(f"a reason holds at most {MAX_REASON:,} characters")
    return reason


class ObjectProposals:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def picture_source(self, viewer: Viewer, sha256: str) -> PictureSource:
        """Where to cut a proposal on ``sha256`` from; ObjectNotFound when not visible."""
        with self.engine.connect() as conn:
            if not media_visible(conn, viewer, sha256):
                raise ObjectNotFound("no such media item")
            media = conn.execute(
                select(Media.kind, Media.mime, Media.width, Media.height).where(
                    Media.sha256 == sha256
                )
            ).one()
            if media.kind == "image":
                size = (media.width, media.height) if media.width and media.height else None
                return PictureSource(sha256, media.mime or "", size, keyframe=False)
            if media.kind != "video":
                raise ObjectError("only pictures and video keyframes can be proposed as objects")
            frame = conn.execute(
                select(Derivative).where(
                    Derivative.media_sha256 == sha256, Derivative.role == "thumbnail"
                )
            ).first()
        if frame is None:
            raise ObjectError("this video has no keyframe to cut an object from")
        size = (frame.width, frame.height) if frame.width and frame.height else None
        return PictureSource(frame.vault_sha256, frame.mime, size, keyframe=True)

    def propose(self, viewer: Viewer, draft: ObjectDraft, public_id: str) -> int:
        """Store a proposal by ``viewer``; its id."""
        with self.engine.begin() as conn:
            if not media_visible(conn, viewer, draft.media_sha256):
                raise ObjectNotFound("no such media item")
            series = conn.scalar(
                select(SeriesMember.series_id).where(
                    SeriesMember.media_sha256 == draft.media_sha256
                )
            )
            key = conn.execute(
                insert(PublishedObject).values(
                    public_id=public_id,
                    media_sha256=draft.media_sha256,
                    series_id=series,
                    box=list(draft.box),
                    polygon=[list(p) for p in draft.polygon] if draft.polygon else None,
                    outside=draft.outside,
                    title=draft.title,
                    description=draft.description,
                    questions=list(draft.questions),
                    category=draft.category,
                    proposer=viewer.name,
                    status="proposed",
                    image_sha256=draft.image_sha256,
                )
            ).inserted_primary_key
            assert key is not None
            object_id = int(key[0])
            detail = {"media": draft.media_sha256, "image": draft.image_sha256, "series": series}
            self._audit(conn, viewer.name, "propose-object", object_id, detail)
        return object_id

    def approve(self, viewer: Viewer, object_id: int) -> str:
        """Record ``viewer``'s approval; the status after it ("approved" on the second)."""
        with self.engine.begin() as conn:
            row = self._locked(conn, viewer, object_id)
            if row.status != "proposed":
                raise ObjectError(f"object {object_id} is {row.status}: nothing to approve")
            if row.proposer == viewer.name:
                raise ObjectError("you proposed this object: two other reviewers must approve it")
            if self._review_of(conn, object_id, viewer.name) is not None:
                raise ObjectError("you have already reviewed this object: another reviewer must")
            conn.execute(
                insert(ObjectReview).values(
                    object_id=object_id, reviewer=viewer.name, decision="approve"
                )
            )
            approvals = conn.scalar(
                select(func.count()).where(
                    ObjectReview.object_id == object_id, ObjectReview.decision == "approve"
                )
            )
            status = "approved" if (approvals or 0) >= APPROVALS_NEEDED else "proposed"
            if status != row.status:
                conn.execute(
                    update(PublishedObject)
                    .where(PublishedObject.id == object_id)
                    .values(status=status)
                )
            detail = {"approvals": approvals, "status": status}
            self._audit(conn, viewer.name, "approve-object", object_id, detail)
        return status

    def reject(self, viewer: Viewer, object_id: int, reason: str) -> None:
        """End a proposal (proposed, or approved and not yet published) with a reason. A
        reviewer who approved earlier may still stop it."""
        reason = _reason(reason, "reject it")
        with self.engine.begin() as conn:
            row = self._locked(conn, viewer, object_id)
            if row.status not in ("proposed", "approved"):
                raise ObjectError(f"object {object_id} is {row.status}: it cannot be rejected")
            review = {"decision": "reject", "reason": reason, "decided_at": utcnow()}
            if self._review_of(conn, object_id, viewer.name) is None:
                conn.execute(
                    insert(ObjectReview).values(object_id=object_id, reviewer=viewer.name, **review)
                )
            else:
                conn.execute(
                    update(ObjectReview)
                    .where(ObjectReview.object_id == object_id)
                    .where(ObjectReview.reviewer == viewer.name)
                    .values(**review)
                )
            self._set(conn, object_id, status="rejected", reason=reason)
            detail = {"from": row.status, "reason": reason}
            self._audit(conn, viewer.name, "reject-object", object_id, detail)

    def publishable(self, object_id: int) -> Publishable:
        """What the portal is sent for an approved object; ObjectError otherwise."""
        with self.engine.connect() as conn:
            row = object_row(conn, None, object_id)
        if row.status != "approved" or not row.image_sha256:
            raise ObjectError(f"object {object_id} is {row.status}: only an approved one is sent")
        return Publishable(
            row.id,
            row.public_id,
            row.title,
            row.description or "",
            tuple(row.questions or ()),
            row.category,
            row.image_sha256,
        )

    def mark_published(self, object_id: int, actor: str, at: datetime) -> None:
        """The portal accepted the object: approved -> published."""
        with self.engine.begin() as conn:
            row = self._locked(conn, None, object_id)
            if row.status != "approved":
                raise ObjectError(f"object {object_id} became {row.status} while it was sent")
            self._set(conn, object_id, status="published", published_at=at)
            detail = {"public_id": row.public_id, "image": row.image_sha256}
            self._audit(conn, actor, "publish-object", object_id, detail)

    def record_publish_failure(self, object_id: int, actor: str, error: str) -> None:
        """The portal could not take it: the object stays approved; the attempt is audited."""
        with self.engine.begin() as conn:
            self._audit(conn, actor, "publish-object-failed", object_id, {"error": error[:500]})

    def check_withdrawable(self, viewer: Viewer | None, object_id: int) -> str:
        """The public id of an object that may be withdrawn; ObjectError otherwise."""
        with self.engine.connect() as conn:
            row = object_row(conn, viewer, object_id)
        if row.status not in ("published", "approved"):
            raise ObjectError(f"object {object_id} is {row.status}: it is not on the portal")
        return str(row.public_id)

    def withdraw(self, viewer: Viewer, object_id: int, reason: str) -> None:
        """Mark an object withdrawn (the portal has already removed it), with a reason."""
        reason = _reason(reason, "withdraw it")
        with self.engine.begin() as conn:
            row = self._locked(conn, viewer, object_id)
            if row.status not in ("published", "approved"):
                raise ObjectError(f"object {object_id} is {row.status}: it is not on the portal")
            self._set(conn, object_id, status="withdrawn", reason=reason, withdrawn_at=utcnow())
            detail = {"from": row.status, "reason": reason, "public_id": row.public_id}
            self._audit(conn, viewer.name, "withdraw-object", object_id, detail)

    def audit_preview_view(self, viewer: Viewer, object_id: int, client: str | None) -> str:
        """Audit a view of the clear preview (committed on return); the image's vault hash."""
        with self.engine.begin() as conn:
            row = object_row(conn, viewer, object_id)
            if not row.image_sha256:
                raise ObjectNotFound(f"object {object_id} has no rendering")
            record_audit(
                conn,
                viewer.name,
                "view-object-preview",
                AUDIT_TYPE,
                object_id,
                {"image": row.image_sha256},
                agency=viewer.agency,
                client=client,
            )
        return str(row.image_sha256)

    # -- helpers -----------------------------------------------------------------------

    def _locked(self, conn: Connection, viewer: Viewer | None, object_id: int) -> Any:
        """The row, locked for this transaction on PostgreSQL (SQLite serialises writers), so
        two reviewers approving at once both count."""
        return object_row(conn, viewer, object_id, lock=True)

    @staticmethod
    def _review_of(conn: Connection, object_id: int, reviewer: str) -> str | None:
        return conn.scalar(
            select(ObjectReview.decision).where(
                ObjectReview.object_id == object_id, ObjectReview.reviewer == reviewer
            )
        )

    @staticmethod
    def _set(conn: Connection, object_id: int, **values: Any) -> None:
        conn.execute(
            update(PublishedObject).where(PublishedObject.id == object_id).values(**values)
        )

    @staticmethod
    def _audit(
        conn: Connection, actor: str, action: str, object_id: int, detail: dict[str, Any]
    ) -> None:
        record_audit(conn, actor, action, AUDIT_TYPE, object_id, detail)
