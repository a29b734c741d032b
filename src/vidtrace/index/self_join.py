"""All pairs within a radius over a whole index, each unordered pair once.

The work is a list of tasks over row ranges: a segment's rows against its own tables (probing
each pair from one side only), the rows of the smaller of two segments against the larger one's
tables, the delta's rows against each segment, and the delta against itself by brute force.

Several workers are processes, not threads: a search is hundreds of short numpy calls, and
threads spent their time waiting for the GIL (2 threads: x1.0; 2 processes: x1.8 on 2 cores).
Workers are spawned (no fork of a possibly threaded caller) and map the same segment files and
log from the index directory, so nothing large is copied to them.
"""

from __future__ import annotations

import ctypes
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from vidtrace.index.chunks import flips_for_radius
from vidtrace.index.delta import read_log
from vidtrace.index.hashes import scan
from vidtrace.index.probing import search_segment
from vidtrace.index.results import PairHits, finalize_pairs
from vidtrace.index.segment import Segment

Words: TypeAlias = npt.NDArray[np.uint64]
Int64s: TypeAlias = npt.NDArray[np.int64]
Pairs: TypeAlias = tuple[Int64s, Int64s, npt.NDArray[np.int16]]
# (kind, segment, other segment, first row, end row); DELTA stands for the delta.
Task: TypeAlias = tuple[str, int, int, int, int]

DELTA = -1
JOIN_BATCH = 64  # query rows searched together
TASK_ROWS = 8192  # query rows per task handed to a worker
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt parameters (malloc.h)


@dataclass(frozen=True)
class JoinInput:
    """What a self-join reads: the segments, the delta, and where they live on disk."""

    segments: Sequence[Segment]
    delta_words: Words
    delta_ids: Int64s
    log: Path | None = None  # the delta's log, for worker processes

    def rows(self, source: int) -> tuple[Words, Int64s]:
        if source == DELTA:
            return self.delta_words, self.delta_ids
        segment = self.segments[source]
        return segment.words, segment.ids


def plan(segment_counts: Sequence[int], delta_count: int) -> list[Task]:
    """The tasks of a self-join, biggest segments first."""
    tasks: list[Task] = []

    def ranges(kind: str, source: int, target: int, count: int) -> None:
        for start in range(0, count, TASK_ROWS):
            tasks.append((kind, source, target, start, min(start + TASK_ROWS, count)))

    by_size = sorted(range(len(segment_counts)), key=lambda s: -segment_counts[s])
    for s in by_size:
        ranges("within", s, s, segment_counts[s])
    for first, second in combinations(by_size, 2):
        small, large = sorted((first, second), key=lambda s: segment_counts[s])
        ranges("across", small, large, segment_counts[small])
    for s in by_size:
        ranges("across", DELTA, s, delta_count)
    if delta_count:
        tasks.append(("delta", DELTA, DELTA, 0, delta_count))
    return tasks


def run_task(task: Task, data: JoinInput, radius: int) -> Pairs:
    kind, source, target, start, end = task
    words, ids = data.rows(source)
    if kind == "delta":
        rows, positions, distance = scan(words, words, radius)
        keep = np.flatnonzero(rows < positions)
        return _pairs(ids, rows, ids, positions, distance, keep)
    found: list[Pairs] = []
    for first in range(start, end, JOIN_BATCH):
        queries = words[first : min(first + JOIN_BATCH, end)]
        within = kind == "within"
        segment = data.segments[target]
        rows, positions, distance = search_segment(segment, queries, radius, self_side=within)
        rows += first
        keep = np.flatnonzero(rows != positions) if within else np.arange(len(rows))
        found.append(_pairs(ids, rows, segment.ids, positions, distance, keep))
    return _concatenate(found)


def _pairs(
    ids_a: Int64s,
    rows: Int64s,
    ids_b: Int64s,
    positions: Int64s,
    distance: npt.NDArray[np.int16],
    keep: Int64s,
) -> Pairs:
    return (
        np.take(ids_a, np.take(rows, keep)),
        np.take(ids_b, np.take(positions, keep)),
        np.take(distance, keep),
    )


def _concatenate(found: Sequence[Pairs]) -> Pairs:
    if not found:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int16)
    a, b, distance = zip(*found, strict=True)
    return np.concatenate(a), np.concatenate(b), np.concatenate(distance)


_worker_input: JoinInput | None = None


def keep_freed_memory() -> None:
    """Let glibc reuse freed heap memory instead of returning it to the OS after every numpy
    temporary: a fresh process otherwise page-faults each batch's arrays in again, which made
    a spawned worker 1.5x slower than the parent on the same task."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, 64 << 20)
        libc.mallopt(_M_TRIM_THRESHOLD, 256 << 20)
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass


def _open_worker(folders: list[Path], log: Path | None, delta_count: int) -> None:
    global _worker_input
    keep_freed_memory()
    segments = [Segment.load(folder) for folder in folders]
    empty = (np.empty((0, 4), np.uint64), np.empty(0, np.int64))
    words, ids = empty if log is None else _log_rows(log)
    _worker_input = JoinInput(segments, words[:delta_count], ids[:delta_count])


def _log_rows(log: Path) -> tuple[Words, Int64s]:
    delta = read_log(log)
    return delta.words, delta.ids


def _run_in_worker(task: Task, radius: int) -> Pairs:
    assert _worker_input is not None
    return run_task(task, _worker_input, radius)


def self_join(data: JoinInput, radius: int, workers: int = 1) -> PairHits:
    """Every pair of stored hashes within ``radius``, as (smaller id, larger id, distance)."""
    flips_for_radius(radius)  # validates the radius
    if workers < 1:
        raise ValueError("workers must be >= 1")
    tasks = plan([s.count for s in data.segments], len(data.delta_ids))
    if workers == 1 or len(tasks) <= 1:
        return finalize_pairs(*_concatenate([run_task(t, data, radius) for t in tasks]))
    with ProcessPoolExecutor(
        min(workers, len(tasks)),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_open_worker,
        initargs=([s.folder for s in data.segments], data.log, len(data.delta_ids)),
    ) as pool:
        results = list(pool.map(_run_in_worker, tasks, [radius] * len(tasks)))
    return finalize_pairs(*_concatenate(results))
