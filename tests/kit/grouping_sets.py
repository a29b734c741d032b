"""Grouping evaluation sets with their ground truth, shared by the tests and bench/grouping.py.

Each set names the folders to ingest and how a file's full path gives its true group; files
whose label is None are left out of the scores (a corrupt file must not break the run, but
nothing can be said about which series it belongs to).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vidtrace.bootstrap import App
from vidtrace.demo.builder import build_demo_evidence
from vidtrace.demo.series_check import demo_truth
from vidtrace.series.evaluation import Evaluation, evaluate

Labeller = Callable[[str], str | None]


@dataclass(frozen=True)
class GroupingSet:
    name: str
    roots: tuple[Path, ...]  # each ingested as its own case
    label: Labeller
    ground_truth: Path | None = None  # the demo's ground-truth.json, when the set is the demo


def imagededup_set(shared: Path) -> GroupingSet:
    """UKBench photos with rotated, flipped, resized, grey and re-encoded copies. The naming
    follows evaluation_files/ground_truth.json: "<original>_<edit>.<ext>" belongs with
    "<original>.jpg", and the formats folder holds one photo saved in many formats."""
    root = shared / "neardup" / "imagededup"

    def label(path: str) -> str | None:
        stem = Path(path).stem
        if "_corrupt" in stem:
            return None
        if stem == "alpha_channel_image":  # ukbench00120 saved with an alpha channel (by eye)
            return "ukbench00120"
        found = re.match(r"ukbench\d+", stem)
        return found.group(0) if found else stem

    folders = ("base_images", "formats_images", "mixed_images", "mixed_nested_images")
    loose = (root / "alpha_channel_image.png", root / "ukbench00120_gray.jpg")
    return GroupingSet("imagededup", tuple(root / f for f in folders) + loose, label)


def jenssegers_set(shared: Path) -> GroupingSet:
    """Edits of one photo per folder (overlay, crop, sizes): the folder is the group."""
    root = shared / "neardup" / "jenssegers-imagehash"
    return GroupingSet("jenssegers-imagehash", (root,), lambda path: Path(path).parent.name)


def vpdq_set(shared: Path) -> GroupingSet:
    """The pattern-* videos are one content in other sizes, bars and logos; doorknob is not."""
    root = shared / "vpdq" / "videos"

    def label(path: str) -> str:
        stem = Path(path).stem
        return "pattern" if stem.startswith("pattern") else stem

    return GroupingSet("vpdq-videos", (root,), label)


def demo_set(out_dir: Path) -> GroupingSet:
    """The synthetic demo: thirteen series over three cases, with distractors and clutter."""
    manifest = build_demo_evidence(out_dir, replace=True)
    roots = tuple(item for case in manifest.cases for item in case.evidence)
    return GroupingSet("demo", roots, lambda path: None, manifest.ground_truth)


def ingest_set(app: App, grouping_set: GroupingSet) -> None:
    for root in grouping_set.roots:
        app.ingest_runner().run([root], f"{grouping_set.name}:{root.name}")


def score(app: App, grouping_set: GroupingSet) -> Evaluation:
    """Score the workspace's current series against the set's ground truth."""
    media = app.media().list()
    groupable = {
        m["sha256"]
        for m in media
        if m["kind"] in ("image", "video") and not m["known_good"] and not m["decode_error"]
    }
    located = app.media().located()
    if grouping_set.ground_truth is not None:
        labels = demo_truth(grouping_set.ground_truth, located)
        truth = {k: v for k, v in labels.items() if k in groupable}
    else:
        truth = {}
        for path, sha256 in sorted(located.items()):
            found = grouping_set.label(path)
            if found is not None and sha256 in groupable:
                truth.setdefault(sha256, found)
    return evaluate(truth, app.series().series_of_media())


def regroup(app: App, linker_names: Sequence[str] | None = None) -> None:
    """Link everything again with these linkers and regroup from scratch."""
    app.grouper(linker_names).run(relink=True)
