"""An immutable segment: a folder of .npy files holding hashes, ids and one table per chunk.

Per chunk ``c`` the table is CSR: ``order[c]`` lists row positions sorted (stably) by the top
``bits[c]`` bits of the chunk key, ``offsets`` (all chunks concatenated, ``2**bits[c] + 1``
entries each) says where each bucket starts in ``order[c]``, and ``low[c]``, in ``order[c]``'s
order, keeps the key bits below the top bits. Stacking the chunks in one ``order``/``low``/
``offsets`` array lets a query gather the buckets of all its probes in a single numpy call.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from vidtrace.index.chunks import CHUNK_WIDTHS, CHUNKS, chunk_key, table_bits

Words: TypeAlias = npt.NDArray[np.uint64]
Int64s: TypeAlias = npt.NDArray[np.int64]

FORMAT = 1
_META = "segment.json"


@dataclass(frozen=True)
class Segment:
    """A loaded (memory-mapped) segment; see the module docstring for the arrays."""

    folder: Path
    words: Words
    ids: Int64s
    order: npt.NDArray[np.uint32]  # (CHUNKS * count,)
    offsets: npt.NDArray[np.uint32]
    low: npt.NDArray[np.uint16] | None  # (CHUNKS * count,), None when bits == widths
    bits: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.ids)

    @cached_property
    def low_bits(self) -> Int64s:
        """Per chunk, how many key bits lie below the indexed top bits."""
        return np.array(CHUNK_WIDTHS, dtype=np.int64) - np.array(self.bits, dtype=np.int64)

    @cached_property
    def bucket_bases(self) -> Int64s:
        """Per chunk, where its buckets start in ``offsets``."""
        sizes = [(1 << b) + 1 for b in self.bits]
        return np.array([0, *np.cumsum(sizes)[:-1]], dtype=np.int64)

    @property
    def max_id(self) -> int:
        return int(self.ids.max())

    @classmethod
    def load(cls, folder: Path) -> Segment:
        meta = json.loads((folder / _META).read_text())
        if meta.get("format") != FORMAT:
            raise ValueError(f"{folder}: unknown segment format {meta.get('format')!r}")

        def array(name: str) -> npt.NDArray[np.generic]:
            # A plain ndarray view of the map: np.take on a np.memmap subclass is slower.
            return np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r"))

        low = array("low").reshape(-1) if (folder / "low.npy").exists() else None
        return cls(
            folder=folder,
            words=array("words"),  # type: ignore[arg-type]
            ids=array("ids"),  # type: ignore[arg-type]
            order=array("order").reshape(-1),  # type: ignore[arg-type]
            offsets=array("offsets"),  # type: ignore[arg-type]
            low=low,  # type: ignore[arg-type]
            bits=tuple(meta["bits"]),
        )


def _open(folder: Path, name: str, dtype: type[np.generic], shape: tuple[int, ...]) -> np.memmap:
    return np.lib.format.open_memmap(folder / f"{name}.npy", mode="w+", dtype=dtype, shape=shape)


def _stable_order(top: npt.NDArray[np.uint32], bits: int) -> npt.NDArray[np.intp]:
    """Positions sorted stably by ``top``: numpy radix-sorts 16-bit keys, so wider keys are
    sorted as two digits (least significant first), ~2x faster than a stable uint32 sort."""
    if bits <= 16:
        return np.argsort(top.astype(np.uint16), kind="stable")
    first = np.argsort((top & 0xFFFF).astype(np.uint16), kind="stable")
    second = np.argsort((top[first] >> 16).astype(np.uint8), kind="stable")
    return first[second]


def build_segment(folder: Path, parts: Sequence[tuple[Words, Int64s]]) -> Segment:
    """Write the hashes and ids of ``parts`` (concatenated) as a new segment in ``folder``."""
    count = sum(len(ids) for _, ids in parts)
    if count == 0:
        raise ValueError("a segment holds at least one hash")
    if count >= 1 << 32:
        raise ValueError("a segment holds fewer than 2**32 hashes")
    folder.mkdir(parents=True)
    bits = table_bits(count)
    words = _open(folder, "words", np.uint64, (count, 4))
    ids = _open(folder, "ids", np.int64, (count,))
    row = 0
    for part_words, part_ids in parts:
        words[row : row + len(part_ids)] = part_words
        ids[row : row + len(part_ids)] = part_ids
        row += len(part_ids)
    order = _open(folder, "order", np.uint32, (CHUNKS, count))
    offsets = _open(folder, "offsets", np.uint32, (sum((1 << b) + 1 for b in bits),))
    has_low = any(b < w for b, w in zip(bits, CHUNK_WIDTHS, strict=True))
    low = _open(folder, "low", np.uint16, (CHUNKS, count)) if has_low else None
    base = 0
    for c, b in enumerate(bits):
        key = chunk_key(words, c)
        shift = CHUNK_WIDTHS[c] - b
        top = key >> np.uint32(shift)
        positions = _stable_order(top, b)
        order[c] = positions
        offsets[base] = 0
        offsets[base + 1 : base + (1 << b) + 1] = np.cumsum(np.bincount(top, minlength=1 << b))
        base += (1 << b) + 1
        if low is not None:
            low[c] = key[positions] & np.uint32((1 << shift) - 1)
        del key, top, positions
    for array in (words, ids, order, offsets, low):
        if array is not None:
            array.flush()
    (folder / _META).write_text(json.dumps({"format": FORMAT, "count": count, "bits": bits}))
    sync_folder(folder)
    return Segment.load(folder)


def sync_folder(folder: Path) -> None:
    """fsync every file in ``folder`` and the folder itself, so a crash cannot tear them."""
    for path in folder.iterdir():
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
