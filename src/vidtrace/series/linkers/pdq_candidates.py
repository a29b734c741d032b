"""Candidate pairs of PDQ hashes for the linkers that compare PDQ: near-duplicate, video and
video-frame.

A linker puts the hashes it compares into a :class:`ScratchIndex` (a ``PdqIndex`` in a
temporary folder, ids = row numbers) and asks it for the pairs within a radius that involve a
new row, or searches it with other hashes. The index is rebuilt each run: building takes about
0.6 s per million hashes, far less than the searches, so keeping it between runs saves little.

Costs that drive the choices here and in the linkers (measured on 1 M random hashes, one core):
a search at radius 22..32 (2 bits probed per chunk) answers about 9,000 queries/s, at 11..21
(1 bit) about 84,000/s, at 0..10 about 520,000/s; a self-join at radius 31 costs about half a
search per hash and spreads over processes itself (28 s for 1 M on two, ADR 002).
"""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from vidtrace.index import BatchHits, PairHits, PdqIndex
from vidtrace.index.chunks import CHUNKS
from vidtrace.index.results import finalize_pairs
from vidtrace.index.self_join import keep_freed_memory
from vidtrace.series.linkers.base import Bools, Ints, Words
from vidtrace.signals.pdq import DIHEDRAL_NAMES

MIN_QUALITY = 50  # below this PDQ itself says the hash is unreliable (flat or tiny images)
MATCH_DISTANCE = 31  # Meta's recommended PDQ match threshold

IDENTITY = 0
# The variant that undoes each one (DIHEDRAL_NAMES order): a quarter turn one way is undone by a
# quarter turn the other way; a half turn and the four flips undo themselves.
INVERSE: tuple[int, ...] = (0, 3, 2, 1, 4, 5, 6, 7)
# Relative cost of one query by bits probed per chunk (radius // 11), as measured above.
QUERY_COST: tuple[float, ...] = (0.06, 1.0, 9.0)
# A self-join is cheaper than searching the new rows once they are this share of all rows.
JOIN_SHARE = 0.5
# Fewer queries than this are searched in this process: spawning workers takes about a second.
PARALLEL_QUERIES = 50_000
TASK_QUERIES = 16_384  # queries per task handed to a worker

assert len(INVERSE) == len(DIHEDRAL_NAMES)
assert all(INVERSE[INVERSE[v]] == v for v in range(len(INVERSE)))

Int16s: TypeAlias = npt.NDArray[np.int16]


def query_cost(radius: int) -> float:
    """What one query at ``radius`` costs, relative to one at radius 21."""
    return QUERY_COST[min(radius // CHUNKS, len(QUERY_COST) - 1)]


def distance_score(distance: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """1 for identical hashes, 0.5 at 32 bits (just past PDQ's match threshold), 0 at 64."""
    return np.clip(1.0 - np.asarray(distance, dtype=np.float64) / 64.0, 0.0, 1.0)


def usable_pdq(quality: Ints, min_quality: int = MIN_QUALITY) -> Bools:
    """Rows whose PDQ is present (quality -1 when absent) and good enough to compare."""
    return np.asarray(quality >= min_quality, dtype=bool)


def stored(words: Words) -> Ints:
    """Rows holding a hash: dihedral variants are all zero where none were computed."""
    return np.flatnonzero(words.any(axis=1)).astype(np.int64)


def sha_ranks(sha256: Sequence[str], positions: Ints) -> Ints:
    """The rank of each position's key among ``positions`` (smaller key, smaller rank), so that
    pairs can be put in link order (smaller key first) with numpy."""
    order = sorted(range(len(positions)), key=lambda i: sha256[int(positions[i])])
    ranks = np.empty(len(positions), dtype=np.int64)
    ranks[np.asarray(order, dtype=np.int64)] = np.arange(len(positions), dtype=np.int64)
    return ranks


class ScratchIndex:
    """A ``PdqIndex`` of ``words`` (ids = row numbers) in a temporary folder, for one run.

    ``parent`` is where the folder is made (the system's temporary folder when None);
    ``workers`` is how many processes the searches and the self-join may use.
    """

    def __init__(self, words: Words, workers: int = 1, parent: Path | None = None) -> None:
        if parent is not None:
            parent.mkdir(parents=True, exist_ok=True)
        self.directory = Path(tempfile.mkdtemp(prefix="pdq-", dir=parent))
        self.workers = max(1, workers)
        self._words = np.ascontiguousarray(words, dtype=np.uint64)
        self._pool: ProcessPoolExecutor | None = None
        # Not durable: the folder is thrown away after the run, a crash loses nothing.
        self._index = PdqIndex.open(self.directory, durable=False)
        self._index.add(self._words, np.arange(len(words)))

    def __len__(self) -> int:
        return len(self._words)

    def __enter__(self) -> ScratchIndex:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        self._index.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    def search(self, queries: Words, radius: int) -> BatchHits:
        """Every row within ``radius`` of each query (``BatchHits.id`` is the row number)."""
        queries = np.ascontiguousarray(queries, dtype=np.uint64)
        if self.workers == 1 or len(queries) < PARALLEL_QUERIES:
            return self._index.search_batch(queries, radius)
        starts = range(0, len(queries), TASK_QUERIES)
        parts = [queries[s : s + TASK_QUERIES] for s in starts]
        found = list(self._workers().map(_search_part, parts, [radius] * len(parts)))
        # Each part comes back sorted by (query, distance, id), so in order they stay sorted.
        return BatchHits(
            np.concatenate(
                [rows + start for (rows, _, _), start in zip(found, starts, strict=True)]
            ),
            np.concatenate([ids for _, ids, _ in found]),
            np.concatenate([distance for _, _, distance in found]),
        )

    def pairs_with_new(self, new: Bools, radius: int) -> PairHits:
        """Every pair of rows within ``radius`` of which at least one is ``new``: ``id_a <
        id_b`` are row numbers, each pair once at its distance.

        Mostly new rows: one self-join, old pairs dropped. Few: the new rows are searched."""
        if not new.any():
            return finalize_pairs(*_no_pairs())
        if new.mean() >= JOIN_SHARE:
            pairs = self._index.self_join(radius, self.workers)
            keep = np.flatnonzero(new[pairs.id_a] | new[pairs.id_b])
            return PairHits(pairs.id_a[keep], pairs.id_b[keep], pairs.distance[keep])
        rows = np.flatnonzero(new)
        hits = self.search(self._words[rows], radius)
        return finalize_pairs(rows[hits.query], hits.id, hits.distance)

    def _workers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_open_reader,
                initargs=(self.directory,),
            )
        return self._pool


def _no_pairs() -> tuple[Ints, Ints, Int16s]:
    return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int16)


_reader: PdqIndex | None = None


def _open_reader(directory: Path) -> None:
    global _reader
    # The self-join's tuning of its own workers: without it a spawned worker hands every numpy
    # temporary back to the OS and faults it in again (measured here: x1.3 at radius 21 and
    # x1.9 at 31 with it).
    keep_freed_memory()
    _reader = PdqIndex.open(directory, readonly=True)


def _search_part(queries: Words, radius: int) -> tuple[Ints, Ints, Int16s]:
    assert _reader is not None, "the worker opens the index first"
    hits = _reader.search_batch(queries, radius)
    return hits.query, hits.id, hits.distance
