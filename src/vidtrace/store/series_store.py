"""Series as the grouping writes them: seeds to start from, and the groups found, applied."""

from __future__ import annotations

from collections import Counter as Tally
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, delete, insert, select, update

from vidtrace.domain.series import SeedSeries, SeriesGroup
from vidtrace.store.counters import reserve
from vidtrace.store.models import Series, SeriesApart, SeriesMember, utcnow
from vidtrace.store.series_summary import refresh_series_summary
from vidtrace.store.upsert import upsert

SERIES_ID = "series_id"
PAGE = 5_000


@dataclass
class GroupingChanges:
    created: list[int] = field(default_factory=list)
    merged: dict[int, int] = field(default_factory=dict)  # folded series -> the one it joined
    dissolved: list[int] = field(default_factory=list)  # rebuilt away (no decision held them)
    moved_media: int = 0


def new_series_ids(conn: Connection, count: int) -> list[int]:
    """``count`` fresh series ids, reserved in the counter table so writers never collide."""
    if count == 0:
        return []
    floor = conn.scalar(select(Series.id).order_by(Series.id.desc()).limit(1)) or 0
    first = reserve(conn, SERIES_ID, count, floor)
    return list(range(first, first + count))


def fold_apart(conn: Connection, merged: dict[int, int]) -> None:
    """Series folded into others hand their split-apart pairs to the series they joined."""
    if not merged:
        return
    pairs = conn.execute(select(SeriesApart.series_a, SeriesApart.series_b)).all()
    folded = {
        (min(x, y), max(x, y))
        for a, b in pairs
        if (x := merged.get(a, a)) != (y := merged.get(b, b))
    }
    conn.execute(delete(SeriesApart))
    if folded:
        conn.execute(
            insert(SeriesApart),
            [{"series_a": a, "series_b": b} for a, b in sorted(folded)],
        )


class SeriesStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def seeds(self, decided_only: bool = False) -> list[SeedSeries]:
        """The live series with their members; only those an analyst decided on if asked."""
        members: dict[int, set[str]] = defaultdict(set)
        pinned: dict[int, set[str]] = defaultdict(set)
        query = (
            select(SeriesMember.series_id, SeriesMember.media_sha256, SeriesMember.pinned)
            .join(Series, Series.id == SeriesMember.series_id)
            .where(Series.merged_into.is_(None))
        )
        if decided_only:
            query = query.where(Series.decided)
        with self.engine.connect() as conn:
            for series_id, sha256, is_pinned in conn.execute(query):
                members[series_id].add(sha256)
                if is_pinned:
                    pinned[series_id].add(sha256)
            flags = conn.execute(
                select(Series.id, Series.locked, Series.decided).where(
                    Series.merged_into.is_(None), Series.size > 0
                )
            ).all()
        return [
            SeedSeries(sid, frozenset(members[sid]), locked, frozenset(pinned[sid]))
            for sid, locked, decided in flags
            if members[sid] and (decided or not decided_only)
        ]

    def apart(self) -> frozenset[tuple[int, int]]:
        with self.engine.connect() as conn:
            return frozenset(
                (min(a, b), max(a, b))
                for a, b in conn.execute(select(SeriesApart.series_a, SeriesApart.series_b))
            )

    def apply(
        self,
        groups: Sequence[SeriesGroup],
        representative: Callable[[set[str]], str],
        rebuild: bool = False,
    ) -> GroupingChanges:
        """Write the groups: seeds keep the smallest id, folded seeds point to it, and on a
        rebuild a new group takes back the old series that shared most of its members."""
        changes = GroupingChanges()
        with self.engine.begin() as conn:
            current = dict(
                conn.execute(select(SeriesMember.media_sha256, SeriesMember.series_id)).all()
            )
            decided = dict(
                conn.execute(
                    select(Series.id, Series.decided).where(Series.merged_into.is_(None))
                ).all()
            )
            ids = self._assign_ids(conn, groups, current, decided, rebuild, changes)
            self._write_series(conn, groups, ids, representative, changes)
            wanted = {key: ids[i] for i, group in enumerate(groups) for key in group.members}
            moved = [
                {"media_sha256": k, "series_id": s}
                for k, s in wanted.items()
                if current.get(k) != s
            ]
            for start in range(0, len(moved), PAGE):
                upsert(conn, SeriesMember.__table__, moved[start : start + PAGE], ["media_sha256"])  # type: ignore[arg-type]
            freed = [key for key in current if key not in wanted]
            for start in range(0, len(freed), PAGE):
                conn.execute(
                    delete(SeriesMember).where(
                        SeriesMember.media_sha256.in_(freed[start : start + PAGE])
                    )
                )
            changes.moved_media = len(moved) + len(freed)
            fold_apart(conn, changes.merged)
            kept = set(ids) | set(changes.merged)
            stale = [sid for sid in decided if sid not in kept]
            # All series, not only those regrouped: occurrences found since the last run may
            # have put unchanged series in new cases. Before the delete: the summary refers to them.
            refresh_series_summary(conn, None)
            if rebuild and stale:
                changes.dissolved = [sid for sid in stale if not decided[sid]]
                conn.execute(delete(Series).where(Series.id.in_(changes.dissolved)))
        return changes

    def _assign_ids(
        self,
        conn: Connection,
        groups: Sequence[SeriesGroup],
        current: dict[str, int],
        decided: dict[int, bool],
        rebuild: bool,
        changes: GroupingChanges,
    ) -> list[int]:
        ids: list[int | None] = [None] * len(groups)
        taken: set[int] = set()
        for i, group in enumerate(groups):
            if group.seed_ids:
                ids[i] = group.seed_ids[0]
                taken.update(group.seed_ids)
                changes.merged.update({other: group.seed_ids[0] for other in group.seed_ids[1:]})
        if rebuild:
            order = sorted(
                (i for i in range(len(groups)) if ids[i] is None),
                key=lambda i: (-len(groups[i].members), min(groups[i].members)),
            )
            for i in order:
                tally = Tally(
                    sid
                    for key in groups[i].members
                    if (sid := current.get(key)) is not None
                    and sid not in taken
                    and not decided.get(sid, True)
                )
                if tally:
                    best = min(tally, key=lambda sid: (-tally[sid], sid))
                    ids[i] = best
                    taken.add(best)
        fresh = iter(new_series_ids(conn, sum(1 for sid in ids if sid is None)))
        for i, sid in enumerate(ids):
            if sid is None:
                ids[i] = next(fresh)
                changes.created.append(ids[i])  # type: ignore[arg-type]
        return [sid for sid in ids if sid is not None]

    def _write_series(
        self,
        conn: Connection,
        groups: Sequence[SeriesGroup],
        ids: list[int],
        representative: Callable[[set[str]], str],
        changes: GroupingChanges,
    ) -> None:
        now = utcnow()
        rows = [
            {
                "id": sid,
                "size": len(group.members),
                "representative": representative(group.members),
                "updated_at": now,
            }
            for sid, group in zip(ids, groups, strict=True)
        ]
        created = set(changes.created)
        existing = [row for row in rows if row["id"] not in created]
        for row in existing:
            conn.execute(
                update(Series)
                .where(Series.id == row["id"])
                .values(size=row["size"], representative=row["representative"], updated_at=now)
            )
        new_rows = [
            {**row, "created_at": now, "links_by_kind": {}} for row in rows if row["id"] in created
        ]
        for start in range(0, len(new_rows), PAGE):
            conn.execute(insert(Series), new_rows[start : start + PAGE])
        for gone, kept in changes.merged.items():
            conn.execute(
                update(Series)
                .where(Series.id == gone)
                .values(merged_into=kept, size=0, representative=None, updated_at=now)
            )

    def set_explanations(
        self, counts: dict[int, dict[str, int]], only: Sequence[int] | None = None
    ) -> None:
        """Store each live series' link counts per kind (LinkRepository.within_series)."""
        query = select(Series.id, Series.links_by_kind).where(Series.merged_into.is_(None))
        if only is not None:
            query = query.where(Series.id.in_(list(only)))
        with self.engine.begin() as conn:
            live = conn.execute(query).all()
            for sid, stored in live:
                wanted = counts.get(sid, {})
                if (stored or {}) != wanted:
                    conn.execute(
                        update(Series).where(Series.id == sid).values(links_by_kind=wanted)
                    )
