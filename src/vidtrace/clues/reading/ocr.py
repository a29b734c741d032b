"""Tesseract OCR: the text on a picture, the writing system it is in, and where it stands.

Tesseract reads one writing system per model. Its script models ("Latin", "Cyrillic",
"Devanagari", ...) each read every language of their script, so the model is chosen by script,
never by language: the language is identified afterwards from the text (``language_id``).
The script comes from Tesseract's orientation and script detection (OSD) when it can tell;
otherwise, or when that script's reading does not pass the quality rule (``quality``), the
other installed script models are tried and the best reading kept, stopping at a good one.

A crop of one line is read as one line. Other pictures are read first as a sheet of their
text lines (``text_likely.line_sheet``): Tesseract's page layout analysis finds no text in a
sign standing in a photo. When the sheet gives nothing readable, the picture is read whole.

Each Tesseract call is a subprocess that loads its model (up to a second for Latin), so a
reading costs 0.3 to 2 seconds, several when nothing readable is found and every model is
tried: call :func:`read_text` only on pictures that ``text_likely`` lets through.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

import pytesseract
from PIL import Image

from vidtrace.clues.reading import quality
from vidtrace.clues.reading.pages import Page, layouts
from vidtrace.domain.clue import Box

# The order in which script models are tried when OSD cannot tell: most written first.
_PREFERENCE = "Latin Cyrillic Arabic Devanagari HanS Japanese Hangul Greek Thai Hebrew Bengali"
SCRIPT_PREFERENCE = (*_PREFERENCE.split(), "Tamil", "Telugu")
# OSD names scripts by Unicode script; the models for some of them have other names.
OSD_TO_MODEL = {"Han": "HanS", "Katakana": "Japanese", "Hiragana": "Japanese", "Korean": "Hangul"}
# Alphabets that share letter shapes, so that one's model reads the other's text plausibly.
LOOKALIKES = (frozenset({"Latin", "Greek", "Cyrillic"}), frozenset({"HanS", "Japanese"}))
# Models that report every character (Thai) or syllable (Hangul) as a word: spaces are kept
# only where the gap is one.
UNSPACED_SCRIPTS = frozenset({"Thai", "Lao", "Khmer", "HanS", "HanT", "Japanese", "Hangul"})
MIN_EDGE_WORD_CONFIDENCE = 75.0
MIN_ORIENTATION_CONFIDENCE = 3.0  # OSD's own scale; below it, a page is read as it stands
TESSERACT_TIMEOUT_S = 60
FALLBACK_BUDGET_S = 30.0  # stop trying further models on one picture after this long


class OcrUnavailable(RuntimeError):
    """Tesseract, or every script model it could read with, is not installed."""


@dataclass(frozen=True)
class OcrLine:
    """One line of text as Tesseract read it. ``confidence`` is the mean word confidence
    (0..100); ``paragraph`` numbers the line's paragraph within the reading."""

    text: str
    confidence: float
    words: int
    box: Box
    paragraph: int = 0


@dataclass(frozen=True)
class OcrReading:
    """What one picture says. ``script`` is the Tesseract script model that read it (None when
    nothing was read); ``tried`` lists the models run, in order; ``seconds`` the time taken."""

    script: str | None
    lines: tuple[OcrLine, ...] = ()
    seconds: float = 0.0
    tried: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The lines, one per row, paragraphs apart by a blank row."""
        return "\n".join(
            ("\n" if i and line.paragraph != self.lines[i - 1].paragraph else "") + line.text
            for i, line in enumerate(self.lines)
        )

    @property
    def confidence(self) -> float:
        """Mean word confidence over the whole reading, 0 when nothing was read."""
        words = sum(line.words for line in self.lines)
        return sum(line.confidence * line.words for line in self.lines) / words if words else 0.0


@dataclass(frozen=True)
class TesseractModels:
    scripts: tuple[str, ...]  # installed script models, in SCRIPT_PREFERENCE order first
    osd: bool


@cache
def _models(tesseract: str) -> TesseractModels:
    """What the Tesseract at ``tesseract`` (pytesseract's ``tesseract_cmd``) can read with."""
    # pytesseract.get_languages() keeps only lower-case names, which drops the script models.
    command = [tesseract, "--list-langs"]
    try:
        listed = subprocess.run(command, capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as error:
        raise OcrUnavailable(f"Tesseract OCR is not installed or does not run ({error})") from None
    installed = {name.strip() for name in listed.stdout.splitlines()[1:]} - {""}  # 1st: heading
    # Script models are the capitalised ones ("Latin"); "eng" reads Latin when none is there.
    scripts = [name for name in SCRIPT_PREFERENCE if name in installed]
    scripts += sorted(name for name in installed if name[:1].isupper() and name not in scripts)
    if not scripts and "eng" in installed:
        scripts = ["eng"]
    if not scripts:
        raise OcrUnavailable("Tesseract has no script model (tesseract-ocr-script-latn, ...)")
    return TesseractModels(tuple(scripts), "osd" in installed)


def installed_scripts() -> tuple[str, ...]:
    """The Tesseract script models this machine can read with; OcrUnavailable if none."""
    return _models(pytesseract.pytesseract.tesseract_cmd).scripts


def read_text(image: Image.Image, scripts: Sequence[str] | None = None) -> OcrReading:
    """The text Tesseract reads on ``image``, with the script model that read it best.

    ``scripts`` limits the models tried (default: every installed one, OSD's guess first).
    Raises :class:`OcrUnavailable` when Tesseract is missing; a picture that cannot be read
    (undecodable, blank, noise) gives a reading with no lines, never an exception. Whether the
    reading is real text is for ``quality.judge`` to say.
    """
    started = time.perf_counter()
    models = _models(pytesseract.pytesseract.tesseract_cmd)
    # One OpenMP thread per Tesseract process: the ingest and clue workers already use every
    # core, and pytesseract passes this process's environment to its subprocess.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        pages = layouts(image)
    except (OSError, ValueError):
        pages = []  # undecodable: nothing to read
    best: tuple[OcrReading, quality.Verdict] | None = None
    for page in pages:
        read = _read_page(page, models, scripts, started)
        if best is None or read[1].rank > best[1].rank:
            best = read
        if best[1].readable:
            break
    if best is None:
        return OcrReading(None, seconds=time.perf_counter() - started)
    return replace(best[0], seconds=time.perf_counter() - started)


def _read_page(
    page: Page, models: TesseractModels, scripts: Sequence[str] | None, started: float
) -> tuple[OcrReading, quality.Verdict]:
    """The best reading of one layout: OSD's script first, then the others (see the module)."""
    allowed = [s for s in (scripts or models.scripts) if s in models.scripts]
    guess: str | None = None
    if models.osd:
        guess, turn = _detect_script(page)
        page = page.turned(turn)
    order = ([guess] if guess in allowed else []) + [s for s in allowed if s != guess]
    best: tuple[OcrReading, quality.Verdict] | None = None
    tried: list[str] = []
    while order:
        script = order.pop(0)
        reading = _read(page, script)
        tried.append(script)
        verdict = quality.judge(reading)
        if best is None or verdict.rank > best[1].rank:
            best = (reading, verdict)
        if verdict.good or time.perf_counter() - started > FALLBACK_BUDGET_S:
            break
        if script == guess and verdict.readable:
            # A fair reading in OSD's script can still be a misreading, but only by a model
            # whose letters look alike (Latin reads Greek "Ωραίος" as "Qpaioç" at 81).
            alike = set().union(*(group for group in LOOKALIKES if script in group))
            order = [s for s in order if s in alike]
    if best is None:
        return OcrReading(None), quality.judge(OcrReading(None))
    return replace(best[0], tried=tuple(tried)), best[1]


def _detect_script(page: Page) -> tuple[str | None, int]:
    """OSD's script, as a model name, and the clockwise turn that makes a page upright."""
    try:
        found = pytesseract.image_to_osd(
            page.for_script_detection(),
            config="--psm 0",
            output_type=pytesseract.Output.DICT,
            timeout=TESSERACT_TIMEOUT_S,
        )
    except (pytesseract.TesseractError, RuntimeError):
        return None, 0  # "Too few characters": no opinion
    script = str(found.get("script", ""))
    rotate = int(found.get("rotate", 0))
    confident = float(found.get("orientation_conf", 0.0)) >= MIN_ORIENTATION_CONFIDENCE
    return OSD_TO_MODEL.get(script, script) or None, rotate if confident else 0


def _read(page: Page, script: str) -> OcrReading:
    try:
        data = pytesseract.image_to_data(
            page.picture,
            lang=script,
            config=f"--psm {page.layout}",
            output_type=pytesseract.Output.DICT,
            timeout=TESSERACT_TIMEOUT_S,
        )
    except (pytesseract.TesseractError, RuntimeError):
        return OcrReading(script)
    return OcrReading(script, tuple(_lines(data, page, script)))


def _lines(data: dict[str, list[object]], page: Page, script: str) -> list[OcrLine]:
    words = [str(word).strip() for word in data["text"]]
    conf = [float(str(value)) for value in data["conf"]]
    fields = ("block_num", "par_num", "line_num", "left", "top", "width", "height")
    block, par, line, left, top, width, height = ([int(str(v)) for v in data[f]] for f in fields)
    grouped: dict[tuple[int, int, int], list[int]] = {}
    for row, word in enumerate(words):
        if word and conf[row] >= 0:
            grouped.setdefault((block[row], par[row], line[row]), []).append(row)
    paragraphs: dict[tuple[int, int], int] = {}
    lines: list[OcrLine] = []
    for (in_block, in_par, _), rows in grouped.items():
        # A line cut out of a photo (layout 6, the line sheet) takes in some of its
        # surroundings, read as strokes and doubtful stray letters at its ends: dropped.
        alnum = [sum(map(str.isalnum, words[r])) for r in rows]
        stray = [
            n == 0 or (n <= 2 and conf[r] < MIN_EDGE_WORD_CONFIDENCE)
            for n, r in zip(alnum, rows, strict=True)
        ]
        while page.layout == 6 and rows and stray[0]:
            rows, stray = rows[1:], stray[1:]
        while page.layout == 6 and rows and stray[-1]:
            rows, stray = rows[:-1], stray[:-1]
        if not rows:
            continue
        boxes = [(left[r], top[r], width[r], height[r]) for r in rows]
        x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, y1 = max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)
        text = _join_words([words[r] for r in rows], boxes, script)
        confidence = sum(conf[r] for r in rows) / len(rows)
        paragraph = paragraphs.setdefault((in_block, in_par), len(paragraphs))
        lines.append(
            OcrLine(text, confidence, len(rows), page.place(x0, y0, x1 - x0, y1 - y0), paragraph)
        )
    return lines


def _join_words(words: list[str], boxes: Sequence[tuple[int, ...]], script: str) -> str:
    """Words joined by spaces; in unspaced scripts, only where the gap is as wide as a space
    (about half the line's height; the gaps between characters are narrower)."""
    if script not in UNSPACED_SCRIPTS:
        return " ".join(words)
    space = 0.45 * max(b[3] for b in boxes)
    gaps = [b[0] - (a[0] + a[2]) for a, b in itertools.pairwise(boxes)]
    spaced = ((" " if gap > space else "") + w for gap, w in zip(gaps, words[1:], strict=True))
    return words[0] + "".join(spaced)
