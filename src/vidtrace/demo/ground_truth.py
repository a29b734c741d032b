"""``ground-truth.json``: what the demo evidence really contains, for measuring the pipeline.

Paths are relative to the output folder; archive members are ``"<archive>!/<member>"``.
Exact duplicates are not declared by hand but found by hashing every written file, so the list
is exact by construction.

Version 2 adds to each series ``conflict`` (its clues point at two countries; ``country`` is
then the GPS country), ``clues`` (short notes on what was planted: "gps NL (Amsterdam)",
"phone +31 20 555 0142 (NL)", ...), ``sign`` (language, script and the lines printed, or null)
and ``barcode`` (or null). Readers of version 1 fields are unaffected.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidtrace.demo.cases import CasePlan
from vidtrace.demo.evidence_tree import EvidenceTree
from vidtrace.demo.planted_clues import PlantedClues

GROUND_TRUTH_FILE = "ground-truth.json"
VERSION = 2


@dataclass
class SeriesTruth:
    id: str
    name: str
    scene: str
    country: str
    city: str
    camera: dict[str, str | None]
    members: list[str] = field(default_factory=list)
    edits: dict[str, str] = field(default_factory=dict)  # member path -> Edit value
    conflict: bool = False
    planted: PlantedClues | None = None

    def add(self, path: str, edit: str) -> None:
        self.members.append(path)
        self.edits[path] = edit


@dataclass
class GroundTruth:
    seed: int
    cases: list[CasePlan]
    series: list[SeriesTruth] = field(default_factory=list)
    exif: dict[str, dict[str, Any]] = field(default_factory=dict)
    videos: list[dict[str, Any]] = field(default_factory=list)
    corrupt: list[dict[str, str]] = field(default_factory=list)
    misnamed: list[dict[str, str]] = field(default_factory=list)
    distractors: list[str] = field(default_factory=list)
    overlay_text: dict[str, str] = field(default_factory=dict)

    def series_of(self, path: str) -> SeriesTruth | None:
        return next((s for s in self.series if path in s.edits), None)

    def record_copy(self, source: str, target: str) -> None:
        """``target`` holds the same bytes as ``source``: it inherits every fact about it."""
        series = self.series_of(source)
        if series is not None:
            series.add(target, series.edits[source])
        if source in self.exif:
            self.exif[target] = dict(self.exif[source])
        if source in self.overlay_text:
            self.overlay_text[target] = self.overlay_text[source]
        if source in self.distractors:
            self.distractors.append(target)

    def to_json(self, tree: EvidenceTree) -> dict[str, Any]:
        return {
            "version": VERSION,
            "seed": self.seed,
            "cases": [{"name": c.name, "agency": c.agency, "folder": c.folder} for c in self.cases],
            "series": [
                {
                    "id": s.id,
                    "name": s.name,
                    "scene": s.scene,
                    "country": s.country,
                    "city": s.city,
                    "camera": s.camera,
                    "conflict": s.conflict,
                    **_clues_json(s.planted),
                    "members": sorted(s.members),
                    "edits": dict(sorted(s.edits.items())),
                    "cases": sorted(
                        {
                            c.name
                            for c in self.cases
                            for m in s.members
                            if m.startswith(c.folder + "/")
                        }
                    ),
                }
                for s in self.series
            ],
            "duplicates": exact_duplicates(tree),
            "corrupt": sorted(self.corrupt, key=lambda c: c["path"]),
            "misnamed": sorted(self.misnamed, key=lambda m: m["path"]),
            "distractors": sorted(self.distractors),
            "videos": sorted(self.videos, key=lambda v: str(v["path"])),
            "exif": dict(sorted(self.exif.items())),
            "overlay_text": dict(sorted(self.overlay_text.items())),
        }

    def write(self, out_dir: Path, tree: EvidenceTree) -> Path:
        target = out_dir / GROUND_TRUTH_FILE
        text = json.dumps(self.to_json(tree), indent=2, ensure_ascii=False)
        target.write_text(text + "\n", encoding="utf-8")
        return target


def _clues_json(planted: PlantedClues | None) -> dict[str, Any]:
    if planted is None:
        return {"clues": [], "sign": None, "barcode": None}
    return planted.to_json()


def exact_duplicates(tree: EvidenceTree) -> list[list[str]]:
    """Groups of two or more paths with identical bytes, each group and the list sorted."""
    by_digest: dict[str, list[str]] = {}
    for path in tree.paths:
        data = tree.data(path)
        if data:  # empty files are "corrupt", not duplicates of each other
            by_digest.setdefault(hashlib.sha256(data).hexdigest(), []).append(path)
    return sorted(sorted(group) for group in by_digest.values() if len(group) > 1)
