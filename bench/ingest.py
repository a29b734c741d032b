"""Ingest benchmark: end-to-end throughput, the hashing stage, and reduced-scale PDQ.

Every figure is printed next to a baseline measured in the same run, because the machines are
noisy: report the ratios.

    .venv/bin/python -m bench.ingest                 # full corpus: ~2,000 JPEGs + 20 videos
    .venv/bin/python -m bench.ingest --images 300    # quicker

The corpus is generated (benign gradients and shapes) and cached in bench/out/corpus.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pdqhash
from PIL import Image
from tests.kit.evidence import write_video

from vidtrace.bootstrap import bootstrap
from vidtrace.config import Limits, Settings
from vidtrace.ingest.reader import read_once
from vidtrace.signals.image_decode import decode_reduced
from vidtrace.signals.pdq import PdqSignal, bits_to_hex, hamming

OUT = Path(__file__).resolve().parent / "out"
SIZES_MP = [0.3, 0.5, 1, 2, 3, 5, 8, 12]
SHARED_PDQ = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pdq"


def _photo(rng: np.random.Generator, width: int, height: int) -> Image.Image:
    """A photo-like picture: smooth gradients, blocks and mild noise (compresses like a photo)."""
    small = rng.integers(0, 255, (max(2, height // 64), max(2, width // 64), 3), dtype=np.uint8)
    base = Image.fromarray(small).resize((width, height), Image.Resampling.BICUBIC)
    noise = rng.normal(0, 6, (height, width, 3))
    return Image.fromarray(np.clip(np.asarray(base) + noise, 0, 255).astype(np.uint8))


def build_corpus(folder: Path, images: int, videos: int) -> Path:
    marker = folder / f".complete-{images}-{videos}"
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    rng = np.random.default_rng(2026)
    for index in range(images):
        megapixels = SIZES_MP[index % len(SIZES_MP)]
        width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
        height = int(width * 3 / 4)
        path = folder / "images" / f"{index // 100:03d}" / f"IMG_{index:05d}.JPG"
        path.parent.mkdir(parents=True, exist_ok=True)
        _photo(rng, width, height).save(path, "JPEG", quality=88)
    for index in range(videos):
        write_video(folder / "videos" / f"clip_{index:02d}.mp4", index, seconds=4, size=(320, 240))
    marker.touch()
    return folder


def _corpus_bytes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
    return len(files), sum(p.stat().st_size for p in files)


def end_to_end(corpus: Path, workers: int) -> tuple[float, float]:
    """files/s and MB/s of a full `ingest` into a fresh SQLite workspace."""
    files, size = _corpus_bytes(corpus)
    with tempfile.TemporaryDirectory(dir=OUT) as workspace:
        app = bootstrap(Settings(workspace=Path(workspace), workers=workers))
        started = time.perf_counter()
        app.ingest_runner().run([corpus], "bench")
        seconds = time.perf_counter() - started
        app.close()
    return files / seconds, size / 1e6 / seconds


def hashing_stage(folder: Path) -> tuple[float, float]:
    """MB/s of read_once over large files vs one plain hashlib MD5+SHA-1+SHA-256 pass."""
    folder.mkdir(parents=True, exist_ok=True)
    blobs = []
    for index in range(4):
        path = folder / f"large-{index}.bin"
        if not path.exists():
            path.write_bytes(os.urandom(64 * 1024 * 1024))
        blobs.append(path)
    total = sum(p.stat().st_size for p in blobs)
    for path in blobs:  # warm the page cache so both sides read from memory
        path.read_bytes()

    def ours() -> None:
        for path in blobs:
            with path.open("rb") as stream:
                read_once(stream)

    def baseline() -> None:
        for path in blobs:
            md5, sha1, sha256 = hashlib.md5(), hashlib.sha1(), hashlib.sha256()
            with path.open("rb") as stream:
                while block := stream.read(1 << 20):
                    md5.update(block)
                    sha1.update(block)
                    sha256.update(block)

    return total / 1e6 / _best(ours), total / 1e6 / _best(baseline)


def _best(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def pdq_speed(folder: Path, count: int = 200) -> tuple[float, float]:
    """images/s on one core for 1024x768 JPEGs: reduced decode + PDQ vs full decode + PDQ."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    paths = []
    for index in range(count):
        path = folder / f"xga-{index:03d}.jpg"
        if not path.exists():
            _photo(rng, 1024, 768).save(path, "JPEG", quality=90)
        paths.append(path)
    signal, limits = PdqSignal(), Limits()

    def reduced() -> None:
        for path in paths:
            signal.compute(decode_reduced(path, "image/jpeg", limits))

    def full() -> None:
        for path in paths:
            with Image.open(path) as image:
                pdqhash.compute(np.asarray(image.convert("RGB")))

    return count / _best(reduced, 2), count / _best(full, 2)


def pdq_deviation() -> int | None:
    """Largest bit distance between the reduced route and a full-resolution hash (shared set)."""
    if not SHARED_PDQ.is_dir():
        return None
    worst = 0
    for path in sorted(SHARED_PDQ.rglob("*")):
        if path.suffix.lower() not in {".jpg", ".jpeg", ".png"}:
            continue
        try:
            with Image.open(path) as image:
                bits, _ = pdqhash.compute(np.asarray(image.convert("RGB")))
            mime = "image/jpeg" if path.suffix.lower() in {".jpg", ".jpeg"} else "image/png"
            ours = PdqSignal().compute(decode_reduced(path, mime, Limits()))
        except Exception:
            continue
        worst = max(worst, hamming(ours.hex, bits_to_hex(bits)))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--videos", type=int, default=20)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    os.environ.setdefault("VIDTRACE_KEEP_ORIGINALS", "1")

    started = time.perf_counter()
    corpus = build_corpus(OUT / "corpus", args.images, args.videos)
    files, size = _corpus_bytes(corpus)
    print(
        f"corpus: {files} files, {size / 1e6:.0f} MB"
        f" (built/cached in {time.perf_counter() - started:.0f} s)"
    )

    print("\n== end to end (vidtrace ingest, SQLite, originals kept in the vault)")
    one = end_to_end(corpus, 1)
    two = end_to_end(corpus, 2)
    print(f"1 worker : {one[0]:7.1f} files/s {one[1]:7.1f} MB/s")
    print(
        f"2 workers: {two[0]:7.1f} files/s {two[1]:7.1f} MB/s"
        f"   (x{two[0] / one[0]:.2f} vs 1 worker)"
    )

    print("\n== hashing stage on 4 x 64 MiB files (page cache)")
    ours, limit = hashing_stage(OUT / "large")
    print(f"read_once            : {ours:7.1f} MB/s")
    print(f"hashlib md5+sha1+sha256: {limit:7.1f} MB/s (baseline: the machine's limit)")
    print(f"ratio                : {ours / limit:.1%} (target >= 85%)")

    print("\n== PDQ on 1024x768 JPEGs, one core")
    fast, slow = pdq_speed(OUT / "xga")
    print(f"reduced decode + PDQ (with 8 dihedral variants): {fast:7.1f} images/s")
    print(f"full decode + PDQ (baseline)                   : {slow:7.1f} images/s")
    print(f"speed-up: x{fast / slow:.2f} (target >= 150 images/s)")
    worst = pdq_deviation()
    if worst is None:
        print("shared PDQ set not found: deviation not measured")
    else:
        print(
            "largest deviation from the full-resolution hash on the shared PDQ set:"
            f" {worst} bits (target <= 10)"
        )


if __name__ == "__main__":
    main()
