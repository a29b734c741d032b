"""PdqIndex: exact Hamming-radius search over PDQ hashes, incremental and persisted.

Layout of the index directory::

    manifest.json        which segments and which log make up the index (replaced atomically)
    seg-00000007/        an immutable segment (see segment.py), memory-mapped when opened
    delta-00000009.log   recent adds (see delta.py), replayed into memory when opened
    LOCK                 held (flock) by the one writer

Adds go to the log and the in-memory delta, and are searchable at once. When the delta holds
``seal_threshold`` hashes it is sealed into a segment; then the newest two segments are merged
while the newer is at least 1/MERGE_RATIO the size of the older, so segment sizes fall
geometrically (a few segments at most, O(N log N) total work for N adds).

One writer per directory (enforced with a lock); a writer's methods are not thread-safe.
Readers in other processes open with ``readonly=True`` and see the index as it was when they
opened it (sealed segments plus the log).
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from vidtrace.index.chunks import flips_for_radius
from vidtrace.index.delta import Delta, DeltaLog, read_log
from vidtrace.index.hashes import HashInput, as_words, scan
from vidtrace.index.manifest import (
    Manifest,
    SegmentEntry,
    lock_directory,
    read_manifest,
    remove_leftovers,
    write_manifest,
)
from vidtrace.index.probing import search_segment
from vidtrace.index.results import BatchHits, IndexHit, PairHits, finalize_hits
from vidtrace.index.segment import Segment, build_segment
from vidtrace.index.self_join import JoinInput, self_join

Words: TypeAlias = npt.NDArray[np.uint64]
Int64s: TypeAlias = npt.NDArray[np.int64]

SEAL_THRESHOLD = 16_384
MERGE_RATIO = 4
# Queries resolved together against a segment: larger batches amortise numpy's per-call cost
# but spill the caches (measured best at 64 on 1 M and 10 M hashes).
SEARCH_BATCH = 64
DEFAULT_RADIUS = 31
_READ_ATTEMPTS = 5


class PdqIndex:
    """An exact PDQ Hamming-radius index in a directory; open it with :meth:`open`."""

    def __init__(
        self,
        directory: Path,
        manifest: Manifest,
        segments: list[Segment],
        delta: Delta,
        *,
        log: DeltaLog | None = None,
        lock_fd: int | None = None,
        seal_threshold: int = SEAL_THRESHOLD,
        durable: bool = True,
    ) -> None:
        """Use :meth:`open`."""
        self.directory = directory
        self._manifest = manifest
        self._segments = segments
        self._delta = delta
        self._log = log
        self._lock_fd = lock_fd
        self._seal_threshold = seal_threshold
        self._durable = durable

    @classmethod
    def open(
        cls,
        directory: Path,
        *,
        readonly: bool = False,
        seal_threshold: int = SEAL_THRESHOLD,
        durable: bool = True,
    ) -> PdqIndex:
        """Open (creating it if missing) the index in ``directory``.

        ``seal_threshold``: delta size that is sealed into a segment. ``durable``: fsync the
        log after every add, so an add that returned survives a power loss. A writer takes
        the directory's lock (``IndexLockedError`` if taken); ``readonly=True`` takes no lock
        and refuses writes.
        """
        if seal_threshold < 1:
            raise ValueError("seal_threshold must be >= 1")
        if readonly:
            return cls._open_reader(directory)
        directory.mkdir(parents=True, exist_ok=True)
        lock_fd = lock_directory(directory)
        manifest = read_manifest(directory)
        if manifest is None:
            manifest = Manifest.empty()
            (directory / manifest.log).touch()
            write_manifest(directory, manifest)
        remove_leftovers(directory, manifest)
        log = DeltaLog(directory / manifest.log, durable=durable)
        segments = [Segment.load(directory / e.name) for e in manifest.segments]
        delta = read_log(directory / manifest.log)
        return cls(
            directory,
            manifest,
            segments,
            delta,
            log=log,
            lock_fd=lock_fd,
            seal_threshold=seal_threshold,
            durable=durable,
        )

    @classmethod
    def _open_reader(cls, directory: Path) -> PdqIndex:
        for attempt in range(_READ_ATTEMPTS):
            manifest = read_manifest(directory)
            if manifest is None:
                return cls(directory, Manifest.empty(), [], Delta())
            try:
                segments = [Segment.load(directory / e.name) for e in manifest.segments]
                delta = read_log(directory / manifest.log)
            except FileNotFoundError:  # the writer replaced them meanwhile: read again
                if attempt == _READ_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
                continue
            return cls(directory, manifest, segments, delta)
        raise AssertionError("unreachable")

    # -- writing ------------------------------------------------------------------------------

    def add(self, hashes: HashInput, ids: npt.ArrayLike) -> None:
        """Add hashes (64-char hex strings or an (n, 4) uint64 array) with the caller's int64
        ids. They are searchable at once and, when ``add`` returns, persisted.

        Ids are not checked for uniqueness: an id added twice is stored twice and reported
        once per query, at its smaller distance."""
        log = self._writer()
        words = as_words(hashes)
        id_array = np.asarray(ids, dtype=np.int64).reshape(-1)
        if len(id_array) != len(words):
            raise ValueError(f"{len(words)} hashes but {len(id_array)} ids")
        if len(id_array) == 0:
            return
        if len(self._delta) + len(id_array) >= self._seal_threshold:
            self._seal(words, id_array)
        else:
            log.append(words, id_array)
            self._delta.append(words, id_array)

    def compact(self) -> None:
        """Merge every segment and the delta into one segment (fastest to search)."""
        self._writer()
        if len(self._delta):
            self._seal(np.empty((0, 4), np.uint64), np.empty(0, np.int64), merge=False)
        if len(self._segments) > 1:
            self._merge(0)

    def reset(self) -> None:
        """Drop everything; ``max_id`` becomes None."""
        self._writer()
        manifest, log_name = self._manifest.next_name("delta", ".log")
        self._replace_state(replace(manifest, segments=(), log=log_name), [])

    def close(self) -> None:
        """Release the log and the lock; the object is unusable afterwards."""
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> PdqIndex:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _writer(self) -> DeltaLog:
        if self._log is None:
            raise PermissionError("this index is open read-only (or closed)")
        return self._log

    def _seal(self, words: Words, ids: Int64s, *, merge: bool = True) -> None:
        parts = [(self._delta.words, self._delta.ids), (words, ids)]
        manifest, name = self._manifest.next_name("seg")
        segment = build_segment(self.directory / name, [p for p in parts if len(p[1])])
        manifest, log_name = manifest.next_name("delta", ".log")
        entry = SegmentEntry(name, segment.count, segment.max_id)
        manifest = replace(manifest, segments=(*manifest.segments, entry), log=log_name)
        self._replace_state(manifest, [*self._segments, segment])
        while merge and len(self._segments) >= 2:
            older, newer = self._segments[-2:]
            if newer.count * MERGE_RATIO < older.count:
                break
            self._merge(len(self._segments) - 2)

    def _merge(self, first: int) -> None:
        """Merge the segments from ``first`` to the newest into one segment."""
        merged = self._segments[first:]
        manifest, name = self._manifest.next_name("seg")
        segment = build_segment(self.directory / name, [(s.words, s.ids) for s in merged])
        entry = SegmentEntry(name, segment.count, segment.max_id)
        manifest = replace(manifest, segments=(*manifest.segments[:first], entry))
        self._replace_state(manifest, [*self._segments[:first], segment], keep_delta=True)

    def _replace_state(
        self, manifest: Manifest, segments: list[Segment], *, keep_delta: bool = False
    ) -> None:
        """Publish ``manifest`` (with a fresh empty log unless ``keep_delta``), then delete what
        it no longer lists."""
        if not keep_delta:
            new_log = self.directory / manifest.log
            new_log.touch()
        write_manifest(self.directory, manifest)
        self._manifest, self._segments = manifest, segments
        if not keep_delta:
            self._writer().close()
            self._log = DeltaLog(self.directory / manifest.log, durable=self._durable)
            self._delta = Delta()
        remove_leftovers(self.directory, manifest)

    # -- reading ------------------------------------------------------------------------------

    def search(self, hash: str, radius: int = DEFAULT_RADIUS) -> list[IndexHit]:
        """Every stored hash within ``radius`` (0..32) bits, sorted by (distance, id)."""
        return self.search_batch([hash], radius).for_query(0)

    def search_batch(self, hashes: HashInput, radius: int = DEFAULT_RADIUS) -> BatchHits:
        """:meth:`search` for many queries at once; hits sorted by (query row, distance, id)."""
        flips_for_radius(radius)
        queries = as_words(hashes)
        rows: list[Int64s] = []
        ids: list[Int64s] = []
        distances: list[npt.NDArray[np.int16]] = []
        for start in range(0, len(queries), SEARCH_BATCH):
            block = queries[start : start + SEARCH_BATCH]
            for segment in self._segments:
                row, position, distance = search_segment(segment, block, radius)
                rows.append(row + start)
                ids.append(np.take(segment.ids, position))
                distances.append(distance)
        row, position, distance = scan(self._delta.words, queries, radius)
        rows.append(row)
        ids.append(np.take(self._delta.ids, position))
        distances.append(distance)
        return finalize_hits(np.concatenate(rows), np.concatenate(ids), np.concatenate(distances))

    def self_join(self, radius: int = DEFAULT_RADIUS, workers: int = 1) -> PairHits:
        """Every unordered pair of stored hashes within ``radius``: ``id_a < id_b``, each pair
        once at its smallest distance, pairs of equal ids left out. ``workers`` processes."""
        log = self.directory / self._manifest.log if len(self._delta) else None
        data = JoinInput(self._segments, self._delta.words, self._delta.ids, log)
        return self_join(data, radius, workers)

    def __len__(self) -> int:
        return sum(s.count for s in self._manifest.segments) + len(self._delta)

    @property
    def max_id(self) -> int | None:
        """The largest id in the index (None when empty): after a crash, re-add from the
        database what came after it."""
        found = [s.max_id for s in self._manifest.segments]
        if len(self._delta):
            found.append(int(self._delta.ids.max()))
        return max(found, default=None)

    @property
    def segment_sizes(self) -> tuple[int, ...]:
        """Hashes per segment, oldest first (the delta not included)."""
        return tuple(s.count for s in self._manifest.segments)

    @property
    def delta_size(self) -> int:
        return len(self._delta)
