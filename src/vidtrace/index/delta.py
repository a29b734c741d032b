"""The delta: recent adds, kept in memory, searched by brute force, persisted as a log.

The log is append-only and made of fixed 40-byte records: the 32 bytes of the hash (as its hex
reads) then the id as a little-endian int64. A record torn by a crash is shorter than 40 bytes;
it is ignored on load (and cut off when a writer opens the log).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

Words: TypeAlias = npt.NDArray[np.uint64]
Int64s: TypeAlias = npt.NDArray[np.int64]

RECORD_BYTES = 40
_RECORD = np.dtype([("hash", ">u8", (4,)), ("id", "<i8")])
assert _RECORD.itemsize == RECORD_BYTES


def encode_records(words: Words, ids: Int64s) -> bytes:
    records = np.empty(len(ids), dtype=_RECORD)
    records["hash"] = words
    records["id"] = ids
    return records.tobytes()


def decode_records(data: bytes) -> tuple[Words, Int64s]:
    """The whole records in ``data``; a torn last record is ignored."""
    whole = len(data) - len(data) % RECORD_BYTES
    records = np.frombuffer(data[:whole], dtype=_RECORD)
    return records["hash"].astype(np.uint64), records["id"].astype(np.int64)


class Delta:
    """Hashes and ids in memory, with room to grow (amortised O(1) appends)."""

    def __init__(self, words: Words | None = None, ids: Int64s | None = None) -> None:
        self._words = np.empty((0, 4), np.uint64) if words is None else words
        self._ids = np.empty(0, np.int64) if ids is None else ids
        self._count = len(self._ids)

    def __len__(self) -> int:
        return self._count

    @property
    def words(self) -> Words:
        return self._words[: self._count]

    @property
    def ids(self) -> Int64s:
        return self._ids[: self._count]

    def append(self, words: Words, ids: Int64s) -> None:
        needed = self._count + len(ids)
        if needed > len(self._ids):
            capacity = max(needed, 2 * len(self._ids), 1024)
            grown_words = np.empty((capacity, 4), np.uint64)
            grown_ids = np.empty(capacity, np.int64)
            grown_words[: self._count] = self.words
            grown_ids[: self._count] = self.ids
            self._words, self._ids = grown_words, grown_ids
        self._words[self._count : needed] = words
        self._ids[self._count : needed] = ids
        self._count = needed


class DeltaLog:
    """The append-only file behind a :class:`Delta`."""

    def __init__(self, path: Path, *, durable: bool) -> None:
        self.path = path
        self.durable = durable
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        size = os.fstat(self._fd).st_size
        if size % RECORD_BYTES:  # a torn record: later appends must start on a boundary
            os.ftruncate(self._fd, size - size % RECORD_BYTES)
            os.fsync(self._fd)

    def append(self, words: Words, ids: Int64s) -> None:
        """Append records; on failure (disk full) cut the log back so no half add remains."""
        size = os.fstat(self._fd).st_size
        data = memoryview(encode_records(words, ids))
        try:
            while data:
                written = os.write(self._fd, data)
                data = data[written:]
            if self.durable:
                os.fsync(self._fd)
        except OSError:
            os.ftruncate(self._fd, size)
            raise

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def read_log(path: Path) -> Delta:
    """The delta persisted in ``path``."""
    data = path.read_bytes()
    words, ids = decode_records(data)
    return Delta(np.ascontiguousarray(words), ids.copy())
