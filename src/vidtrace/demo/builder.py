"""``build_demo_evidence``: the whole demo evidence set and its ground truth, from one seed."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from vidtrace.demo.banks import write_demo_bank
from vidtrace.demo.cases import ARCHIVES, CASES
from vidtrace.demo.clutter import write_clutter
from vidtrace.demo.evidence_tree import EvidenceTree
from vidtrace.demo.ground_truth import GroundTruth
from vidtrace.demo.series_plan import SERIES_PLANS
from vidtrace.demo.series_writer import WrittenSeries, write_series
from vidtrace.demo.video_writer import write_videos


@dataclass(frozen=True)
class DemoCase:
    """One case: pass ``evidence`` to ``vidtrace ingest PATH... --case NAME --agency AGENCY``."""

    name: str
    agency: str
    folder: Path
    evidence: tuple[Path, ...]  # device folders and archives inside ``folder``
    country: str | None = None  # the agency's country: ``--country``


@dataclass(frozen=True)
class DemoCounts:
    files: int  # every file, archive members counted one by one, archives themselves not
    archives: int
    series: int
    series_members: int  # images and videos that belong to a series (duplicates included)
    videos: int  # decodable videos
    exif_files: int
    duplicate_groups: int
    corrupt: int
    distractors: int
    total_bytes: int  # on disk, archives compressed


@dataclass(frozen=True)
class DemoManifest:
    out_dir: Path
    seed: int
    cases: tuple[DemoCase, ...]
    ground_truth: Path
    counts: DemoCounts
    bank: Path  # a VICS file of demo material "already known" elsewhere


def build_demo_evidence(out_dir: Path, seed: int = 7, *, replace: bool = False) -> DemoManifest:
    """Write the demo cases and ``ground-truth.json`` into ``out_dir``; the same seed gives the
    same bytes. Existing case folders raise ``FileExistsError`` unless ``replace`` is true, in
    which case only those folders (and the ground truth) are replaced."""
    out_dir = Path(out_dir)
    _clear(out_dir, replace)
    tree = EvidenceTree()
    for archive in ARCHIVES:
        tree.declare_archive(archive)
    truth = GroundTruth(seed=seed, cases=list(CASES))
    series: dict[str, WrittenSeries] = {}
    for index, plan in enumerate(SERIES_PLANS):
        series[plan.id] = write_series(plan, seed, index, tree, truth)
    write_videos(series, tree, truth)
    write_clutter(series, seed, tree, truth)

    out_dir.mkdir(parents=True, exist_ok=True)
    tree.write(out_dir)
    truth_path = truth.write(out_dir, tree)
    bank = write_demo_bank(out_dir, tree, truth)
    document = truth.to_json(tree)
    cases = tuple(
        DemoCase(
            case.name,
            case.agency,
            out_dir / case.folder,
            tuple(out_dir / case.folder / item for item in case.evidence),
            case.country,
        )
        for case in CASES
    )
    total = sum(
        f.stat().st_size
        for case in CASES
        for f in (out_dir / case.folder).rglob("*")
        if f.is_file()
    )
    counts = DemoCounts(
        files=len(tree.paths),
        archives=len(tree.archives),
        series=len(truth.series),
        series_members=sum(len(s.members) for s in truth.series),
        videos=len(truth.videos),
        exif_files=len(truth.exif),
        duplicate_groups=len(document["duplicates"]),
        corrupt=len(truth.corrupt),
        distractors=len(truth.distractors),
        total_bytes=total,
    )
    return DemoManifest(out_dir, seed, cases, truth_path, counts, bank)


def _clear(out_dir: Path, replace: bool) -> None:
    existing = [out_dir / case.folder for case in CASES if (out_dir / case.folder).exists()]
    if existing and not replace:
        raise FileExistsError(f"demo evidence already present: {existing[0]}")
    for folder in existing:
        shutil.rmtree(folder)
