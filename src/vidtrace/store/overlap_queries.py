"""Read model for ``vidtrace overlaps``: series and binaries found in more than one case.

A series overlaps when its members were seized in two cases or more, or by two agencies or
more: the Taskforce's first question, so that officers can combine efforts. The same binary in
two cases is counted too, case pair by case pair.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

from sqlalchemy import Engine, func, select

from vidtrace.store.models import Case, Occurrence, Series
from vidtrace.store.series_queries import case_spread


class OverlapQueries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def report(self) -> dict[str, Any]:
        return {"series": self.series(), "media": self.media()}

    def series(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            spread = case_spread(conn)
            rows = {
                row.id: row
                for row in conn.execute(
                    select(Series.id, Series.name, Series.size, Series.representative).where(
                        Series.merged_into.is_(None), Series.size > 0
                    )
                )
            }
        found = []
        for sid, cases in spread.items():
            agencies = sorted({c["agency"] for c in cases if c["agency"]})
            if sid not in rows or (len(cases) < 2 and len(agencies) < 2):
                continue
            row = rows[sid]
            found.append(
                {
                    "series": sid,
                    "name": row.name,
                    "size": row.size,
                    "representative": row.representative,
                    "cases": cases,
                    "agencies": agencies,
                    "countries": sorted({c["country"] for c in cases if c["country"]}),
                }
            )
        return sorted(found, key=lambda s: (-len(s["agencies"]), -len(s["cases"]), -s["size"]))

    def media(self) -> dict[str, Any]:
        """Binaries found in several cases: how many, and how many for each pair of cases."""
        shared = (
            select(Occurrence.media_sha256)
            .group_by(Occurrence.media_sha256)
            .having(func.count(func.distinct(Occurrence.case_id)) > 1)
        )
        cases_of: dict[str, set[str]] = defaultdict(set)
        with self.engine.connect() as conn:
            query = (
                select(Occurrence.media_sha256, Case.name)
                .join(Case, Case.id == Occurrence.case_id)
                .where(Occurrence.media_sha256.in_(shared))
            )
            for sha256, case in conn.execute(query):
                cases_of[sha256].add(case)
        pairs: Counter[tuple[str, str]] = Counter()
        for cases in cases_of.values():
            pairs.update(combinations(sorted(cases), 2))
        return {
            "binaries_in_several_cases": len(cases_of),
            "case_pairs": [
                {"cases": list(pair), "media": count}
                for pair, count in sorted(pairs.items(), key=lambda p: (-p[1], p[0]))
            ],
        }
