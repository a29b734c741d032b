"""Exact Hamming-radius search over PDQ hashes at 10-100 million hashes, in pure numpy.

``PdqIndex`` is the entry point; ``brute_force_search`` is the reference it is tested against.
See docs/decisions/002-pdq-index.md for the design and its measured figures.
"""

from vidtrace.index.chunks import MAX_RADIUS
from vidtrace.index.hashes import brute_force_search, hex_to_words, words_to_hex
from vidtrace.index.manifest import IndexLockedError
from vidtrace.index.pdq_index import DEFAULT_RADIUS, PdqIndex
from vidtrace.index.results import BatchHits, IndexHit, PairHits

__all__ = [
    "DEFAULT_RADIUS",
    "MAX_RADIUS",
    "BatchHits",
    "IndexHit",
    "IndexLockedError",
    "PairHits",
    "PdqIndex",
    "brute_force_search",
    "hex_to_words",
    "words_to_hex",
]
