"""Tips from the public (Trace an Object), as pulled from the portal and moderated.

A tip is stored once, keyed by the portal's ``portal_seq``: pulling the same page twice stores
nothing new. Moderation moves a tip from ``new`` to ``useful``, ``duplicate``, ``spam`` or
``forwarded``; a moderator may correct a decision later. Each change is written in one
transaction with its audit record, and says who made it and when (``moderator``,
``moderated_at``). A viewer sees the tips about objects cropped from media they may see.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, func, select, true, update
from sqlalchemy.dialects import postgresql, sqlite

from vidtrace.domain.viewer import Role, Viewer
from vidtrace.store.access import visible_cases
from vidtrace.store.audit import record_audit
from vidtrace.store.models import Occurrence, PublishedObject, Tip, utcnow

STATUSES = ("new", "useful", "duplicate", "spam", "forwarded")
DECISIONS = STATUSES[1:]  # what a moderator may mark a tip as


class TipError(ValueError):
    """A moderation change that cannot be made; the message says why."""


@dataclass(frozen=True)
class NewTip:
    """A tip from the portal, its object found and its cluster chosen, ready to store."""

    portal_seq: int
    object_id: int
    text: str
    country: str | None
    place: str | None
    email: str | None
    language: str | None
    received_at: datetime
    spam_signs: tuple[str, ...]
    cluster_key: str


@dataclass(frozen=True)
class StoredTip:
    """A stored tip as clustering sees it."""

    object_id: int
    cluster_key: str
    text: str
    place: str | None
    country: str | None


@dataclass(frozen=True)
class TipChange:
    """A moderation decision: the status ``before`` and ``after`` (equal when nothing
    changed), and the tip's clue, if it has one."""

    tip_id: int
    before: str
    after: str
    clue_id: int | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


class TipStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def highest_seq(self) -> int:
        """The portal's number of the newest tip stored (0 when none): the next pull asks for
        tips after it."""
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.max(Tip.portal_seq))) or 0)

    def object_ids(self, public_ids: Iterable[str]) -> dict[str, int]:
        """Public id -> ``published_object.id``, for those of ``public_ids`` we published."""
        wanted = sorted(set(public_ids))
        if not wanted:
            return {}
        query = select(PublishedObject.public_id, PublishedObject.id).where(
            PublishedObject.public_id.in_(wanted)
        )
        with self.engine.connect() as conn:
            return {row.public_id: row.id for row in conn.execute(query)}

    def stored_for_clustering(self, object_ids: Iterable[int]) -> list[StoredTip]:
        """The tips already stored about these objects, oldest first."""
        wanted = sorted(set(object_ids))
        if not wanted:
            return []
        query = (
            select(Tip.object_id, Tip.cluster_key, Tip.text, Tip.place, Tip.country)
            .where(Tip.object_id.in_(wanted), Tip.cluster_key.is_not(None))
            .order_by(Tip.portal_seq)
        )
        with self.engine.connect() as conn:
            return [
                StoredTip(r.object_id, r.cluster_key, r.text or "", r.place, r.country)
                for r in conn.execute(query)
            ]

    def save(self, tips: Sequence[NewTip], actor: str) -> int:
        """Store the tips not stored yet; returns how many were new. Storing any is audited
        (``tips.pull``, with the range of portal numbers) in the same transaction."""
        if not tips:
            return 0
        rows = [_row(tip) for tip in tips]
        with self.engine.begin() as conn:
            insert = _insert(conn).on_conflict_do_nothing(index_elements=["portal_seq"])
            stored = sorted(conn.scalars(insert.returning(Tip.portal_seq), rows).all())
            if stored:
                detail = {"stored": len(stored), "first_seq": stored[0], "last_seq": stored[-1]}
                record_audit(conn, actor, "tips.pull", "portal", "tips", detail)
        return len(stored)

    def mark(self, tip_id: int, status: str, moderator: str) -> TipChange:
        """Set a tip's moderation status; marking the status it has changes nothing."""
        if status not in DECISIONS:
            raise TipError(f"unknown decision {status!r}; one of {', '.join(DECISIONS)}")
        if not moderator:
            raise TipError("a decision needs the moderator's name")
        with self.engine.begin() as conn:
            query = select(Tip.status, Tip.clue_id).where(Tip.id == tip_id).with_for_update()
            found = conn.execute(query).one_or_none()
            if found is None:
                raise TipError(f"no tip {tip_id}")
            before = found.status or "new"
            if before != status:
                conn.execute(
                    update(Tip)
                    .where(Tip.id == tip_id)
                    .values(status=status, moderator=moderator, moderated_at=utcnow())
                )
                detail = {"from": before, "to": status}
                record_audit(conn, moderator, "tip.mark", "tip", tip_id, detail)
        return TipChange(tip_id, before, status, found.clue_id)

    def link_clue(self, tip_id: int, clue_id: int) -> bool:
        """Record the tip's clue unless it has one already (another request made it first);
        whether this one was recorded."""
        with self.engine.begin() as conn:
            done = conn.execute(
                update(Tip).where(Tip.id == tip_id, Tip.clue_id.is_(None)).values(clue_id=clue_id)
            )
            return done.rowcount == 1

    def get(self, tip_id: int) -> dict[str, Any] | None:
        """A tip with its object's title, media item and series as proposed."""
        query = with_object().where(Tip.id == tip_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).one_or_none()
        return None if row is None else dict(row._mapping)

    def visible(self, viewer: Viewer, tip_id: int) -> bool:
        """Whether the tip exists and is about an object ``viewer`` may see."""
        query = select(Tip.id).join(PublishedObject, about_object)
        with self.engine.connect() as conn:
            found = conn.scalar(query.where(Tip.id == tip_id, seen_by(viewer)))
        return found is not None


about_object = PublishedObject.id == Tip.object_id


def seen_by(viewer: Viewer) -> ColumnElement[bool]:
    """Objects (``published_object`` rows) cropped from media ``viewer`` may see."""
    if viewer.role == Role.ADMIN:
        return true()
    media = select(Occurrence.media_sha256).where(Occurrence.case_id.in_(visible_cases(viewer)))
    return PublishedObject.media_sha256.in_(media)


def with_object() -> Any:
    return select(
        Tip.__table__,
        PublishedObject.title,
        PublishedObject.public_id,
        PublishedObject.media_sha256,
        PublishedObject.series_id,
    ).join(PublishedObject, about_object)


def _row(tip: NewTip) -> dict[str, Any]:
    return {
        "portal_seq": tip.portal_seq,
        "object_id": tip.object_id,
        "text": tip.text,
        "country": tip.country,
        "place": tip.place,
        "email": tip.email,
        "language": tip.language,
        "received_at": tip.received_at,
        "spam_signs": list(tip.spam_signs),
        "status": "new",
        "cluster_key": tip.cluster_key,
    }


def _insert(conn: Connection) -> Any:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(Tip)
    return sqlite.insert(Tip)
