"""How the 256 bits are cut into chunks, and which chunk keys a query probes.

Multi-index hashing: 11 chunks (3 of 24 bits, 8 of 23) cover the hash. If two hashes differed by
at least f + 1 bits in every chunk they would differ by at least 11 (f + 1) bits, so any pair
within ``radius`` <= 11 (f + 1) - 1 shares a chunk within f bits. Probing every key within
f = radius // 11 bits of each query chunk therefore finds every hash within the radius; f <= 2
keeps probing affordable, hence a radius of at most 32.

A table indexes the top ``b`` bits of a chunk key (``b`` grows with the segment size). Probe keys
that differ only in the low ``width - b`` bits fall in the same bucket, so a probe is a top-bits
mask ``t`` plus an allowance of ``f - popcount(t)`` flipped low bits, checked per candidate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, combinations
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

Int64s: TypeAlias = npt.NDArray[np.int64]

CHUNK_WIDTHS: tuple[int, ...] = (24, 24, 24, 23, 23, 23, 23, 23, 23, 23, 23)
CHUNK_STARTS: tuple[int, ...] = tuple(accumulate((0, *CHUNK_WIDTHS[:-1])))
CHUNKS = len(CHUNK_WIDTHS)
MAX_FLIPS = 2
MAX_RADIUS = CHUNKS * (MAX_FLIPS + 1) - 1  # 32
MIN_TABLE_BITS = 8
# Rows whose chunk keys are extracted at once (bounds the temporaries of a build).
_SLAB = 1 << 20

assert sum(CHUNK_WIDTHS) == 256


def flips_for_radius(radius: int) -> int:
    """Bits flipped per chunk key needed to find everything within ``radius`` (pigeonhole)."""
    if not 0 <= radius <= MAX_RADIUS:
        raise ValueError(f"radius must be between 0 and {MAX_RADIUS}, not {radius}")
    return radius // CHUNKS


def table_bits(count: int) -> tuple[int, ...]:
    """Top bits indexed per chunk for a segment of ``count`` hashes: about one hash a bucket."""
    wanted = max(MIN_TABLE_BITS, math.ceil(math.log2(max(count, 1))))
    return tuple(min(width, wanted) for width in CHUNK_WIDTHS)


def chunk_key(words: npt.NDArray[np.uint64], chunk: int) -> npt.NDArray[np.uint32]:
    """The ``chunk``-th key of every row; bit p of a hash is bit p % 64 of word p // 64."""
    out = np.empty(len(words), dtype=np.uint32)
    word, shift = divmod(CHUNK_STARTS[chunk], 64)
    width = CHUNK_WIDTHS[chunk]
    mask = np.uint64((1 << width) - 1)
    for lo in range(0, len(words), _SLAB):
        part = np.asarray(words[lo : lo + _SLAB])
        key = part[:, word] >> np.uint64(shift)
        if shift + width > 64:  # the chunk straddles two words
            key |= part[:, word + 1] << np.uint64(64 - shift)
        out[lo : lo + _SLAB] = key & mask
    return out


_WORD = np.array([s // 64 for s in CHUNK_STARTS])
_SHIFT = np.array([s % 64 for s in CHUNK_STARTS], dtype=np.uint64)
_STRADDLES = [s % 64 + w > 64 for s, w in zip(CHUNK_STARTS, CHUNK_WIDTHS, strict=True)]
_NEXT_WORD = np.minimum(_WORD + 1, 3)
_NEXT_SHIFT = np.array(
    [64 - s % 64 if cut else 0 for s, cut in zip(CHUNK_STARTS, _STRADDLES, strict=True)],
    dtype=np.uint64,
)
_NEXT_MASK = np.array([(1 << 64) - 1 if cut else 0 for cut in _STRADDLES], dtype=np.uint64)
_KEY_MASK = np.array([(1 << w) - 1 for w in CHUNK_WIDTHS], dtype=np.uint64)


def chunk_keys(words: npt.NDArray[np.uint64]) -> Int64s:
    """All chunk keys of a few (query) rows, as an (n, CHUNKS) int64 array (same keys as
    :func:`chunk_key`, in a handful of numpy calls rather than a few per chunk)."""
    low = np.take(words, _WORD, axis=1) >> _SHIFT
    high = (np.take(words, _NEXT_WORD, axis=1) << _NEXT_SHIFT) & _NEXT_MASK
    keys: Int64s = ((low | high) & _KEY_MASK).astype(np.int64)
    return keys


@cache
def _top_masks(bits: int, flips: int) -> tuple[int, ...]:
    masks = [0]
    for k in range(1, flips + 1):
        masks.extend(sum(1 << i for i in combo) for combo in combinations(range(bits), k))
    return tuple(masks)


@dataclass(frozen=True)
class ProbePlan:
    """The probes of one query against one segment layout, as parallel (P,) arrays.

    A probe looks up bucket ``(query top bits of chunk) ^ top_mask`` in the chunk's table and
    accepts a candidate whose low bits differ from the query's in at most ``low_flips`` bits.
    ``high_bit`` is the top mask's highest bit (0 for the exact probe): a self-join probes a
    pair from the side where that bit is 0 only, which finds each pair once per mask.
    """

    chunk: Int64s
    top_mask: Int64s
    low_flips: npt.NDArray[np.uint8]
    high_bit: Int64s

    def __len__(self) -> int:
        return len(self.chunk)


@cache
def probe_plan(bits: tuple[int, ...], flips: int) -> ProbePlan:
    """Probes for a layout with ``bits`` top bits per chunk, ``flips`` bits per chunk key."""
    chunk: list[int] = []
    top: list[int] = []
    low: list[int] = []
    high: list[int] = []
    for c, b in enumerate(bits):
        for mask in _top_masks(b, flips):
            chunk.append(c)
            top.append(mask)
            low.append(flips - mask.bit_count())
            high.append(1 << (mask.bit_length() - 1) if mask else 0)
    return ProbePlan(
        np.array(chunk, dtype=np.int64),
        np.array(top, dtype=np.int64),
        np.array(low, dtype=np.uint8),
        np.array(high, dtype=np.int64),
    )
