"""Synthetic PDQ hash sets for index tests and the index benchmark.

Hashes are (n, 4) uint64 word arrays (``vidtrace.index.hex_to_words`` layout). Distances are
exact by construction: ``flip_bits`` flips exactly k distinct bits of a row.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import numpy.typing as npt

Words: TypeAlias = npt.NDArray[np.uint64]
_SLAB = 1 << 16


def random_words(rng: np.random.Generator, count: int) -> Words:
    """Uniform random 256-bit hashes."""
    return rng.integers(0, 2**64, (count, 4), dtype=np.uint64, endpoint=False)


def flip_masks(rng: np.random.Generator, flips: npt.ArrayLike, count: int | None = None) -> Words:
    """Per row, a 256-bit mask with exactly ``flips[row]`` bits set (or ``flips`` for every row).

    Floyd's sampling, vectorised over rows: distinct positions without a per-row sort.
    """
    per_row = np.asarray(flips, dtype=np.int64)
    if per_row.ndim == 0:
        if count is None:
            raise ValueError("give count with a scalar number of flips")
        per_row = np.full(count, int(per_row))
    if per_row.size and (per_row.min() < 0 or per_row.max() > 256):
        raise ValueError("between 0 and 256 flips")
    out = np.empty((len(per_row), 4), np.uint64)
    for lo in range(0, len(per_row), _SLAB):
        k = per_row[lo : lo + _SLAB]
        chosen = np.zeros((len(k), 256), dtype=bool)
        rows = np.arange(len(k))
        for step in range(int(k.max(initial=0))):
            active = step < k
            # Floyd: pick t in [0, top]; if already taken, take top itself (never taken yet).
            top = np.minimum(256 - k + step, 255)
            pick = rng.integers(0, top + 1)
            taken = chosen[rows, pick]
            pick = np.where(taken, top, pick)
            chosen[rows[active], pick[active]] = True
        out[lo : lo + _SLAB] = np.packbits(chosen, axis=1, bitorder="little").view("<u8")
    return out


def flip_bits(rng: np.random.Generator, words: Words, flips: npt.ArrayLike) -> Words:
    """Copies of ``words`` with exactly ``flips`` (scalar or per row) distinct bits flipped."""
    return words ^ flip_masks(rng, flips, len(words))


def clustered_words(
    rng: np.random.Generator,
    centres: int,
    members: int,
    max_distance: int = 40,
) -> tuple[Words, npt.NDArray[np.int64]]:
    """``centres`` random hashes, each with ``members`` variants 0..max_distance bits away.

    Returns the hashes (centres first, then members) and each row's cluster number.
    """
    middle = random_words(rng, centres)
    cluster = np.repeat(np.arange(centres), members)
    variants = flip_bits(rng, middle[cluster], rng.integers(0, max_distance + 1, len(cluster)))
    return np.concatenate([middle, variants]), np.concatenate([np.arange(centres), cluster])


def mixed_corpus(
    rng: np.random.Generator,
    count: int,
    clustered_share: float = 0.2,
    members: int = 9,
    max_distance: int = 40,
) -> Words:
    """Realistic structure: near-duplicate clusters (0..max_distance bits) among uniform random
    hashes, shuffled. ``clustered_share`` of the rows belong to clusters of 1 + members."""
    centres = int(count * clustered_share) // (members + 1)
    clustered, _ = clustered_words(rng, centres, members, max_distance)
    words = np.concatenate([clustered, random_words(rng, count - len(clustered))])
    return words[rng.permutation(count)]


def sparse_words(rng: np.random.Generator, count: int, max_ones: int = 24) -> Words:
    """Skewed hashes: mostly zero bits (0..max_ones set), so many share chunk values. The worst
    case for multi-index hashing: huge buckets."""
    return flip_masks(rng, rng.integers(0, max_ones + 1, count))


def near_queries(
    rng: np.random.Generator, words: Words, count: int, max_distance: int = 40
) -> Words:
    """Queries that are variants (0..max_distance bits) of randomly chosen stored hashes."""
    picked = words[rng.integers(0, len(words), count)]
    return flip_bits(rng, picked, rng.integers(0, max_distance + 1, count))
