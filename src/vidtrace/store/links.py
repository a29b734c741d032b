"""Stored links: written by the grouping run, read back to group, explain and show."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Engine, and_, delete, func, select
from sqlalchemy.orm import aliased

from vidtrace.domain.series import Link, LinkStrength
from vidtrace.store.models import MediaLink, SeriesMember
from vidtrace.store.upsert import insert_ignore

PAGE = 5_000


def _link(row: Any) -> Link:
    return Link(
        row.a_sha256,
        row.b_sha256,
        row.kind,
        row.score,
        row.evidence,
        LinkStrength(row.strength),
        row.linker_version,
    )


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class LinkRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, links: Iterable[Link]) -> None:
        """Store ``links``; a link already stored (same pair and kind) is kept as it was."""
        with self.engine.begin() as conn:
            for batch in _batches(links, PAGE):
                rows = [
                    {
                        "a_sha256": link.a,
                        "b_sha256": link.b,
                        "kind": link.kind,
                        "strength": str(link.strength),
                        "score": float(link.score),
                        "evidence": link.evidence,
                        "linker_version": link.linker_version,
                    }
                    for link in batch
                ]
                insert_ignore(conn, MediaLink.__table__, rows, ["a_sha256", "b_sha256", "kind"])  # type: ignore[arg-type]

    def clear(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(MediaLink))

    def all(self, strength: LinkStrength | None = None) -> Iterator[Link]:
        query = select(MediaLink).order_by(MediaLink.id)
        if strength is not None:
            query = query.where(MediaLink.strength == str(strength))
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=PAGE).execute(query)
            for row in result:
                yield _link(row)

    def touching(self, members: Sequence[str]) -> list[Link]:
        """Every link with at least one end among ``members``, strongest first."""
        found: dict[int, Link] = {}
        with self.engine.connect() as conn:
            for batch in _batches(members, 500):
                for column in (MediaLink.a_sha256, MediaLink.b_sha256):
                    for row in conn.execute(select(MediaLink).where(column.in_(batch))):
                        found[row.id] = _link(row)
        return sorted(
            found.values(),
            key=lambda ln: (ln.strength is not LinkStrength.STRONG, -ln.score, ln.a, ln.b),
        )

    def count_by_kind(self) -> dict[str, dict[str, int]]:
        """Links per kind and strength, over the whole workspace."""
        counts: dict[str, dict[str, int]] = {}
        query = select(MediaLink.kind, MediaLink.strength, func.count()).group_by(
            MediaLink.kind, MediaLink.strength
        )
        with self.engine.connect() as conn:
            for kind, strength, count in conn.execute(query):
                counts.setdefault(kind, {})[strength] = count
        return counts

    def within_series(self, only: Sequence[int] | None = None) -> dict[int, dict[str, int]]:
        """For each series (or those in ``only``), how many links of each kind hold between two
        of its members."""
        a, b = aliased(SeriesMember), aliased(SeriesMember)
        query = (
            select(a.series_id, MediaLink.kind, func.count())
            .join(a, a.media_sha256 == MediaLink.a_sha256)
            .join(b, and_(b.media_sha256 == MediaLink.b_sha256, b.series_id == a.series_id))
            .group_by(a.series_id, MediaLink.kind)
        )
        if only is not None:
            query = query.where(a.series_id.in_(list(only)))
        counts: dict[int, dict[str, int]] = {}
        with self.engine.connect() as conn:
            for series_id, kind, count in conn.execute(query):
                counts.setdefault(series_id, {})[kind] = count
        return counts
