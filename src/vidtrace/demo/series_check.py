"""Checks the demo's series against its ground truth, so ``vidtrace demo`` can say how close the
grouping came: the demo knows which files belong to which series, a real case does not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vidtrace.series.evaluation import Evaluation, evaluate


def demo_truth(ground_truth: Path, located: dict[str, str]) -> dict[str, str]:
    """Media SHA-256 -> true label: the series id for series members, the media's own key for
    everything else (distractors and clutter each stand alone). Corrupt files are left out: a
    damaged copy of a series member may or may not still decode far enough to be linked.
    ``located`` maps full paths to SHA-256 (MediaQueries.located)."""
    truth_doc: dict[str, Any] = json.loads(ground_truth.read_text(encoding="utf-8"))
    root = ground_truth.parent.resolve()
    corrupt = {located.get(f"{root}/{c['path']}") for c in truth_doc["corrupt"]}
    labels = {k: f"alone:{k}" for k in located.values() if k not in corrupt}
    for series in truth_doc["series"]:
        for member in series["members"]:
            sha256 = located.get(f"{root}/{member}")
            if sha256 is not None:
                labels[sha256] = series["id"]
    return labels


def check_demo_series(
    ground_truth: Path, located: dict[str, str], series_of: dict[str, int], groupable: set[str]
) -> Evaluation:
    """Score the series over the groupable media (images and videos)."""
    truth = {k: v for k, v in demo_truth(ground_truth, located).items() if k in groupable}
    return evaluate(truth, series_of)


def truth_overlaps(ground_truth: Path) -> dict[str, int]:
    """How many true series there are, and how many have members in more than one case."""
    truth_doc: dict[str, Any] = json.loads(ground_truth.read_text(encoding="utf-8"))
    spread = [{m.split("/", 1)[0] for m in s["members"]} for s in truth_doc["series"]]
    return {"series": len(spread), "in_several_cases": sum(1 for c in spread if len(c) > 1)}
