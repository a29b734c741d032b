"""A series' country ranking, kept between page views.

Ranking a 5,000-member series reads and weighs all its clues, longer than a page may take, and
the answer only changes when the members or their clues do. Every writer of those refreshes the
series summary (store/series_summary.py), which bumps ``series.summary_version``; a kept
ranking is used only while it carries the current version, so nothing has to be deleted.

The version is read before the clues are: a change that commits while the ranking is being
computed leaves it with an old version, so the next view computes it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, select

from vidtrace.store.models import Series, SeriesRanking
from vidtrace.store.upsert import upsert

RankingJson = dict[str, Any]


class SeriesRankings:
    def __init__(self, engine: Engine, rank: Callable[[int], RankingJson]) -> None:
        self.engine = engine
        self.rank = rank  # series id -> the ranking as JSON, computed from its clues

    def of(self, series_id: int) -> RankingJson:
        """The series' current ranking: the kept one, or computed now and kept."""
        with self.engine.connect() as conn:
            current = conn.execute(
                select(Series.summary_version, SeriesRanking.version, SeriesRanking.ranking)
                .outerjoin(SeriesRanking, SeriesRanking.series_id == Series.id)
                .where(Series.id == series_id)
            ).one_or_none()
        if current is None:
            raise KeyError(f"no series {series_id}")
        version, kept_version, kept = current
        if kept is not None and kept_version == version:
            return dict(kept)
        ranking = self.rank(series_id)
        with self.engine.begin() as conn:
            row = {"series_id": series_id, "version": version, "ranking": ranking}
            upsert(conn, SeriesRanking.__table__, [row], ["series_id"])  # type: ignore[arg-type]
        return ranking
