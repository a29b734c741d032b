"""PDQ hashes as numpy words, and the brute-force reference search.

A 256-bit PDQ hash is held as four uint64 words, word 0 being the first 16 hex characters
(big-endian, as the hex reads). Hamming distance does not depend on how bits are numbered, so
the index may number them however it likes as long as every hash uses the same numbering.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from vidtrace.index.results import BatchHits, finalize_hits

Words: TypeAlias = npt.NDArray[np.uint64]
Int64s: TypeAlias = npt.NDArray[np.int64]
Int16s: TypeAlias = npt.NDArray[np.int16]
HashInput: TypeAlias = "Sequence[str] | Words"

HEX_LENGTH = 64
# Query rows x stored rows compared at once by brute force (bounds the temporary matrices).
_BRUTE_FORCE_CELLS = 1 << 20


def hex_to_words(hashes: Sequence[str]) -> Words:
    """64-character hex strings (either case) as an (n, 4) uint64 array."""
    if isinstance(hashes, str):
        raise TypeError("pass a sequence of hex strings, not one string")
    if any(len(h) != HEX_LENGTH for h in hashes):
        raise ValueError("a PDQ hash is 64 hex characters")
    raw = bytes.fromhex("".join(hashes))
    return np.frombuffer(raw, dtype=">u8").astype(np.uint64).reshape(len(hashes), 4)


def words_to_hex(words: Words) -> list[str]:
    """The inverse of :func:`hex_to_words`: lowercase hex strings."""
    raw = np.ascontiguousarray(as_words(words), dtype=">u8").tobytes()
    return [raw[i : i + 32].hex() for i in range(0, len(raw), 32)]


def as_words(hashes: HashInput) -> Words:
    """Hex strings or an (n, 4) integer array as a C-contiguous (n, 4) uint64 array."""
    if isinstance(hashes, np.ndarray):
        if hashes.ndim != 2 or hashes.shape[1] != 4:
            raise ValueError("hash words are an (n, 4) uint64 array")
        if hashes.dtype != np.uint64:
            raise TypeError(f"hash words are uint64, not {hashes.dtype}")
        return np.ascontiguousarray(hashes)
    return hex_to_words(hashes)


def hamming_rows(words: Words, query_words: Words, rows: Int64s) -> npt.NDArray[np.int16]:
    """Distance between ``words[i]`` and ``query_words[rows[i]]`` for every i.

    ``np.take`` and a sum of four columns are several times faster than fancy indexing and
    ``.sum(axis=1)`` on (n, 4) arrays.
    """
    counts = np.bitwise_count(words ^ np.take(query_words, rows, axis=0))
    total: npt.NDArray[np.int16] = counts[:, 0].astype(np.int16)
    for k in range(1, 4):
        total += counts[:, k]
    return total


def distances_within(
    words: Words, query_words: Words, radius: int
) -> tuple[Int64s, Int64s, npt.NDArray[np.int16]]:
    """Every (query row, stored row, distance) with distance <= radius, by comparing all pairs."""
    queries, stored = len(query_words), len(words)
    if queries == 0 or stored == 0:
        empty = np.empty(0, np.int64)
        return empty, empty.copy(), np.empty(0, np.int16)
    query_block = max(1, min(queries, _BRUTE_FORCE_CELLS // max(stored, 1)))
    stored_block = max(1, _BRUTE_FORCE_CELLS // query_block)
    rows: list[Int64s] = []
    cols: list[Int64s] = []
    dists: list[npt.NDArray[np.int16]] = []
    for q0 in range(0, queries, query_block):
        q = query_words[q0 : q0 + query_block]
        for s0 in range(0, stored, stored_block):
            s = np.asarray(words[s0 : s0 + stored_block])
            acc = np.bitwise_count(np.bitwise_xor.outer(q[:, 0], s[:, 0])).astype(np.int16)
            for k in range(1, 4):
                acc += np.bitwise_count(np.bitwise_xor.outer(q[:, k], s[:, k]))
            qi, si = np.nonzero(acc <= radius)
            rows.append(qi + q0)
            cols.append(si + s0)
            dists.append(acc[qi, si])
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(dists)


def scan(words: Words, query_words: Words, radius: int) -> tuple[Int64s, Int64s, Int16s]:
    """Same result as :func:`distances_within`, about 2x faster: the first two words (128
    bits) are compared for all pairs and only pairs still within the radius get the rest."""
    queries, stored = len(query_words), len(words)
    rows: list[Int64s] = [np.empty(0, np.int64)]
    cols: list[Int64s] = [np.empty(0, np.int64)]
    dists: list[Int16s] = [np.empty(0, np.int16)]
    query_block = max(1, min(queries, _BRUTE_FORCE_CELLS // max(stored, 1)))
    stored_block = max(1, _BRUTE_FORCE_CELLS // query_block)
    for q0 in range(0, queries, query_block):
        q = query_words[q0 : q0 + query_block]
        for s0 in range(0, stored, stored_block):
            s = np.asarray(words[s0 : s0 + stored_block])
            half = np.bitwise_count(np.bitwise_xor.outer(q[:, 0], s[:, 0]))  # uint8, <= 128
            half += np.bitwise_count(np.bitwise_xor.outer(q[:, 1], s[:, 1]))
            qi, si = np.nonzero(half <= radius)
            distance = half[qi, si].astype(np.int16)
            for k in (2, 3):
                distance += np.bitwise_count(q[qi, k] ^ s[si, k])
            keep = np.flatnonzero(distance <= radius)
            rows.append(qi[keep] + q0)
            cols.append(si[keep] + s0)
            dists.append(distance[keep])
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(dists)


def brute_force_search(
    words: HashInput, ids: npt.ArrayLike, query_words: HashInput, radius: int
) -> BatchHits:
    """The reference search: every stored hash within ``radius`` bits of each query.

    Results have the same shape and order as :meth:`PdqIndex.search_batch`: sorted by (query,
    distance, id), an id stored more than once reported once, at its smallest distance.
    """
    if radius < 0:
        raise ValueError("radius must be >= 0")
    stored = as_words(words)
    id_array = np.asarray(ids, dtype=np.int64)
    if len(id_array) != len(stored):
        raise ValueError("one id per hash")
    qrow, pos, dist = distances_within(stored, as_words(query_words), radius)
    return finalize_hits(qrow, id_array[pos], dist)
