"""PDQ index benchmark: query latency, throughput, build time, memory, recall and self-join.

Every figure is printed next to baselines measured in the same run, because the machines are
noisy: report the ratios. Baselines: faiss ``IndexBinaryFlat.range_search`` (exhaustive, one
thread) and a numpy ``bitwise_count`` scan (``vidtrace.index.brute_force_search``).

    .venv/bin/python -m bench.index                            # 1 M and 10 M hashes (~10 min)
    .venv/bin/python -m bench.index --sizes 1000000            # quicker
    .venv/bin/python -m bench.index --sizes 200000 --self-join 0 --queries 300   # smoke test

Data: synthetic PDQ hashes with realistic structure (20 % of them in near-duplicate clusters,
members 0-40 bits from their centre, among uniform random hashes); queries are half
near-duplicates (0-40 bits) of stored hashes, half unrelated. Plus ThreatExchange's
haystack/needles lists from ../shared/data/pdq/reg-test-input when present.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import faiss
import numpy as np
from tests.kit.index_kit import mixed_corpus, near_queries, random_words

from vidtrace.index import PdqIndex, brute_force_search, hex_to_words, words_to_hex

OUT = Path(__file__).resolve().parent / "out"
SHARED_PDQ = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pdq"
RADIUS = 31


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def latencies(fn: Callable[[int], object], count: int) -> np.ndarray:
    """Seconds per call of fn(i) for i in range(count), after a few warm-up calls."""
    for i in range(min(20, count)):
        fn(i)
    times = np.empty(count)
    for i in range(count):
        started = time.perf_counter()
        fn(i)
        times[i] = time.perf_counter() - started
    return times


def triples(query: np.ndarray, ids: np.ndarray, dist: np.ndarray) -> set[tuple[int, int, int]]:
    return set(zip(query.tolist(), ids.tolist(), dist.tolist(), strict=True))


def faiss_range(index: faiss.IndexBinaryFlat, queries: np.ndarray) -> set[tuple[int, int, int]]:
    """faiss's exhaustive range search; its radius is exclusive, hence RADIUS + 1."""
    limits, distances, labels = index.range_search(queries.view(np.uint8), RADIUS + 1)
    rows = np.repeat(np.arange(len(queries)), np.diff(limits).astype(np.int64))
    return triples(rows, labels, distances.astype(np.int64))


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1e3:8.3f} ms"


def bench_size(count: int, args: argparse.Namespace, work: Path) -> None:
    print(f"\n== {count:,} hashes (20 % in near-duplicate clusters), radius {RADIUS}, 1 thread")
    rng = np.random.default_rng(count)
    words = mixed_corpus(rng, count)
    ids = np.arange(count, dtype=np.int64)
    half = args.queries // 2
    queries = np.concatenate([near_queries(rng, words, half), random_words(rng, half)])
    queries = queries[rng.permutation(len(queries))]
    query_hex = words_to_hex(queries)

    gc.collect()
    before = rss_bytes()
    folder = work / f"index-{count}"
    started = time.perf_counter()
    index = PdqIndex.open(folder, durable=False)
    index.add(words, ids)
    build = time.perf_counter() - started
    ours = latencies(lambda i: index.search(query_hex[i]), len(query_hex))
    resident = rss_bytes() - before
    on_disk = folder_bytes(folder)
    started = time.perf_counter()
    batch = index.search_batch(queries)
    batch_seconds = time.perf_counter() - started

    faiss.omp_set_num_threads(1)
    started = time.perf_counter()
    flat = faiss.IndexBinaryFlat(256)
    flat.add(words.view(np.uint8))
    faiss_build = time.perf_counter() - started
    sample = min(len(queries), args.baseline_queries)
    theirs = latencies(lambda i: flat.range_search(queries[i : i + 1].view(np.uint8), 32), sample)
    scan = latencies(
        lambda i: brute_force_search(words, ids, queries[i : i + 1], RADIUS),
        min(sample, args.numpy_queries),
    )

    recall_rows = np.arange(min(len(queries), args.recall_queries))
    truth = faiss_range(flat, queries[recall_rows])
    got = triples(
        batch.query[batch.query < len(recall_rows)],
        batch.id[batch.query < len(recall_rows)],
        batch.distance[batch.query < len(recall_rows)].astype(np.int64),
    )
    recall = len(truth & got) / max(len(truth), 1)
    false = len(got - truth)

    p50, p99 = np.percentile(ours, [50, 99])
    f50, f99 = np.percentile(theirs, [50, 99])
    n50 = np.percentile(scan, 50)
    print(f"build (one bulk add -> one segment): {build:7.1f} s   (faiss add: {faiss_build:.1f} s)")
    print(f"index arrays on disk/mapped: {on_disk / 1e9:6.2f} GB ({on_disk / count:.0f} B/hash)")
    print(
        f"RSS delta after build + queries: {resident / 1e9:6.2f} GB"
        f"   (faiss flat: {count * 32 / 1e9:.2f} GB)"
    )
    print(f"search() p50 {fmt_ms(p50)}  p99 {fmt_ms(p99)}   ({len(ours)} queries)")
    print(f"faiss flat p50 {fmt_ms(f50)}  p99 {fmt_ms(f99)}   ({len(theirs)} queries)")
    print(f"numpy scan p50 {fmt_ms(n50)}   ({len(scan)} queries)")
    print(f"p50 speed-up: x{f50 / p50:.1f} vs faiss flat, x{n50 / p50:.1f} vs numpy scan")
    print(
        f"search_batch: {len(queries) / batch_seconds:8.0f} queries/s"
        f"   (faiss flat: {1 / theirs.mean():.0f} queries/s;"
        f" x{theirs.mean() * len(queries) / batch_seconds:.1f})"
    )
    print(
        f"recall vs faiss flat on {len(recall_rows)} queries: {recall:.2%}"
        f" ({len(truth)} hits, {false} not in the truth)"
    )
    if count == args.self_join:
        self_join(index, flat, words, rng, args)
    if args.adds:
        incremental(index, words, query_hex, rng, args.adds, p50)
    index.close()
    shutil.rmtree(folder)


def self_join(
    index: PdqIndex,
    flat: faiss.IndexBinaryFlat,
    words: np.ndarray,
    rng: np.random.Generator,
    args: argparse.Namespace,
) -> None:
    print(f"\n-- self_join({RADIUS}) over {len(index):,} hashes")
    timings = {}
    pairs = None
    for workers in (1, args.workers):
        started = time.perf_counter()
        pairs = index.self_join(RADIUS, workers=workers)
        timings[workers] = time.perf_counter() - started
        print(f"workers={workers}: {timings[workers]:7.1f} s, {len(pairs):,} pairs")
    assert pairs is not None
    sample = rng.choice(len(words), args.join_check, replace=False)
    started = time.perf_counter()
    truth = faiss_range(flat, words[sample])
    faiss_seconds = time.perf_counter() - started
    expected = {(int(sample[q]), i) for q, i, _ in truth if i != sample[q]}
    chosen = set(sample.tolist())
    found = {
        (a, b) for a, b in zip(pairs.id_a.tolist(), pairs.id_b.tolist(), strict=True) if a in chosen
    } | {
        (b, a) for a, b in zip(pairs.id_a.tolist(), pairs.id_b.tolist(), strict=True) if b in chosen
    }
    estimate = faiss_seconds / len(sample) * len(words)
    best = timings[args.workers]
    print(
        f"faiss flat all-pairs estimate (from {len(sample)} queries, 1 thread): {estimate:7.0f} s"
        f" -> x{estimate / timings[1]:.0f} vs 1 worker;"
        f" {estimate / args.workers:.0f} s if it scaled perfectly on {args.workers} threads"
        f" (x{estimate / args.workers / best:.0f})"
    )
    print(
        f"pairs of {len(sample)} sampled hashes equal to faiss's: {found == expected}"
        f" ({len(expected)} pairs)"
    )


def incremental(
    index: PdqIndex,
    words: np.ndarray,
    query_hex: list[str],
    rng: np.random.Generator,
    total: int,
    bulk_p50: float,
) -> None:
    """Adds of 1,000 hashes (fsync'd), then search again with the segments and delta they left."""
    print(f"\n-- {total:,} more hashes in adds of 1,000 (durable: fsync per add)")
    extra = np.concatenate([near_queries(rng, words, total // 2), random_words(rng, total // 2)])
    first = len(index)
    index.close()
    reopened = PdqIndex.open(index.directory)  # durable=True, like an application
    started = time.perf_counter()
    for start in range(0, len(extra), 1000):
        chunk = extra[start : start + 1000]
        reopened.add(chunk, np.arange(first + start, first + start + len(chunk)))
    seconds = time.perf_counter() - started
    print(
        f"{len(extra) / seconds:8.0f} hashes/s added; segments {reopened.segment_sizes},"
        f" delta {reopened.delta_size:,}"
    )
    times = latencies(lambda i: reopened.search(query_hex[i]), len(query_hex))
    p50, p99 = np.percentile(times, [50, 99])
    print(f"search() p50 {fmt_ms(p50)}  p99 {fmt_ms(p99)}   (x{p50 / bulk_p50:.2f} vs one segment)")
    reopened.close()


def shared_lists() -> None:
    folder = SHARED_PDQ / "reg-test-input"
    print(f"\n== ThreatExchange haystack/needles ({folder})")
    if not (folder / "haystack.txt").is_file():
        print("shared PDQ lists not found: skipped")
        return
    haystack = (folder / "haystack.txt").read_text().split()
    needles = (folder / "needles.txt").read_text().split()
    words, queries = hex_to_words(haystack), hex_to_words(needles)
    ids = np.arange(len(words), dtype=np.int64)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        index = PdqIndex.open(Path(tmp) / "index", seal_threshold=256, durable=False)
        index.add(words, ids)
        for radius in (0, 10, RADIUS, 32):
            ours = index.search_batch(queries, radius)
            truth = brute_force_search(words, ids, queries, radius)
            both = triples(ours.query, ours.id, ours.distance.astype(np.int64))
            want = triples(truth.query, truth.id, truth.distance.astype(np.int64))
            matched = len(set(ours.query.tolist()))
            print(
                f"radius {radius:2d}: {len(want):5d} hits"
                f" ({matched}/{len(needles)} needles matched),"
                f" recall {len(both & want) / max(len(want), 1):.2%}, exact: {both == want}"
            )
        index.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--queries", type=int, default=2000, help="latency/throughput queries")
    parser.add_argument("--baseline-queries", type=int, default=100, help="faiss latency sample")
    parser.add_argument("--numpy-queries", type=int, default=20, help="numpy scan sample")
    parser.add_argument("--recall-queries", type=int, default=500)
    parser.add_argument("--self-join", type=int, default=1_000_000, help="size to self-join at")
    parser.add_argument("--join-check", type=int, default=1000, help="self-join sample checked")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--adds", type=int, default=200_000, help="incremental adds (0: skip)")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=OUT) as work:
        for count in (int(s) for s in args.sizes.split(",")):
            bench_size(count, args, Path(work))
    shared_lists()
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
