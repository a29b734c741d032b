"""What a search returns: single hits, batch hits (parallel arrays) and self-join pairs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, order=True)
class IndexHit:
    """One stored hash within the radius: the caller's id and the Hamming distance in bits."""

    id: int
    distance: int


@dataclass(frozen=True)
class BatchHits:
    """Hits of many queries as parallel arrays, sorted by (query, distance, id).

    ``query`` is the row of the query in the input, ``id`` the caller's id, ``distance`` bits.
    """

    query: npt.NDArray[np.int64]
    id: npt.NDArray[np.int64]
    distance: npt.NDArray[np.int16]

    def __len__(self) -> int:
        return len(self.query)

    def for_query(self, row: int) -> list[IndexHit]:
        """The hits of one query, as :meth:`PdqIndex.search` returns them."""
        lo, hi = np.searchsorted(self.query, [row, row + 1])
        return [
            IndexHit(int(i), int(d))
            for i, d in zip(self.id[lo:hi], self.distance[lo:hi], strict=True)
        ]


@dataclass(frozen=True)
class PairHits:
    """Unordered pairs within the radius as parallel arrays: ``id_a < id_b``, sorted by both."""

    id_a: npt.NDArray[np.int64]
    id_b: npt.NDArray[np.int64]
    distance: npt.NDArray[np.int16]

    def __len__(self) -> int:
        return len(self.id_a)


def _first_of_groups(*keys: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """True at the first row of each run of equal keys (rows already sorted by the keys)."""
    first = np.ones(len(keys[0]), dtype=bool)
    if len(first) > 1:
        same = np.ones(len(first) - 1, dtype=bool)
        for key in keys:
            same &= key[1:] == key[:-1]
        first[1:] = ~same
    return first


def finalize_hits(
    query: npt.NDArray[np.int64], ids: npt.NDArray[np.int64], distance: npt.NDArray[np.int16]
) -> BatchHits:
    """One hit per (query, id) at its smallest distance, sorted by (query, distance, id)."""
    query, ids = query.astype(np.int64, copy=False), ids.astype(np.int64, copy=False)
    distance = distance.astype(np.int16, copy=False)
    order = np.lexsort((distance, ids, query))
    query, ids, distance = query[order], ids[order], distance[order]
    keep = _first_of_groups(query, ids)
    query, ids, distance = query[keep], ids[keep], distance[keep]
    order = np.lexsort((ids, distance, query))
    return BatchHits(query[order], ids[order], distance[order])


def finalize_pairs(
    a: npt.NDArray[np.int64], b: npt.NDArray[np.int64], distance: npt.NDArray[np.int16]
) -> PairHits:
    """Pairs as (smaller id, larger id), equal ids dropped, each pair once at its smallest
    distance, sorted by (id_a, id_b)."""
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    lo, hi, distance = lo[keep], hi[keep], distance[keep].astype(np.int16, copy=False)
    order = np.lexsort((distance, hi, lo))
    lo, hi, distance = lo[order], hi[order], distance[order]
    first = _first_of_groups(lo, hi)
    return PairHits(lo[first], hi[first], distance[first])
