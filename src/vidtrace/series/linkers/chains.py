"""Sorting media into chains: the shared step of the linkers that link neighbours in an order
(same camera by capture time, sequence by counter), so links stay O(n) for any group size."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

from vidtrace.series.linkers.base import Bools, Floats, Ints


def sha_rank(sha256: Sequence[str]) -> Ints:
    """Each media item's place in SHA-256 order: a tie-break that ignores the input order."""
    rank = np.empty(len(sha256), np.int64)
    rank[np.array(sorted(range(len(sha256)), key=sha256.__getitem__), np.int64)] = np.arange(
        len(sha256), dtype=np.int64
    )
    return rank


def group_ids(keys: Sequence[Hashable]) -> Ints:
    """One integer per distinct key (only equality matters: groups are compared, not ordered)."""
    ids: dict[Hashable, int] = {}
    return np.fromiter((ids.setdefault(k, len(ids)) for k in keys), np.int64, len(keys))


def neighbours(
    group: Ints, when: Floats, rank: Ints, new: Bools, max_apart: float | None
) -> tuple[Ints, Ints]:
    """Rows next to each other in (group, when, rank) order, with a new one among them.

    ``when`` may be +inf (unknown: last). Pairs more than ``max_apart`` apart are dropped; as
    the gap only grows along the order, linking neighbours joins exactly the media that a
    chain of close pairs joins, however the media arrived.
    """
    order = np.lexsort((rank, when, group))
    a, b = order[:-1], order[1:]
    keep = (group[a] == group[b]) & (new[a] | new[b])
    if max_apart is not None:
        keep &= when[b] - when[a] <= max_apart
    return a[keep], b[keep]
