"""PdqIndex search is exact: it equals brute force on random, clustered and skewed data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.kit.index_kit import (
    clustered_words,
    near_queries,
    random_words,
    sparse_words,
)
from vidtrace.index import (
    BatchHits,
    IndexHit,
    PdqIndex,
    brute_force_search,
    hex_to_words,
    probing,
    words_to_hex,
)
from vidtrace.index import segment as segment_module
from vidtrace.index.chunks import CHUNK_STARTS, CHUNK_WIDTHS, chunk_key, flips_for_radius

RADII = [0, 1, 10, 31, 32]


def as_tuples(hits: BatchHits) -> list[tuple[int, int, int]]:
    return list(zip(hits.query.tolist(), hits.id.tolist(), hits.distance.tolist(), strict=True))


@pytest.fixture(params=["auto", "probing-only"])
def route(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """'probing-only' never falls back to scanning a segment, so the tables answer everything."""
    if request.param == "probing-only":
        monkeypatch.setattr(probing, "SCAN_CELLS", 0)
        monkeypatch.setattr(probing, "SCAN_SHARE", 0)
    return str(request.param)


def build(path: Path, words: np.ndarray, ids: np.ndarray, threshold: int = 1000) -> PdqIndex:
    index = PdqIndex.open(path, seal_threshold=threshold, durable=False)
    index.add(words, ids)
    return index


@pytest.fixture(scope="module")
def datasets() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(20261201)
    uniform = random_words(rng, 12_000)
    clustered, _ = clustered_words(rng, 400, 20, max_distance=40)
    clustered = np.concatenate([clustered, random_words(rng, 4000)])
    skewed = sparse_words(rng, 6000, max_ones=24)
    found = {}
    for name, words in [("uniform", uniform), ("clustered", clustered), ("skewed", skewed)]:
        queries = np.concatenate(
            [near_queries(rng, words, 150, max_distance=40), random_words(rng, 30)]
        )
        found[name] = (words, queries)
    return found


@pytest.mark.parametrize("name", ["uniform", "clustered", "skewed"])
def test_search_batch_equals_brute_force(
    tmp_path: Path, datasets: dict[str, tuple[np.ndarray, np.ndarray]], name: str, route: str
) -> None:
    words, queries = datasets[name]
    ids = np.arange(len(words), dtype=np.int64) * 3 + 7
    index = build(tmp_path / "index", words, ids)
    assert len(index) == len(words)
    for radius in RADII:
        expected = brute_force_search(words, ids, queries, radius)
        got = index.search_batch(queries, radius)
        assert as_tuples(got) == as_tuples(expected), (name, radius)
    index.close()


def test_huge_buckets_are_expanded_in_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(probing, "SCAN_SHARE", 0)
    monkeypatch.setattr(probing, "CANDIDATE_GROUP", 500)
    rng = np.random.default_rng(5)
    words = sparse_words(rng, 4000, max_ones=6)
    ids = np.arange(len(words), dtype=np.int64)
    index = build(tmp_path / "index", words, ids)
    queries = near_queries(rng, words, 40, max_distance=8)
    for radius in (0, 10, 31):
        expected = brute_force_search(words, ids, queries, radius)
        assert as_tuples(index.search_batch(queries, radius)) == as_tuples(expected)


def test_search_equals_search_batch_and_is_sorted(tmp_path: Path, route: str) -> None:
    rng = np.random.default_rng(11)
    words, _ = clustered_words(rng, 200, 15, max_distance=35)
    ids = rng.permutation(len(words)).astype(np.int64)
    index = build(tmp_path / "index", words[:2500], ids[:2500])
    index.add(words[2500:], ids[2500:])  # part sealed, part in the delta
    queries = words_to_hex(near_queries(rng, words, 60, max_distance=30))
    batch = index.search_batch(queries, 31)
    for row, query in enumerate(queries):
        hits = index.search(query)
        assert hits == batch.for_query(row)
        assert hits == sorted(hits, key=lambda h: (h.distance, h.id))
        assert all(isinstance(h, IndexHit) for h in hits)


def test_radius_above_32_raises_and_32_is_allowed(tmp_path: Path) -> None:
    index = PdqIndex.open(tmp_path / "index")
    query = "0" * 64
    assert index.search(query, 32) == []
    for radius in (33, 64, -1):
        with pytest.raises(ValueError, match="radius"):
            index.search(query, radius)
        with pytest.raises(ValueError, match="radius"):
            index.self_join(radius)


def test_empty_index(tmp_path: Path) -> None:
    index = PdqIndex.open(tmp_path / "index")
    assert len(index) == 0
    assert index.max_id is None
    assert index.search("f" * 64) == []
    assert len(index.search_batch(["f" * 64, "0" * 64])) == 0
    assert len(index.search_batch(np.empty((0, 4), np.uint64))) == 0
    assert len(index.self_join()) == 0


def test_duplicate_ids_are_reported_once_at_the_smaller_distance(tmp_path: Path) -> None:
    index = PdqIndex.open(tmp_path / "index")
    base = "a" * 64
    near = "b" + "a" * 63  # a -> b flips one bit
    index.add([near, base], [5, 5])
    assert index.search(base) == [IndexHit(5, 0)]


def test_hex_round_trip_and_bit_layout() -> None:
    rng = np.random.default_rng(3)
    words = random_words(rng, 50)
    hexes = words_to_hex(words)
    assert all(len(h) == 64 for h in hexes)
    assert np.array_equal(hex_to_words(hexes), words)
    assert np.array_equal(hex_to_words([h.upper() for h in hexes]), words)
    assert hex_to_words(["8" + "0" * 63])[0, 0] == 1 << 63  # word 0 is the first 16 hex digits
    with pytest.raises(ValueError):
        hex_to_words(["abc"])
    with pytest.raises(ValueError):
        hex_to_words(["g" * 64])
    with pytest.raises(TypeError):
        hex_to_words("0" * 64)


def test_chunks_cover_every_bit_once() -> None:
    assert sum(CHUNK_WIDTHS) == 256
    assert CHUNK_STARTS[-1] + CHUNK_WIDTHS[-1] == 256
    covered = np.zeros(256, dtype=int)
    for chunk in range(len(CHUNK_WIDTHS)):
        for bit in range(256):
            words = np.zeros((1, 4), np.uint64)
            words[0, bit // 64] = np.uint64(1) << np.uint64(bit % 64)
            covered[bit] += int(chunk_key(words, chunk)[0] != 0)
    assert covered.tolist() == [1] * 256
    assert [flips_for_radius(r) for r in (0, 10, 11, 21, 22, 32)] == [0, 0, 1, 1, 2, 2]


def iterate(words: np.ndarray) -> Iterator[str]:
    yield from words_to_hex(words)


def test_hex_strings_and_words_give_the_same_results(tmp_path: Path) -> None:
    rng = np.random.default_rng(8)
    words = random_words(rng, 3000)
    index = build(tmp_path / "index", words, np.arange(3000))
    queries = near_queries(rng, words, 20, max_distance=20)
    assert as_tuples(index.search_batch(queries)) == as_tuples(
        index.search_batch(list(iterate(queries)))
    )


@pytest.mark.parametrize(
    "bits",
    [CHUNK_WIDTHS, (23,) * len(CHUNK_WIDTHS), (9,) * len(CHUNK_WIDTHS)],
    ids=["full-width (10 M+ layout)", "23 bits (4-8 M layout)", "9 bits"],
)
def test_every_table_layout_is_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bits: tuple[int, ...]
) -> None:
    """Large segments index all the key bits; force those layouts on a small segment."""
    monkeypatch.setattr(segment_module, "table_bits", lambda count: bits)
    monkeypatch.setattr(probing, "SCAN_CELLS", 0)
    monkeypatch.setattr(probing, "SCAN_SHARE", 0)
    rng = np.random.default_rng(21)
    words, _ = clustered_words(rng, 100, 20, max_distance=40)
    ids = np.arange(len(words), dtype=np.int64)
    index = build(tmp_path / "index", words, ids)
    assert index._segments[0].bits == bits
    assert (index._segments[0].low is None) == (bits == CHUNK_WIDTHS)
    queries = near_queries(rng, words, 100, max_distance=40)
    for radius in RADII:
        expected = brute_force_search(words, ids, queries, radius)
        assert as_tuples(index.search_batch(queries, radius)) == as_tuples(expected), radius
    hits = brute_force_search(words, ids, words, 31)  # every pair twice, plus each row itself
    assert len(index.self_join(31)) == (len(hits) - len(words)) // 2
