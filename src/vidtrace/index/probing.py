"""Exact radius search of a batch of queries against one segment's chunk tables.

All probes of all queries in the batch are resolved together: one gather of bucket bounds for
every (query, probe), one expansion of the buckets into candidate positions, one low-bits filter
and one verification of the full 256-bit distance. Candidates are expanded in groups of at most
``CANDIDATE_GROUP`` to bound memory when some buckets are huge (skewed data).
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from vidtrace.index.chunks import chunk_keys, flips_for_radius, probe_plan
from vidtrace.index.hashes import hamming_rows, scan
from vidtrace.index.segment import Segment

Words: TypeAlias = npt.NDArray[np.uint64]
Int64s: TypeAlias = npt.NDArray[np.int64]
Matches: TypeAlias = tuple[Int64s, Int64s, npt.NDArray[np.int16]]

# A segment is scanned when rows x queries is at most this: probing costs ~0.07 ms of numpy
# calls per batch whatever the size, scanning ~3 ns per row and query (measured).
SCAN_CELLS = 1 << 15
# A query with more candidates than 1/SCAN_SHARE of the segment's rows scans the segment instead:
# a random candidate costs roughly as much as comparing SCAN_SHARE rows in sequence.
SCAN_SHARE = 8
CANDIDATE_GROUP = 1 << 22


def search_segment(
    segment: Segment, query_words: Words, radius: int, *, self_side: bool = False
) -> Matches:
    """(query row, segment position, distance) of every row within ``radius`` of a query.

    A (query, position) pair may appear more than once (found through several chunks). With
    ``self_side`` the queries are themselves rows of the segment and each pair of rows needs to
    be found from one side only (see ``ProbePlan.high_bit``); the pair may still come from both.
    """
    flips = flips_for_radius(radius)
    if segment.count * len(query_words) <= SCAN_CELLS or len(query_words) == 0:
        return scan(segment.words, query_words, radius)
    plan = probe_plan(segment.bits, flips)
    probes = len(plan)
    keys = chunk_keys(query_words)
    low_bits = segment.low_bits
    query_top = np.take(keys >> low_bits, plan.chunk, axis=1)
    bucket = query_top ^ plan.top_mask
    bucket += segment.bucket_bases[plan.chunk]
    # probe_of[i]: the (query row * probes + probe) that bucket i belongs to.
    probe_of: Int64s | None = None
    if self_side:  # skip the probes the other side of each pair makes
        probe_of = np.flatnonzero((query_top & plan.high_bit) == 0)
        bucket = np.take(bucket, probe_of)
    starts = np.take(segment.offsets, bucket).astype(np.int64).ravel()
    bucket += 1
    lengths = (np.take(segment.offsets, bucket) - starts.reshape(bucket.shape)).ravel()
    del bucket, query_top
    if probe_of is None:
        totals = lengths.reshape(len(query_words), probes).sum(axis=1)
    else:
        totals = np.bincount(probe_of // probes, weights=lengths, minlength=len(query_words))
    scanned = np.flatnonzero(totals * SCAN_SHARE > segment.count)
    if len(scanned):  # these queries scan the segment instead: drop their probes
        if probe_of is None:
            lengths.reshape(len(query_words), probes)[scanned] = 0
        else:
            lengths[np.isin(probe_of // probes, scanned)] = 0
    flat = np.flatnonzero(lengths)
    lengths = np.take(lengths, flat)
    starts = np.take(starts, flat)
    if probe_of is not None:
        flat = np.take(probe_of, flat)
    query_row = flat // probes
    probe = flat - query_row * probes
    chunk = np.take(plan.chunk, probe)
    starts += chunk * segment.count
    want_low: Int64s | None = None
    allowed: npt.NDArray[np.uint8] | None = None
    if segment.low is not None:
        query_low = keys & ((1 << low_bits) - 1)
        want_low = np.take(query_low, query_row * keys.shape[1] + chunk)
        allowed = np.take(plan.low_flips, probe)
    found = _expand(segment, query_words, radius, starts, lengths, query_row, want_low, allowed)
    if len(scanned):
        q, pos, dist = scan(segment.words, query_words[scanned], radius)
        found.append((scanned[q], pos, dist))
    if not found:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int16)
    rows, positions, distances = zip(*found, strict=True)
    return np.concatenate(rows), np.concatenate(positions), np.concatenate(distances)


def _expand(
    segment: Segment,
    query_words: Words,
    radius: int,
    starts: Int64s,
    lengths: Int64s,
    query_row: Int64s,
    want_low: Int64s | None,
    allowed: npt.NDArray[np.uint8] | None,
) -> list[Matches]:
    """Verify the candidates of the given buckets, in groups of about CANDIDATE_GROUP."""
    if len(lengths) and lengths.max() > CANDIDATE_GROUP:
        starts, lengths, parent = _split_buckets(starts, lengths)
        query_row = query_row[parent]
        if want_low is not None and allowed is not None:
            want_low, allowed = want_low[parent], allowed[parent]
    ends = np.cumsum(lengths)
    found: list[Matches] = []
    first = 0
    while first < len(lengths):
        done = ends[first - 1] if first else 0
        last = max(first + 1, int(np.searchsorted(ends, done + CANDIDATE_GROUP, side="right")))
        group = slice(first, last)
        group_lengths = lengths[group]
        total = int(ends[last - 1] - done)
        probe = np.repeat(np.arange(last - first), group_lengths)
        index = np.take(starts[group] - (ends[group] - done) + group_lengths, probe)
        index += np.arange(total)
        if segment.low is not None and want_low is not None and allowed is not None:
            differ = np.bitwise_count(np.take(segment.low, index) ^ np.take(want_low[group], probe))
            keep = np.flatnonzero(differ <= np.take(allowed[group], probe))
            index, probe = np.take(index, keep), np.take(probe, keep)
        positions = np.take(segment.order, index).astype(np.int64)
        rows = np.take(query_row[group], probe)
        distance = hamming_rows(np.take(segment.words, positions, axis=0), query_words, rows)
        hit = np.flatnonzero(distance <= radius)
        found.append((np.take(rows, hit), np.take(positions, hit), np.take(distance, hit)))
        first = last
    return found


def _split_buckets(starts: Int64s, lengths: Int64s) -> tuple[Int64s, Int64s, Int64s]:
    """Cut buckets longer than CANDIDATE_GROUP into pieces; ``parent`` maps a piece back."""
    pieces = -(-lengths // CANDIDATE_GROUP)
    parent = np.repeat(np.arange(len(lengths)), pieces)
    piece = np.arange(len(parent)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    new_starts = starts[parent] + piece * CANDIDATE_GROUP
    new_lengths = np.minimum(CANDIDATE_GROUP, lengths[parent] - piece * CANDIDATE_GROUP)
    return new_starts, new_lengths, parent
