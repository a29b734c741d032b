"""Clues and the country of production, measured on the shared samples and the demo.

    .venv/bin/python -m bench.clues                 # everything (about 5 minutes on 2 cores)
    .venv/bin/python -m bench.clues --skip-demo --photos 10

It reports, each against its expected answers (``tests/kit/clue_sets.py``, the demo's ground
truth):

- GPS: the country of every exif-py photo whose GPS the EXIF reader returns;
- OCR: the language of the eight single lines in eight writing systems, and whether the
  language's countries contain the expected ones; the language of each eurotext sentence;
- the demo: top-1 and top-3 country accuracy over its series, and whether its conflict scene is
  flagged, with the time the clue extraction took;
- OCR throughput in images/s with and without the text-likely pre-filter, measured side by side
  in one process on the same pictures (``bench.ocr_throughput.measure``), so their ratio holds on
  a noisy machine;
- ingest beside extraction: the wall time of an ingest alone, and while ``clues extract`` reads
  earlier media of the same workspace at its default lowered priority and with
  ``--foreground``, one after the other in one run.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image
from tests.kit.cli import run_cli
from tests.kit.clue_sets import (
    EUROTEXT_LANGUAGES,
    EXIF_GPS_COUNTRIES,
    OCR_LINES,
    exif_gps_countries,
    read_language_clues,
)
from tests.kit.databases import sqlite_url
from tests.kit.evidence import write_jpeg

from bench.ocr_throughput import SIGNS, measure, photos, sign
from vidtrace.clues.reading.language_id import identify_segments
from vidtrace.clues.reading.ocr import read_text
from vidtrace.config import Settings
from vidtrace.demo.run import run_demo

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def gps_on_exif_samples() -> None:
    found = exif_gps_countries(SHARED)
    right = sum(found.get(path) == country for path, country in EXIF_GPS_COUNTRIES.items())
    print(f"GPS (exif-py): {right} of {len(EXIF_GPS_COUNTRIES)} files give the right country")
    for path, country in sorted(EXIF_GPS_COUNTRIES.items()):
        if found.get(path) != country:
            print(f"  wrong: {path}: {found.get(path)} (expected {country})")


def languages_on_ocr_samples() -> None:
    right = 0
    print("OCR lines (rapidocr): file, language read (expected), countries contain expected")
    for name, _, language, _, expected in OCR_LINES:
        started = time.perf_counter()
        clues = read_language_clues(Image.open(SHARED / "ocr" / "rapidocr" / name))
        seconds = time.perf_counter() - started
        read = clues[0].value if clues else "-"
        leading = (
            sorted(clues[0].countries, key=clues[0].countries.__getitem__)[-3:] if clues else []
        )
        covered = bool(clues) and expected <= set(clues[0].countries)
        right += read == language and covered
        print(
            f"  {name:<20} {read:<3} ({language})  {'yes' if covered else 'NO ':<3}"
            f"  leading {','.join(reversed(leading))}  {seconds:.2f} s"
        )
    print(f"  {right} of {len(OCR_LINES)} lines right (language and countries)")
    page = SHARED / "ocr" / "tesseract" / "eurotext.tif"
    reading = read_text(Image.open(page))
    languages = tuple(
        s.language for s in identify_segments(reading.text, reading.script or "Latin")
    )
    hits = sum(a == b for a, b in zip(languages, EUROTEXT_LANGUAGES, strict=False))
    print(
        f"eurotext.tif: sentences read as {' '.join(str(x) for x in languages)};"
        f" {hits} of {len(EUROTEXT_LANGUAGES)} right ({reading.seconds:.2f} s)"
    )


def demo_countries() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        settings = Settings(workspace=root / "ws", database_url=sqlite_url(root), workers=2)
        out = io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            run_demo(settings, root / "evidence", as_json=True)
        total = time.perf_counter() - started
    report = json.loads(out.getvalue())
    check, clues = report["country_check"], report["clues"]
    print(
        f"demo: {check['series']} series, {check['scored']} scored (conflict scenes and known"
        f" material apart): top-1 {check['top1_accuracy']:.3f}, top-3"
        f" {check['top3_accuracy']:.3f}; conflicts flagged {check['conflicts_flagged']}"
        f" of {check['conflicts_expected']}; false conflicts {check['false_conflicts']}"
    )
    for row in check["rows"]:
        ranked = " ".join(f"{r['country']}:{r['probability']:.2f}" for r in row["ranked"])
        print(f"  {row['truth']} expected {row['expected']}: {ranked or '-'}")
    print(
        f"  clue extraction: {clues['media']} media in {clues['seconds']:.1f} s"
        f" ({clues['media_per_second']} media/s, 2 workers), {clues['clues_total']} clues;"
        f" the whole demo {total:.0f} s"
    )


def ocr_throughput(photo_count: int, sign_count: int) -> None:
    backdrops = ["grass.png", "camera.png", "coffee.png", "brick.png", "chelsea.png"]
    signs = [sign(text, backdrops[i % 5], i) for i, (text, _) in enumerate(SIGNS[:sign_count])]
    without_text = photos(photo_count)
    result = measure(signs + without_text, [True] * len(signs) + [False] * len(without_text))
    print(
        f"OCR throughput, {len(signs)} signs and {len(without_text)} photos without text:"
        f" {result['with_check_per_s']:.2f} images/s with the text-likely pre-filter,"
        f" {result['without_check_per_s']:.2f} without (baseline, same run):"
        f" x{result['speedup']:.1f}; pre-filter {result['check_ms_mean']:.1f} ms a picture,"
        f" recall {result['check_recall']:.0%}, rejects {result['check_rejection']:.0%} of"
        f" the photos; readable {result['readable_with_check']} vs"
        f" {result['readable_without_check']}"
    )


def _ingest_seconds(workspace: Path, folder: Path) -> float:
    started = time.perf_counter()
    done = run_cli(workspace, "ingest", str(folder), "--case", folder.name)
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - started


def _ingest_while_extracting(workspace: Path, folder: Path, *extract: str) -> float:
    command = [sys.executable, "-m", "vidtrace", "--workspace", str(workspace), "clues", "extract"]
    reader = subprocess.Popen(
        [*command, *extract],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)  # the extraction's workers are up and reading
        seconds = _ingest_seconds(workspace, folder)
        assert reader.poll() is None, "the extraction ended before the ingest: use more signs"
    finally:
        os.killpg(reader.pid, signal.SIGKILL)
        reader.wait()
    return seconds


def ingest_beside_extraction(sign_count: int, photo_count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "signs").mkdir()
        for index in range(sign_count):
            text, _ = SIGNS[index % len(SIGNS)]
            sign(f"{text} {index}", "grass.png", index).save(root / "signs" / f"{index}.jpg")
        batches = [root / f"photos-{name}" for name in ("alone", "nice", "foreground")]
        for offset, batch in enumerate(batches):
            for index in range(photo_count):
                write_jpeg(batch / f"IMG_{index:04d}.JPG", 10_000 * offset + index, (1024, 768))
        alone = background = foreground = 0.0
        for workspace, batch in zip(("ws-nice", "ws-fg"), batches[1:], strict=True):
            ingested = run_cli(root / workspace, "ingest", str(root / "signs"), "--case", "signs")
            assert ingested.returncode == 0, ingested.stderr
            if batch.name.endswith("nice"):
                alone = _ingest_seconds(root / workspace, batches[0])
                background = _ingest_while_extracting(root / workspace, batch)
            else:
                foreground = _ingest_while_extracting(root / workspace, batch, "--foreground")
    print(
        f"ingest of {photo_count} photos (2 workers): alone {alone:.1f} s; beside clue"
        f" extraction at lowered priority (default) {background:.1f} s (x{background / alone:.2f});"
        f" beside extraction at normal priority (--foreground) {foreground:.1f} s"
        f" (x{foreground / alone:.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--photos", type=int, default=30)
    parser.add_argument("--signs", type=int, default=10)
    parser.add_argument("--skip-ingest", action="store_true")
    args = parser.parse_args()
    if SHARED.is_dir():
        gps_on_exif_samples()
        languages_on_ocr_samples()
    else:
        print(f"({SHARED} not found: shared-sample figures left out)")
    if not args.skip_demo:
        demo_countries()
    ocr_throughput(args.photos, args.signs)
    if not args.skip_ingest:
        ingest_beside_extraction(sign_count=120, photo_count=600)


if __name__ == "__main__":
    main()
