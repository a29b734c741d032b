"""What a grouping run did: series, their sizes, links per kind, and the time of each stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SIZE_BANDS = ((2, 2), (3, 9), (10, 99), (100, 999), (1000, None))


def size_band(size: int) -> str:
    for low, high in SIZE_BANDS:
        if size >= low and (high is None or size <= high):
            return f"{low}+" if high is None else (f"{low}" if low == high else f"{low}-{high}")
    return "1"


@dataclass
class GroupSummary:
    mode: str  # "incremental" or "rebuild"
    media: int = 0  # groupable media in the workspace
    media_linked: int = 0  # media compared with the others in this run
    series: int = 0
    media_in_series: int = 0
    largest: int = 0
    sizes: dict[str, int] = field(default_factory=dict)  # size band -> number of series
    new_links: dict[str, int] = field(default_factory=dict)  # kind -> links found in this run
    links: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> strength -> all
    created: int = 0
    merged: int = 0
    dissolved: int = 0
    stages: dict[str, float] = field(default_factory=dict)  # stage -> seconds

    @property
    def seconds(self) -> float:
        return sum(self.stages.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "media": self.media,
            "media_linked": self.media_linked,
            "series": self.series,
            "media_in_series": self.media_in_series,
            "ungrouped": self.media - self.media_in_series,
            "largest": self.largest,
            "sizes": self.sizes,
            "new_links": self.new_links,
            "links": self.links,
            "series_created": self.created,
            "series_merged": self.merged,
            "series_dissolved": self.dissolved,
            "stages": {name: round(s, 3) for name, s in self.stages.items()},
            "seconds": round(self.seconds, 3),
        }

    def to_text(self) -> str:
        lines = [
            f"Grouped {self.media} media ({self.media_linked} linked in this run,"
            f" {self.mode}) in {self.seconds:.1f} s",
            f"  series          {self.series} holding {self.media_in_series} media"
            f" (largest {self.largest}); {self.media - self.media_in_series} media stand alone",
        ]
        if self.sizes:
            bands = ", ".join(f"{band}: {n}" for band, n in self.sizes.items())
            lines.append(f"  sizes           {bands}")
        for kind in sorted(self.links):
            by_strength = self.links[kind]
            detail = ", ".join(f"{n} {s}" for s, n in sorted(by_strength.items()))
            lines.append(
                f"  links {kind:<14} {detail} ({self.new_links.get(kind, 0)} new in this run)"
            )
        lines.append(
            f"  changes         {self.created} series created, {self.merged} merged,"
            f" {self.dissolved} dissolved"
        )
        stages = ", ".join(f"{name} {s:.1f} s" for name, s in self.stages.items())
        lines.append(f"  stages          {stages}")
        return "\n".join(lines)
