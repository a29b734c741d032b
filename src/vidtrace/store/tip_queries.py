"""Reading tips for the moderation queue: a page of tips, similar ones together, and the
counts of tips per object and per series."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from vidtrace.domain.viewer import Viewer
from vidtrace.store.models import PublishedObject, Series, SeriesMember, Tip
from vidtrace.store.tips import about_object, seen_by, with_object

PER_PAGE = 100


class TipQueries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def page(
        self,
        viewer: Viewer,
        status: str | None = None,
        object_id: int | None = None,
        page: int = 1,
        per_page: int = PER_PAGE,
    ) -> dict[str, Any]:
        """One page of the tips ``viewer`` may see, similar ones together (by cluster, then
        as received), each with its cluster's size; ``total`` counts every matching tip."""
        filters = [seen_by(viewer)]
        if status:
            filters.append(Tip.status == status)
        if object_id is not None:
            filters.append(Tip.object_id == object_id)
        counted = select(func.count()).select_from(Tip).join(PublishedObject, about_object)
        shown = with_object().where(*filters).order_by(Tip.cluster_key, Tip.portal_seq)
        with self.engine.connect() as conn:
            total = conn.scalar(counted.where(*filters)) or 0
            rows = conn.execute(shown.limit(per_page).offset((page - 1) * per_page)).all()
            keys = sorted({row.cluster_key for row in rows if row.cluster_key})
            sizes = dict(
                conn.execute(
                    select(Tip.cluster_key, func.count())
                    .where(Tip.cluster_key.in_(keys))
                    .group_by(Tip.cluster_key)
                ).all()
            )
            series = _series_of(conn, [(row.media_sha256, row.series_id) for row in rows])
        tips = [
            tip_json(row, sizes.get(row.cluster_key, 1), now)
            for row, now in zip(rows, series, strict=True)
        ]
        return {"total": total, "page": page, "per_page": per_page, "tips": tips}

    def counts(self, viewer: Viewer) -> dict[str, list[dict[str, Any]]]:
        """Tips in all, new and useful, per object (published or with tips) and per series
        (as it is now), for the objects ``viewer`` may see."""
        query = (
            select(
                PublishedObject.id,
                PublishedObject.title,
                PublishedObject.public_id,
                PublishedObject.status,
                PublishedObject.media_sha256,
                PublishedObject.series_id,
                func.count(Tip.id).label("total"),
                func.count(Tip.id).filter(Tip.status == "new").label("new"),
                func.count(Tip.id).filter(Tip.status == "useful").label("useful"),
            )
            .outerjoin(Tip, about_object)
            .where(seen_by(viewer))
            .group_by(PublishedObject.id)
            .having((func.count(Tip.id) > 0) | (PublishedObject.status == "published"))
            .order_by(PublishedObject.id)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            series = _series_of(conn, [(row.media_sha256, row.series_id) for row in rows])
        objects: list[dict[str, Any]] = []
        by_series: dict[int, dict[str, int]] = {}
        for row, now in zip(rows, series, strict=True):
            figures = {"total": row.total, "new": row.new, "useful": row.useful}
            objects.append(
                {"id": row.id, "title": row.title, "public_id": row.public_id,
                 "status": row.status, "series": now, **figures}
            )  # fmt: skip
            if now is not None:
                summed = by_series.setdefault(
                    now, {"series": now, "total": 0, "new": 0, "useful": 0}
                )
                for name, value in figures.items():
                    summed[name] += value
        return {"objects": objects, "series": [by_series[key] for key in sorted(by_series)]}


def tip_json(row: Any, cluster_size: int, series: int | None) -> dict[str, Any]:
    """A tip as the queue, ``/api/tips`` and ``vidtrace tips list --json`` show it."""
    return {
        "id": row.id,
        "seq": row.portal_seq,
        "object": {"id": row.object_id, "title": row.title, "public_id": row.public_id},
        "media": row.media_sha256,
        "series": series,
        "text": row.text,
        "country": row.country,
        "place": row.place,
        "email": row.email,
        "language": row.language,
        "received_at": _iso(row.received_at),
        "spam_signs": list(row.spam_signs or ()),
        "status": row.status,
        "cluster": row.cluster_key,
        "cluster_size": cluster_size,
        "moderator": row.moderator,
        "moderated_at": _iso(row.moderated_at),
        "clue_id": row.clue_id,
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _series_of(conn: Connection, objects: Sequence[tuple[str, int | None]]) -> list[int | None]:
    """For each (media item, series when proposed): the series now. Without a noted series,
    the one the media item is in."""
    now = series_now(conn, [s for _, s in objects if s is not None])
    loose = sorted({media for media, s in objects if s is None})
    members: dict[str, int] = {}
    if loose:
        query = select(SeriesMember.media_sha256, SeriesMember.series_id)
        members = dict(conn.execute(query.where(SeriesMember.media_sha256.in_(loose))).all())
    return [now[s] if s is not None else members.get(media) for media, s in objects]


def series_now(conn: Connection, series_ids: Iterable[int]) -> dict[int, int]:
    """Each series -> the series it is now: itself, or the one it was merged into since."""
    now = {series_id: series_id for series_id in set(series_ids)}
    for _ in range(64):  # merges chain; a cycle would be a bug, not a reason to hang
        query = select(Series.id, Series.merged_into).where(
            Series.id.in_(set(now.values())), Series.merged_into.is_not(None)
        )
        merged = {start: end for start, end in conn.execute(query) if end is not None}
        if not merged:
            break
        now = {start: merged.get(end, end) for start, end in now.items()}
    return now
