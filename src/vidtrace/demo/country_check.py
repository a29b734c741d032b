"""Checks the country rankings of the demo's series against its ground truth, so ``vidtrace
demo`` can say how often the clues put the right country first.

Each true series is judged by the vidtrace series that holds most of its media. Top-1 and top-3
accuracy count the series without conflicting clues only: a conflict scene's GPS and sign point
at two countries on purpose, and what matters there is that the ranking flags the conflict.
Series made only of known material (matched to a bank) are not read for clues, so they are left
out too and listed as known.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidtrace.domain.clue import CountryRanking

TOP = 3


@dataclass(frozen=True)
class CountryRow:
    """One true series: the country it was shot in, and how its vidtrace series ranked."""

    truth_id: str
    series_id: int | None  # None when no member of the true series ended in a series
    expected: str
    ranked: tuple[tuple[str, float], ...]  # the top three (country, probability), best first
    conflict_expected: bool
    conflict_flagged: bool
    known: bool = False  # every member is known material, which clue extraction does not read

    @property
    def top1(self) -> bool:
        return bool(self.ranked) and self.ranked[0][0] == self.expected

    @property
    def top3(self) -> bool:
        return any(country == self.expected for country, _ in self.ranked[:TOP])

    def to_json(self) -> dict[str, Any]:
        return {
            "truth": self.truth_id,
            "series": self.series_id,
            "expected": self.expected,
            "ranked": [{"country": c, "probability": round(p, 4)} for c, p in self.ranked],
            "top1": self.top1,
            "top3": self.top3,
            "conflict_expected": self.conflict_expected,
            "conflict_flagged": self.conflict_flagged,
            "known": self.known,
        }


@dataclass(frozen=True)
class CountryCheck:
    rows: tuple[CountryRow, ...]

    @property
    def scored(self) -> tuple[CountryRow, ...]:
        """The rows top-1 and top-3 count: series without conflicting clues, not known before."""
        return tuple(row for row in self.rows if not row.conflict_expected and not row.known)

    @property
    def top1(self) -> float:
        return _share(sum(row.top1 for row in self.scored), len(self.scored))

    @property
    def top3(self) -> float:
        return _share(sum(row.top3 for row in self.scored), len(self.scored))

    @property
    def conflicts_expected(self) -> tuple[str, ...]:
        return tuple(row.truth_id for row in self.rows if row.conflict_expected)

    @property
    def conflicts_flagged(self) -> tuple[str, ...]:
        """Conflict series the ranking flagged as such."""
        return tuple(r.truth_id for r in self.rows if r.conflict_expected and r.conflict_flagged)

    @property
    def false_conflicts(self) -> tuple[str, ...]:
        """Series without conflicting clues that the ranking flagged anyway."""
        return tuple(r.truth_id for r in self.scored if r.conflict_flagged)

    def to_json(self) -> dict[str, Any]:
        return {
            "series": len(self.rows),
            "scored": len(self.scored),
            "top1_accuracy": round(self.top1, 4),
            "top3_accuracy": round(self.top3, 4),
            "conflicts_expected": list(self.conflicts_expected),
            "conflicts_flagged": list(self.conflicts_flagged),
            "false_conflicts": list(self.false_conflicts),
            "known_series": [row.truth_id for row in self.rows if row.known],
            "rows": [row.to_json() for row in self.rows],
        }

    def to_text(self) -> str:
        """One line: "top-1 11/12 (0.917), top-3 12/12; conflicts flagged 1/1; 0 false"."""
        scored = len(self.scored)
        right1 = sum(row.top1 for row in self.scored)
        right3 = sum(row.top3 for row in self.scored)
        known = sum(row.known for row in self.rows)
        return (
            f"top-1 {right1}/{scored} ({self.top1:.3f}), top-3 {right3}/{scored}"
            f" ({self.top3:.3f}); conflicts flagged"
            f" {len(self.conflicts_flagged)}/{len(self.conflicts_expected)};"
            f" {len(self.false_conflicts)} false conflicts"
        ) + (f"; {known} series of known material not read" if known else "")


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def check_demo_countries(
    ground_truth: Path,
    located: dict[str, str],
    series_of: dict[str, int],
    rank: Callable[[int], CountryRanking],
    known: set[str] | None = None,
) -> CountryCheck:
    """Rank each true series' vidtrace series and compare with its true country.

    ``located`` maps full paths to SHA-256 (``MediaQueries.located``), ``series_of`` SHA-256 to
    vidtrace series ids; ``rank`` is asked once per vidtrace series that holds a true series;
    ``known`` holds the SHA-256 of known material.
    Ground truths before version 2 have no ``conflict`` field: no series counts as a conflict.
    """
    truth_doc: dict[str, Any] = json.loads(ground_truth.read_text(encoding="utf-8"))
    root = ground_truth.parent.resolve()
    rankings: dict[int, CountryRanking] = {}
    rows = []
    for series in truth_doc["series"]:
        media = {located.get(f"{root}/{member}") for member in series["members"]}
        held = Counter(series_of[m] for m in media if m is not None and m in series_of)
        # Most members first; on a tie, the lower series id, so the choice never depends on order.
        series_id = min(held, key=lambda s: (-held[s], s)) if held else None
        ranked: tuple[tuple[str, float], ...] = ()
        flagged = False
        if series_id is not None:
            if series_id not in rankings:
                rankings[series_id] = rank(series_id)
            ranking = rankings[series_id]
            ranked = tuple((c.country, c.probability) for c in ranking.ranking[:TOP])
            flagged = ranking.conflict
        rows.append(
            CountryRow(
                truth_id=series["id"],
                series_id=series_id,
                expected=series["country"],
                ranked=ranked,
                conflict_expected=bool(series.get("conflict", False)),
                conflict_flagged=flagged,
                known=bool(media - {None}) and media - {None} <= (known or set()),
            )
        )
    return CountryCheck(tuple(rows))
