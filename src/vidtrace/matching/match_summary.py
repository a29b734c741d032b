"""What a match run found, with the figure analysts ask for first: how much is already known."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def share(part: int, whole: int) -> str:
    """ "N of M media (x%)" """
    percent = 100.0 * part / whole if whole else 0.0
    return f"{part} of {whole} media ({percent:.1f}%)"


@dataclass
class MatchSummary:
    scope: str  # "all" or "pending"
    banks: int = 0
    media_considered: int = 0
    media_matched: int = 0
    matches_by_kind: dict[str, int] = field(default_factory=dict)
    matches_by_bank: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)  # media, precategorised, known_good
    cases: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        media = self.totals.get("media", 0)
        precategorised = self.totals.get("precategorised", 0)
        return {
            "scope": self.scope,
            "banks": self.banks,
            "media_considered": self.media_considered,
            "media_matched": self.media_matched,
            "matches_by_kind": self.matches_by_kind,
            "matches_by_bank": self.matches_by_bank,
            "media": media,
            "precategorised": precategorised,
            "precategorised_percent": round(100.0 * precategorised / media, 2) if media else 0.0,
            "known_good": self.totals.get("known_good", 0),
            "cases": [
                {
                    **case,
                    "precategorised_percent": round(
                        100.0 * case["precategorised"] / case["media"], 2
                    )
                    if case["media"]
                    else 0.0,
                }
                for case in self.cases
            ],
            "seconds": round(self.seconds, 3),
        }

    def to_text(self) -> str:
        lines = [
            f"Matched {self.media_considered} media against {self.banks} banks"
            f" in {self.seconds:.1f} s: {self.media_matched} with matches",
        ]
        if self.matches_by_kind:
            lines.append(
                "  matches by kind   "
                + ", ".join(f"{k} {n}" for k, n in sorted(self.matches_by_kind.items()))
            )
        for bank, count in sorted(self.matches_by_bank.items()):
            lines.append(f"  bank {bank:<24} {count} matches")
        lines.append(
            "  pre-categorised   "
            + share(self.totals.get("precategorised", 0), self.totals.get("media", 0))
        )
        lines.append(f"  known-good        {self.totals.get('known_good', 0)} media")
        for case in self.cases:
            lines.append(
                f"  case {case['case']!r}: {share(case['precategorised'], case['media'])}"
                f" pre-categorised, {case['known_good']} known-good"
            )
        return "\n".join(lines)
