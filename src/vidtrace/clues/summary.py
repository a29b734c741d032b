"""What a ``clues extract`` run did, for the terminal and for ``--json``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from vidtrace.clues.results import ExtractionResult

TOP_REASONS = 5


@dataclass
class ExtractionSummary:
    extractors: dict[str, int] = field(default_factory=dict)  # name -> version
    media: int = 0
    clues: Counter[str] = field(default_factory=Counter)  # per kind
    texts: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)  # (extractor, reason)
    unavailable: dict[str, str] = field(default_factory=dict)
    left_for_later: int = 0  # media an unavailable extractor still has to read
    seconds: float = 0.0

    def add(self, results: Sequence[ExtractionResult]) -> None:
        for result in results:
            self.media += 1
            self.clues.update(clue.kind for clue in result.clues)
            self.texts += len(result.texts)
            self.languages.update(t.language for t in result.texts if t.language)
            self.skipped.update((s.extractor, _reason_class(s.reason)) for s in result.skips)
            self.unavailable.update(result.unavailable)
            self.left_for_later += bool(result.unavailable)

    def to_json(self) -> dict[str, Any]:
        return {
            "extractors": self.extractors,
            "media": self.media,
            "clues": dict(sorted(self.clues.items())),
            "clues_total": sum(self.clues.values()),
            "texts": self.texts,
            "languages": dict(self.languages.most_common()),
            "skipped": [
                {"extractor": name, "reason": reason, "count": count}
                for (name, reason), count in sorted(self.skipped.items())
            ],
            "unavailable": self.unavailable,
            "left_for_later": self.left_for_later,
            "seconds": round(self.seconds, 2),
            "media_per_second": round(self.media / self.seconds, 2) if self.seconds else None,
        }

    def to_text(self) -> str:
        rate = f" ({self.media / self.seconds:.1f}/s)" if self.seconds else ""
        lines = [f"clues: read {self.media} media in {self.seconds:.1f} s{rate}"]
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(self.clues.items())) or "none"
        lines.append(f"  clues proposed: {sum(self.clues.values())} ({kinds})")
        languages = ", ".join(f"{lang} {n}" for lang, n in self.languages.most_common(8))
        lines.append(
            f"  text read:      {self.texts} blocks" + (f" ({languages})" if languages else "")
        )
        for (name, reason), count in self.skipped.most_common(TOP_REASONS):
            lines.append(f"  skipped:        {count} x {name}: {reason}")
        for name, why in sorted(self.unavailable.items()):
            lines.append(
                f"  unavailable:    {name}: {why}; {self.left_for_later} media left for a later run"
            )
        return "\n".join(lines)


def _reason_class(reason: str) -> str:
    """Reasons grouped for counting: the part before any per-file detail in brackets."""
    return reason.split(" (", 1)[0][:120]
