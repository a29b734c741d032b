"""PdqIndex.self_join finds exactly the brute-force pairs, each once, across segments and delta."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.kit.index_kit import clustered_words, random_words, sparse_words
from vidtrace.index import PairHits, PdqIndex, probing
from vidtrace.index.hashes import distances_within


def brute_force_pairs(words: np.ndarray, ids: np.ndarray, radius: int) -> set:
    rows, cols, dist = distances_within(words, words, radius)
    best: dict[tuple[int, int], int] = {}
    for r, c, d in zip(rows.tolist(), cols.tolist(), dist.tolist(), strict=True):
        a, b = sorted((int(ids[r]), int(ids[c])))
        if a != b:
            best[(a, b)] = min(d, best.get((a, b), 999))
    return {(a, b, d) for (a, b), d in best.items()}


def as_set(pairs: PairHits) -> set:
    found = list(
        zip(pairs.id_a.tolist(), pairs.id_b.tolist(), pairs.distance.tolist(), strict=True)
    )
    assert len(found) == len(set(found)), "each pair once"
    assert all(a < b for a, b, _ in found)
    assert found == sorted(found)
    return set(found)


@pytest.fixture(params=["auto", "probing-only"])
def route(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "probing-only":
        monkeypatch.setattr(probing, "SCAN_CELLS", 0)
        monkeypatch.setattr(probing, "SCAN_SHARE", 0)
    return str(request.param)


@pytest.fixture(scope="module")
def clustered() -> np.ndarray:
    rng = np.random.default_rng(77)
    words, _ = clustered_words(rng, 150, 12, max_distance=40)
    return np.concatenate([words, random_words(rng, 3000)])[rng.permutation(4950)]


@pytest.mark.parametrize("radius", [0, 1, 10, 31, 32])
def test_self_join_of_one_segment_equals_brute_force(
    tmp_path: Path, clustered: np.ndarray, radius: int, route: str
) -> None:
    ids = np.arange(len(clustered), dtype=np.int64) * 2
    with PdqIndex.open(tmp_path / "index", seal_threshold=100) as index:
        index.add(clustered, ids)
        assert index.segment_sizes == (len(clustered),)
        assert as_set(index.self_join(radius)) == brute_force_pairs(clustered, ids, radius)


def test_self_join_across_segments_and_delta(
    tmp_path: Path, clustered: np.ndarray, route: str
) -> None:
    ids = np.random.default_rng(1).permutation(len(clustered)).astype(np.int64)
    with PdqIndex.open(tmp_path / "index", seal_threshold=700) as index:
        for start, end in [(0, 3000), (3000, 3500), (3500, 3700), (3700, 4300)]:
            index.add(clustered[start:end], ids[start:end])
        assert index.segment_sizes == (3000, 700)
        assert index.delta_size == 600
        expected = brute_force_pairs(clustered[:4300], ids[:4300], 31)
        assert as_set(index.self_join(31)) == expected
        assert as_set(index.self_join(31, workers=2)) == expected


def test_self_join_on_skewed_data_and_duplicate_ids(tmp_path: Path, route: str) -> None:
    rng = np.random.default_rng(9)
    words = sparse_words(rng, 1500, max_ones=12)
    ids = np.arange(len(words), dtype=np.int64) // 2  # every id twice
    with PdqIndex.open(tmp_path / "index", seal_threshold=1000) as index:
        index.add(words, ids)
        assert as_set(index.self_join(10)) == brute_force_pairs(words, ids, 10)


def test_self_join_refuses_bad_arguments(tmp_path: Path) -> None:
    with PdqIndex.open(tmp_path / "index") as index:
        with pytest.raises(ValueError):
            index.self_join(33)
        with pytest.raises(ValueError):
            index.self_join(31, workers=0)
