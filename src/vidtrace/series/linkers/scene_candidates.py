"""Candidate pairs for the same-scene linker: each new picture's nearest pictures by visual
words, so verification stays bounded instead of comparing all pairs."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from vidtrace.series.linkers.base import Bools

TOP_K = 20
REVERSE_DEPTH = 2  # x top_k: how deep old neighbours of a new picture are asked back


def _top(sims: npt.NDArray[np.float64], depth: int) -> npt.NDArray[np.int64]:
    """Positions of the ``depth`` highest positive values, best first; ties: lower position."""
    positive = np.flatnonzero(sims > 0)
    if len(positive) > depth:
        kth = np.partition(sims[positive], len(positive) - depth)[len(positive) - depth]
        above = positive[sims[positive] > kth]
        tied = positive[sims[positive] == kth][: depth - len(above)]
        positive = np.concatenate([above, tied])
    return positive[np.lexsort((positive, -sims[positive]))].astype(np.int64)


def _neighbours(
    words: npt.NDArray[np.uint8], rows: npt.NDArray[np.int64], depth: int
) -> list[npt.NDArray[np.int64]]:
    """For each row, its ``depth`` most similar pictures: cosine of their sets of words."""
    # Sums of 0/1 products below 2**24 are exact in float32, so similarities and their order do
    # not depend on how BLAS splits the work, nor on the input order.
    sizes = np.bitwise_count(words).sum(axis=1).astype(np.float64)
    sizes[sizes == 0] = np.inf
    kept = [(np.empty(0, np.int64), np.empty(0, np.float64)) for _ in rows]
    # The corpus is unpacked once, 16k pictures at a time (256 MB); each block keeps its best.
    for block in range(0, len(words), 16384):
        pictures = np.unpackbits(words[block : block + 16384], axis=1).astype(np.float32)
        in_block = slice(block, block + len(pictures))
        for start in range(0, len(rows), 256):
            chunk = rows[start : start + 256]
            queries = np.unpackbits(words[chunk], axis=1).astype(np.float32)
            sims = (queries @ pictures.T).astype(np.float64)
            sims /= np.sqrt(sizes[chunk, None] * sizes[None, in_block])
            own = (chunk >= block) & (chunk < block + len(pictures))
            sims[np.flatnonzero(own), chunk[own] - block] = 0.0
            for k, row in enumerate(sims):
                best = _top(row, depth)
                index = np.concatenate([kept[start + k][0], best + block])
                value = np.concatenate([kept[start + k][1], row[best]])
                order = np.lexsort((index, -value))[:depth]
                kept[start + k] = (index[order], value[order])
    return [index for index, _ in kept]


def candidate_pairs(words: npt.NDArray[np.uint8], new: Bools, top_k: int) -> list[tuple[int, int]]:
    """The pairs ``(i, j)``, ``i < j``, worth verifying; each involves at least one new picture.

    A new picture brings its ``top_k`` nearest; an old picture among a new one's
    ``REVERSE_DEPTH * top_k`` nearest brings the new pictures among its own ``top_k``.
    """
    new_rows = np.flatnonzero(new).astype(np.int64)
    pairs: set[tuple[int, int]] = set()
    asked_back: set[int] = set()
    for q, near in zip(new_rows, _neighbours(words, new_rows, top_k * REVERSE_DEPTH), strict=True):
        pairs.update((min(q, j), max(q, j)) for j in near[:top_k].tolist())
        asked_back.update(j for j in near.tolist() if not new[j])
    old_rows = np.array(sorted(asked_back), np.int64)
    for o, near in zip(old_rows, _neighbours(words, old_rows, top_k), strict=True):
        pairs.update((min(o, j), max(o, j)) for j in near.tolist() if new[j])
    return sorted((int(i), int(j)) for i, j in pairs)
