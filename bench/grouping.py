"""Grouping benchmark: scale (time and peak memory per stage) and accuracy against ground truth.

    .venv/bin/python -m bench.grouping                          # 100 k and 1 M media, 2 workers
    .venv/bin/python -m bench.grouping --sizes 100000 --no-eval # quicker
    .venv/bin/python -m bench.grouping --sizes 0                # accuracy only

Scale: a synthetic SQLite workspace (bench/grouping_synthetic.py: PDQ clusters, rotated copies,
camera serials, sequential names, videos and clips; no pixels, so the same-scene linker has
nothing to read) is grouped by ``SeriesGrouper`` exactly as ``vidtrace group`` does. Peak memory
is the resident set of the process and its worker processes, sampled every 0.1 s.
Baselines in the same run: an exhaustive numpy PDQ scan (what comparing all pairs costs,
extrapolated from 1,000 queries) and scipy's connected components on the same strong links.

Accuracy: pairwise precision/recall and BCubed F1 on the shared sets and the demo, then the F1
without each linker in turn (its contribution).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from tests.kit.grouping_sets import (
    demo_set,
    imagededup_set,
    ingest_set,
    jenssegers_set,
    regroup,
    score,
    vpdq_set,
)

from bench.grouping_synthetic import build_workspace
from vidtrace.bootstrap import App, bootstrap
from vidtrace.config import Settings
from vidtrace.domain.series import GroupingInput, LinkStrength
from vidtrace.index import brute_force_search
from vidtrace.series.grouping import group
from vidtrace.series.linkers import linkers
from vidtrace.store.link_corpus import load_link_corpus
from vidtrace.store.links import LinkRepository

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids = [int(k) for k in (task / "children").read_text().split()]
        except OSError:
            continue
        for kid in kids:
            found += [kid, *_children(kid)]
    return found


class StagePeaks:
    """Samples the resident memory of this process tree and keeps the peak of each stage."""

    def __init__(self) -> None:
        self.stage = "start"
        self.peaks: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.1):
            total = _rss(me) + sum(_rss(kid) for kid in _children(me))
            self.peaks[self.stage] = max(self.peaks.get(self.stage, 0), total)

    def enter(self, stage: str) -> None:
        self.stage = stage

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def scale(size: int, workers: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="vidtrace-grouping-") as tmp:
        settings = Settings(workspace=Path(tmp), workers=workers)
        app = bootstrap(settings)
        t0 = time.perf_counter()
        planted = build_workspace(app.engine, size)
        print(
            f"\n== {size:,} media ({planted}); workspace built in {time.perf_counter() - t0:.0f} s"
        )
        peaks = StagePeaks()
        grouper = app.grouper()
        grouper.on_stage = peaks.enter
        summary = grouper.run(workers=workers)
        peaks.enter("end")
        time.sleep(0.3)
        peaks.stop()
        print(summary.to_text())
        print(f"{'stage':<24}{'seconds':>10}{'peak RSS (MB)':>16}")
        for stage, seconds in summary.stages.items():
            print(f"{stage:<24}{seconds:>10.1f}{peaks.peaks.get(stage, 0) / 2**20:>16.0f}")
        peak = max(peaks.peaks.values()) / 2**20
        print(f"{'total':<24}{summary.seconds:>10.1f}{peak:>16.0f}")
        baselines(app, summary.stages.get("group", 0.0))
        app.close()
        return {"seconds": summary.seconds, "peak_mb": peak}


def baselines(app: App, group_seconds: float) -> None:
    engine = app.engine
    corpus = load_link_corpus(engine, 0)
    images = np.flatnonzero(~corpus.is_video)
    words = corpus.pdq[images]
    queries = words[np.random.default_rng(3).choice(len(words), 1000, replace=False)]
    t0 = time.perf_counter()
    brute_force_search(words, np.arange(len(words)), queries, 31)
    per_query = (time.perf_counter() - t0) / 1000
    print(
        f"baseline: all pairs by exhaustive numpy PDQ scan, {len(words):,} images x 8 variants:"
        f" {per_query * len(words) * 8 / 60:.0f} min (extrapolated from 1,000 queries)"
    )
    strong = list(LinkRepository(engine).all(LinkStrength.STRONG))
    position = {k: i for i, k in enumerate(corpus.sha256)}
    a = np.array([position[ln.a] for ln in strong], dtype=np.int64)
    b = np.array([position[ln.b] for ln in strong], dtype=np.int64)
    t0 = time.perf_counter()
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(len(corpus), len(corpus)))
    connected_components(graph, directed=False)
    scipy_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    group(GroupingInput(frozenset(corpus.sha256), tuple(strong)))
    ours = time.perf_counter() - t0
    print(
        f"baseline: scipy connected components on the {len(strong):,} strong links:"
        f" {scipy_seconds:.2f} s; our grouping rule on the same links (Python, with"
        f" decisions and weak corroboration): {ours:.2f} s (x{ours / max(scipy_seconds, 1e-9):.0f})"
        f"; the whole 'group' stage took {group_seconds:.1f} s"
    )


def accuracy() -> None:
    if not SHARED.is_dir():
        print(f"\n(accuracy: {SHARED} not found; the demo set only)")
    sets = []
    with tempfile.TemporaryDirectory(prefix="vidtrace-eval-") as tmp:
        if SHARED.is_dir():
            sets += [imagededup_set(SHARED), jenssegers_set(SHARED), vpdq_set(SHARED)]
        sets.append(demo_set(Path(tmp) / "demo"))
        names = linkers.names()
        print(
            f"\n{'set':<22}{'items':>6}{'pair P':>8}{'pair R':>8}{'B3 P':>7}{'B3 R':>7}"
            f"{'B3 F1':>7}{'false merges':>14}   B3 F1 without each linker"
        )
        for grouping_set in sets:
            app = bootstrap(Settings(workspace=Path(tmp) / grouping_set.name, workers=1))
            ingest_set(app, grouping_set)
            app.grouper().run()
            full = score(app, grouping_set)
            without = []
            for name in names:
                regroup(app, [n for n in names if n != name])
                without.append(f"{name} {score(app, grouping_set).bcubed.f1:.3f}")
            print(
                f"{grouping_set.name:<22}{full.items:>6}{full.pairwise.precision:>8.3f}"
                f"{full.pairwise.recall:>8.3f}{full.bcubed.precision:>7.3f}"
                f"{full.bcubed.recall:>7.3f}{full.bcubed.f1:>7.3f}{full.false_merges:>14}   "
                + ", ".join(without)
            )
            app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-eval", action="store_true")
    args = parser.parse_args()
    results = {}
    for size in (int(s) for s in args.sizes.split(",") if int(s) > 0):
        results[size] = scale(size, args.workers)
    if len(results) > 1:
        small, large = min(results), max(results)
        print(
            f"\ngrowth {small:,} -> {large:,} media (x{large / small:.0f}):"
            f" time x{results[large]['seconds'] / results[small]['seconds']:.1f},"
            f" peak memory x{results[large]['peak_mb'] / results[small]['peak_mb']:.1f}"
        )
    if not args.no_eval:
        accuracy()


if __name__ == "__main__":
    main()
