"""Analysts' decisions on series: merge, split, move, lock, unlock, name.

Each decision is one transaction with its audit record, marks the series it touched as
``decided`` (so a rebuild keeps them), and records what the grouping must respect: pinned
members for a move, a split-apart pair for a split, the lock flag.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, case, delete, func, insert, select, update

from vidtrace.store.audit import record_audit
from vidtrace.store.models import Media, Series, SeriesApart, SeriesMember, utcnow
from vidtrace.store.series_store import fold_apart, new_series_ids
from vidtrace.store.series_summary import refresh_series_summary
from vidtrace.store.upsert import upsert


class SeriesEditError(ValueError):
    """The decision cannot be applied; the message says why, for the analyst."""


def refresh_series(conn: Connection, series_ids: Sequence[int]) -> None:
    """Recount size and choose the representative (image first, best PDQ quality)."""
    for sid in series_ids:
        size = conn.scalar(
            select(func.count()).select_from(SeriesMember).where(SeriesMember.series_id == sid)
        )
        best = conn.scalar(
            select(Media.sha256)
            .join(SeriesMember, SeriesMember.media_sha256 == Media.sha256)
            .where(SeriesMember.series_id == sid)
            .order_by(
                case((Media.kind == "video", 1), else_=0),
                func.coalesce(Media.pdq_quality, -1).desc(),
                (func.coalesce(Media.width, 0) * func.coalesce(Media.height, 0)).desc(),
                Media.sha256,
            )
            .limit(1)
        )
        conn.execute(
            update(Series)
            .where(Series.id == sid)
            .values(size=size or 0, representative=best, decided=True, updated_at=utcnow())
        )
    refresh_series_summary(conn, series_ids)


class SeriesEdits:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _live(self, conn: Connection, series_id: int, *, unlocked: bool = True) -> Any:
        row = conn.execute(select(Series).where(Series.id == series_id)).first()
        if row is None:
            raise SeriesEditError(f"there is no series {series_id}")
        if row.merged_into is not None:
            raise SeriesEditError(f"series {series_id} was merged into series {row.merged_into}")
        if unlocked and row.locked:
            raise SeriesEditError(f"series {series_id} is locked; unlock it first")
        return row

    @staticmethod
    def _members(conn: Connection, series_id: int) -> set[str]:
        query = select(SeriesMember.media_sha256).where(SeriesMember.series_id == series_id)
        return set(conn.scalars(query))

    def merge(self, series_ids: Sequence[int], actor: str) -> int:
        """Fold the series into the one with the smallest id; that id."""
        ids = sorted(set(series_ids))
        if len(ids) < 2:
            raise SeriesEditError("merging takes two series or more")
        with self.engine.begin() as conn:
            for sid in ids:
                self._live(conn, sid)
            target, others = ids[0], ids[1:]
            conn.execute(
                update(SeriesMember)
                .where(SeriesMember.series_id.in_(others))
                .values(series_id=target)
            )
            conn.execute(
                update(Series)
                .where(Series.id.in_(others))
                .values(merged_into=target, size=0, representative=None, decided=True)
            )
            conn.execute(
                delete(SeriesApart).where(
                    SeriesApart.series_a.in_(ids), SeriesApart.series_b.in_(ids)
                )
            )
            fold_apart(conn, dict.fromkeys(others, target))
            refresh_series(conn, [target])
            refresh_series_summary(conn, others)  # now empty: their cases go
            record_audit(conn, actor, "series.merge", "series", target, {"merged": others})
        return target

    def split(self, series_id: int, members: Sequence[str], actor: str) -> int:
        """Move ``members`` out into a new series kept apart from this one; the new id."""
        chosen = set(members)
        with self.engine.begin() as conn:
            self._live(conn, series_id)
            current = self._members(conn, series_id)
            if not chosen or not chosen <= current:
                missing = sorted(chosen - current)[:3]
                raise SeriesEditError(f"not members of series {series_id}: {missing}")
            if chosen == current:
                raise SeriesEditError("a split leaves at least one member behind")
            (new_id,) = new_series_ids(conn, 1)
            conn.execute(insert(Series).values(id=new_id, decided=True, links_by_kind={}))
            conn.execute(
                update(SeriesMember)
                .where(SeriesMember.media_sha256.in_(sorted(chosen)))
                .values(series_id=new_id)
            )
            a, b = sorted((series_id, new_id))
            conn.execute(insert(SeriesApart).values(series_a=a, series_b=b))
            refresh_series(conn, [series_id, new_id])
            detail = {"into": new_id, "members": sorted(chosen)}
            record_audit(conn, actor, "series.split", "series", series_id, detail)
        return new_id

    def move(self, media: Sequence[str], series_id: int, actor: str) -> list[int]:
        """Put ``media`` into ``series_id`` and pin them there; the series they came from."""
        keys = sorted(set(media))
        with self.engine.begin() as conn:
            self._live(conn, series_id)
            known = set(conn.scalars(select(Media.sha256).where(Media.sha256.in_(keys))))
            if unknown := [k for k in keys if k not in known]:
                raise SeriesEditError(f"no media {unknown[0]}")
            sources = sorted(
                set(
                    conn.scalars(
                        select(SeriesMember.series_id).where(SeriesMember.media_sha256.in_(keys))
                    )
                )
                - {series_id}
            )
            for sid in sources:
                self._live(conn, sid)
            rows = [{"media_sha256": k, "series_id": series_id, "pinned": True} for k in keys]
            upsert(conn, SeriesMember.__table__, rows, ["media_sha256"])  # type: ignore[arg-type]
            refresh_series(conn, [series_id, *sources])
            detail = {"media": keys, "from": sources}
            record_audit(conn, actor, "series.move", "series", series_id, detail)
        return sources

    def set_locked(self, series_id: int, locked: bool, actor: str) -> None:
        with self.engine.begin() as conn:
            self._live(conn, series_id, unlocked=False)
            conn.execute(
                update(Series).where(Series.id == series_id).values(locked=locked, decided=True)
            )
            action = "series.lock" if locked else "series.unlock"
            record_audit(conn, actor, action, "series", series_id)

    def rename(self, series_id: int, name: str, actor: str) -> None:
        with self.engine.begin() as conn:
            old = self._live(conn, series_id, unlocked=False).name
            conn.execute(
                update(Series).where(Series.id == series_id).values(name=name, decided=True)
            )
            record_audit(
                conn, actor, "series.name", "series", series_id, {"name": name, "was": old}
            )
