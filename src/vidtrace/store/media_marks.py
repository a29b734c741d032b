"""Marks on media rows that say which runs have seen them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, or_, update

from vidtrace.store.link_corpus import groupable
from vidtrace.store.models import Media


def mark_linked(engine: Engine, generation: int, before: float) -> int:
    """Mark every groupable media item ingested before ``before`` (POSIX seconds) as linked at
    ``generation``; media ingested while the run went on stay new for the next run."""
    cutoff = datetime.fromtimestamp(before, UTC)
    with engine.begin() as conn:
        result = conn.execute(
            update(Media)
            .where(
                groupable(),
                Media.ingested_at <= cutoff,
                or_(Media.linked_generation.is_(None), Media.linked_generation != generation),
            )
            .values(linked_generation=generation)
        )
        return int(result.rowcount or 0)
