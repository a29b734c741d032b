"""PdqIndex persistence and incrementality: the log, sealing, merging, reopening, crashes."""

from __future__ import annotations

import itertools
import json
import multiprocessing
from pathlib import Path

import numpy as np
import pytest

from tests.kit.index_kit import near_queries, random_words
from vidtrace.index import BatchHits, IndexLockedError, PdqIndex, brute_force_search
from vidtrace.index.delta import RECORD_BYTES


def as_tuples(hits: BatchHits) -> list[tuple[int, int, int]]:
    return list(zip(hits.query.tolist(), hits.id.tolist(), hits.distance.tolist(), strict=True))


Corpus = tuple[np.ndarray, np.ndarray, np.ndarray]  # hashes, ids, queries


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    rng = np.random.default_rng(42)
    words = random_words(rng, 5000)
    words[4000:] = near_queries(rng, words[:4000], 1000, max_distance=35)
    ids = np.arange(len(words), dtype=np.int64) + 100
    queries = near_queries(rng, words, 80, max_distance=35)
    return words, ids, queries


def expected(corpus: Corpus, count: int) -> list[tuple[int, int, int]]:
    words, ids, queries = corpus
    return as_tuples(brute_force_search(words[:count], ids[:count], queries, 31))


def test_adds_are_searchable_at_once_across_seals_and_merges(
    tmp_path: Path, corpus: Corpus
) -> None:
    words, ids, queries = corpus
    index = PdqIndex.open(tmp_path / "index", seal_threshold=300, durable=False)
    added = 0
    sizes_seen = set()
    for size in [1, 17, 250, 40, 600, 1, 999, 93, 1500, 499]:
        index.add(words[added : added + size], ids[added : added + size])
        added += size
        assert len(index) == added
        assert index.max_id == ids[added - 1]
        # the hash just added is found at distance 0
        last = index.search_batch(words[added - 1 : added], 0)
        assert ids[added - 1] in last.id.tolist()
        sizes_seen.add(index.segment_sizes)
        assert as_tuples(index.search_batch(queries, 31)) == expected(corpus, added)
    assert any(len(s) >= 2 for s in sizes_seen), "some state has several segments"
    assert len(index.segment_sizes) <= 4
    sizes = index.segment_sizes
    assert all(newer * 4 < older for older, newer in itertools.pairwise(sizes))
    index.close()


def test_reopen_gives_the_same_results(tmp_path: Path, corpus: Corpus) -> None:
    words, ids, queries = corpus
    path = tmp_path / "index"
    with PdqIndex.open(path, seal_threshold=400) as index:
        for start, end in [(0, 2000), (2000, 2300), (2300, 2450), (2450, 2750)]:
            index.add(words[start:end], ids[start:end])
        before = as_tuples(index.search_batch(queries))
        assert index.segment_sizes == (2000, 450)
        assert index.delta_size == 300
    with PdqIndex.open(path, seal_threshold=400) as index:
        assert index.segment_sizes == (2000, 450)
        assert len(index) == 2750
        assert index.max_id == ids[2749]
        assert as_tuples(index.search_batch(queries)) == before == expected(corpus, 2750)
        index.add(words[2900:], ids[2900:])
        assert as_tuples(index.search_batch(queries)) == expected(corpus, 5000)
    listed = json.loads((path / "manifest.json").read_text())
    on_disk = {p.name for p in path.iterdir()}
    assert on_disk == {"manifest.json", "LOCK", listed["log"]} | {
        s["name"] for s in listed["segments"]
    }


def test_torn_log_record_is_ignored(tmp_path: Path, corpus: Corpus) -> None:
    words, ids, queries = corpus
    path = tmp_path / "index"
    with PdqIndex.open(path) as index:
        index.add(words[:50], ids[:50])
        log = path / json.loads((path / "manifest.json").read_text())["log"]
    assert log.stat().st_size == 50 * RECORD_BYTES
    with log.open("ab") as stream:  # a crash in the middle of writing record 51
        stream.write(b"\x01" * (RECORD_BYTES - 3))
    reader = PdqIndex.open(path, readonly=True)
    assert len(reader) == 50
    with PdqIndex.open(path) as index:
        assert len(index) == 50
        assert log.stat().st_size == 50 * RECORD_BYTES  # the writer cut the torn record off
        index.add(words[50:60], ids[50:60])
    with PdqIndex.open(path) as index:
        assert len(index) == 60
        assert as_tuples(index.search_batch(queries)) == expected(corpus, 60)


def test_leftovers_of_a_crash_are_removed(tmp_path: Path, corpus: Corpus) -> None:
    words, ids, _ = corpus
    path = tmp_path / "index"
    with PdqIndex.open(path, seal_threshold=100) as index:
        index.add(words[:150], ids[:150])
    (path / "seg-99999999").mkdir()  # a segment being built when the process died
    (path / "seg-99999999" / "words.npy").write_bytes(b"partial")
    (path / "delta-99999999.log").write_bytes(b"")
    (path / "manifest.json.tmp").write_text("{")
    with PdqIndex.open(path) as index:
        assert len(index) == 150
    names = {p.name for p in path.iterdir()}
    assert not {"seg-99999999", "delta-99999999.log", "manifest.json.tmp"} & names


def test_reset_drops_everything(tmp_path: Path, corpus: Corpus) -> None:
    words, ids, queries = corpus
    path = tmp_path / "index"
    with PdqIndex.open(path, seal_threshold=100) as index:
        index.add(words[:250], ids[:250])
        index.reset()
        assert len(index) == 0
        assert index.max_id is None
        assert len(index.search_batch(queries)) == 0
        index.add(words[:10], ids[:10])
    with PdqIndex.open(path) as index:
        assert len(index) == 10
        assert index.segment_sizes == ()


def test_compact_merges_everything_into_one_segment(tmp_path: Path, corpus: Corpus) -> None:
    words, ids, queries = corpus
    with PdqIndex.open(tmp_path / "index", seal_threshold=400) as index:
        for start in range(0, 3000, 350):
            index.add(words[start : start + 350], ids[start : start + 350])
        index.compact()
        assert index.segment_sizes == (3150,)
        assert index.delta_size == 0
        assert as_tuples(index.search_batch(queries)) == expected(corpus, 3150)


def test_one_writer_many_readers(tmp_path: Path, corpus: Corpus) -> None:
    words, ids, _ = corpus
    path = tmp_path / "index"
    writer = PdqIndex.open(path, seal_threshold=100)
    writer.add(words[:130], ids[:130])
    with pytest.raises(IndexLockedError):
        PdqIndex.open(path)
    reader = PdqIndex.open(path, readonly=True)
    assert len(reader) == 130
    assert reader.search_batch(words[:5], 0).id.tolist() == ids[:5].tolist()
    with pytest.raises(PermissionError):
        reader.add(words[:1], ids[:1])
    writer.close()
    PdqIndex.open(path).close()  # the lock is released by close()


def _count_in_child(path: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    index = PdqIndex.open(Path(path), readonly=True)
    queue.put((len(index), index.max_id))


def test_a_reader_in_another_process_sees_segments_and_log(tmp_path: Path, corpus: Corpus) -> None:
    words, ids, _ = corpus
    path = tmp_path / "index"
    with PdqIndex.open(path, seal_threshold=100) as index:
        index.add(words[:130], ids[:130])  # a segment
        index.add(words[130:150], ids[130:150])  # the log
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        child = context.Process(target=_count_in_child, args=(str(path), queue))
        child.start()
        assert queue.get(timeout=60) == (150, int(ids[149]))
        child.join()


def test_readonly_on_a_missing_directory_is_empty(tmp_path: Path) -> None:
    reader = PdqIndex.open(tmp_path / "nothing", readonly=True)
    assert len(reader) == 0
    assert not (tmp_path / "nothing").exists()


def test_bad_input_is_refused(tmp_path: Path) -> None:
    with PdqIndex.open(tmp_path / "index") as index:
        with pytest.raises(ValueError, match="ids"):
            index.add(["0" * 64], [1, 2])
        with pytest.raises(TypeError):
            index.add(np.zeros((2, 4), np.int64), [1, 2])
        with pytest.raises(ValueError):
            index.add(np.zeros((2, 3), np.uint64), [1, 2])
        index.add([], [])
        assert len(index) == 0
