"""OCR benchmark: what the fast text check saves, and what it costs in missed text.

    .venv/bin/python -m bench.ocr_throughput            # 40 photos, 10 signs, the shared samples
    .venv/bin/python -m bench.ocr_throughput --photos 10 --signs 4   # quicker

Every picture goes through the text extractor's reading path twice, alternately, in one
process: with the fast check (``text_likely``: OCR only where it says text) and without it
(OCR on everything). Both are timed side by side, so the ratio holds on a noisy machine.
The set is benign: scikit-image's bundled photos (no text) at their own size and 1024 px wide,
generated street signs with rendered text in several languages, and, when ``../shared/data``
exists, its OCR samples (single lines in eight scripts, two pages).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from tests.kit.clue_sets import (
    BUNDLED_PHOTOS,
    EUROTEXT_LANGUAGES,
    OCR_LINES,
    PHOTOS_WITHOUT_TEXT,
    TEXT_LIKE_PHOTOS,
)

from vidtrace.clues.reading import quality
from vidtrace.clues.reading.language_id import identify_segments
from vidtrace.clues.reading.ocr import read_text
from vidtrace.clues.reading.text_likely import looks_like_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ocr"
PHOTOS = BUNDLED_PHOTOS
PHOTO_FILES = [*PHOTOS_WITHOUT_TEXT, *TEXT_LIKE_PHOTOS, "motorcycle_right.png"]
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SIGNS = [
    ("Willkommen in Berlin", "de"),
    ("Добро пожаловать в музей", "ru"),
    ("Ωραίος καιρός σήμερα", "el"),
    ("Boulangerie du coin, pain frais", "fr"),
    ("Farmacia de guardia abierta", "es"),
    ("Продаја карата ће почети", "sr"),
    ("Welcome to the city museum", "en"),
    ("Apotheke heute geöffnet", "de"),
    ("Biblioteca comunale di Roma", "it"),
    ("Bem-vindo à estação central", "pt"),
]


def photos(count: int) -> list[Image.Image]:
    made = []
    for index in range(count):
        name = PHOTO_FILES[index % len(PHOTO_FILES)]
        image = Image.open(PHOTOS / name).convert("RGB")
        if index >= len(PHOTO_FILES):  # the second round: resized variants, as phones store them
            image = image.resize((1024, round(image.height * 1024 / image.width)))
        made.append(image)
    return made


def sign(text: str, backdrop: str, seed: int) -> Image.Image:
    """A photo with a light sign and dark lettering on it, at a size a phone would catch."""
    rng = np.random.default_rng(seed)
    image = Image.open(PHOTOS / backdrop).convert("RGB").resize((1024, 768))
    size = int(rng.integers(36, 64))
    font = ImageFont.truetype(FONT, size)
    draw = ImageDraw.Draw(image)
    width = draw.textlength(text, font=font)
    x, y = int(rng.integers(20, max(21, 1000 - int(width) - size))), int(rng.integers(40, 600))
    draw.rectangle((x, y, x + width + size, y + 2 * size), fill=(242, 240, 232))
    draw.text((x + size // 2, y + size // 2), text, font=font, fill=(25, 25, 70))
    return image


def measure(images: list[Image.Image], has_text: Sequence[bool] | None = None) -> dict[str, Any]:
    """Throughput of reading ``images`` with and without the fast text check, side by side.

    Returns images/s both ways, their ratio, the check's time per picture, and how many
    pictures gave readable text each way. With ``has_text`` (one flag per picture): the check's
    recall on the text pictures and its rejection rate on the others."""
    with_check = without_check = 0.0
    check_ms: list[float] = []
    passed: list[bool] = []
    readable = {"with": 0, "without": 0}
    for image in images:
        started = time.perf_counter()
        likely = looks_like_text(image)
        check_ms.append((time.perf_counter() - started) * 1000)
        if likely and quality.judge(read_text(image)).readable:
            readable["with"] += 1
        with_check += time.perf_counter() - started
        passed.append(likely)
        started = time.perf_counter()
        if quality.judge(read_text(image)).readable:
            readable["without"] += 1
        without_check += time.perf_counter() - started
    result: dict[str, Any] = {
        "images": len(images),
        "with_check_per_s": len(images) / with_check,
        "without_check_per_s": len(images) / without_check,
        "speedup": without_check / with_check,
        "check_ms_mean": statistics.fmean(check_ms),
        "check_ms_p95": float(np.percentile(check_ms, 95)),
        "readable_with_check": readable["with"],
        "readable_without_check": readable["without"],
    }
    if has_text is not None:
        text = [p for p, t in zip(passed, has_text, strict=True) if t]
        other = [p for p, t in zip(passed, has_text, strict=True) if not t]
        result["check_recall"] = sum(text) / len(text) if text else float("nan")
        result["check_rejection"] = 1 - sum(other) / len(other) if other else float("nan")
    return result


def accuracy(samples: list[tuple[str, Image.Image, list[str]]]) -> None:
    """The languages read off pictures whose languages are known, and the time per picture."""
    print(f"\n{'picture':<34}{'script':<12}{'seconds':>8}  languages (expected)")
    right = 0
    for name, image, expected in samples:
        reading = read_text(image)
        verdict = quality.judge(reading)
        found: list[str] = []
        if verdict.readable and reading.script:
            text = "\n".join(line.text for line in verdict.lines)
            found = [s.language or "?" for s in identify_segments(text, reading.script)]
        right += found == expected
        mark = "" if found == expected else "   <- wrong"
        print(
            f"{name[:33]:<34}{reading.script or '-':<12}{reading.seconds:>8.2f}  "
            f"{' '.join(found) or '-'} ({' '.join(expected)}){mark}"
        )
    print(f"languages right on {right} of {len(samples)} pictures")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=40)
    parser.add_argument("--signs", type=int, default=10)
    args = parser.parse_args()
    backdrops = ["grass.png", "camera.png", "coffee.png", "brick.png", "chelsea.png"]
    signs = [
        (f"sign: {text}", sign(text, backdrops[i % len(backdrops)], i), [language])
        for i, (text, language) in enumerate(SIGNS[: args.signs])
    ]
    samples = list(signs)
    if SHARED.is_dir():
        for name, _, language, _, _ in OCR_LINES:
            samples.append((name, Image.open(SHARED / "rapidocr" / name), [language]))
        euro = list(EUROTEXT_LANGUAGES)
        samples.append(("eurotext.tif", Image.open(SHARED / "tesseract" / "eurotext.tif"), euro))
        samples.append(
            ("phototest.tif", Image.open(SHARED / "tesseract" / "phototest.tif"), ["en"])
        )
    else:
        print(f"({SHARED} not found: generated signs only)")
    accuracy(samples)
    without_text = photos(args.photos)
    pictures = [image for _, image, _ in samples] + without_text
    flags = [True] * len(samples) + [False] * len(without_text)
    print(
        f"\nthroughput on {len(samples)} pictures with text and {len(without_text)} photos "
        "without (one process, OCR with one thread):"
    )
    result = measure(pictures, flags)
    print(
        f"  with the fast text check:    {result['with_check_per_s']:6.2f} images/s"
        f"  ({result['readable_with_check']} readable)\n"
        f"  without it (OCR everything): {result['without_check_per_s']:6.2f} images/s"
        f"  ({result['readable_without_check']} readable)\n"
        f"  speed-up x{result['speedup']:.1f}\n"
        f"  the check: {result['check_ms_mean']:.1f} ms a picture (p95"
        f" {result['check_ms_p95']:.1f} ms), recall {result['check_recall']:.0%} on the"
        f" pictures with text, rejects {result['check_rejection']:.0%} of the photos"
    )


if __name__ == "__main__":
    main()
