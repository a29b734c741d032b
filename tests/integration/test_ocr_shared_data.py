"""Tesseract on the shared OCR samples: the right script, text and language for single lines in
eight writing systems and a page in six languages; nothing readable in noise and textures.
The quality rule and the failure modes are checked first, without Tesseract."""

from __future__ import annotations

import difflib
import io
from pathlib import Path

import numpy as np
import pytesseract
import pytest
import skimage.data
from PIL import Image

from tests.kit.clue_sets import EUROTEXT_LANGUAGES, OCR_LINES, read_language_clues
from vidtrace.clues.reading.language_id import identify, identify_segments
from vidtrace.clues.reading.ocr import OcrLine, OcrReading, OcrUnavailable, read_text
from vidtrace.clues.reading.quality import judge
from vidtrace.domain.clue import Box

PHOTOS = Path(skimage.data.__file__).parent  # bundled files only: the fetchers may download
WHOLE = Box(0.0, 0.0, 1.0, 1.0)


def similarity(read: str, expected: str) -> float:
    return difflib.SequenceMatcher(None, " ".join(read.split()), " ".join(expected.split())).ratio()


def reading(script: str, *lines: tuple[str, float]) -> OcrReading:
    made = tuple(OcrLine(text, conf, len(text.split()), WHOLE) for text, conf in lines)
    return OcrReading(script, made)


# The quality rule, on readings made up here (no Tesseract needed).


def test_a_confident_reading_in_the_models_script_is_readable() -> None:
    verdict = judge(reading("Cyrillic", ("Време је лепо данас.", 96.0)))
    assert verdict.readable and verdict.good and verdict.reason == ""
    assert verdict.letters == 16 and verdict.script_share == 1.0


def test_low_confidence_is_not_readable_and_says_so() -> None:
    verdict = judge(reading("Latin", ("Il Ke ia oe", 31.0)))
    assert not verdict.readable
    assert verdict.reason == "no readable text (mean confidence 31)"


def test_misread_lines_are_dropped_and_the_rest_counts() -> None:
    verdict = judge(reading("Latin", ("Apotheke geöffnet", 93.0), ("~~ /| ii", 22.0)))
    assert verdict.readable
    assert [line.text for line in verdict.lines] == ["Apotheke geöffnet"]


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        ((("0800 123 456 78", 95.0),), "no readable text"),  # no letters: no line counts
        ((("12.5% 43,456.78 x", 95.0),), "too few letters"),
        ((("ABCD 12345678 90 12-34", 95.0),), "no words, only digits"),
        ((("Време је лепо", 90.0),), "letters of mixed scripts"),  # Cyrillic by the Latin model
    ],
)
def test_digits_signs_and_foreign_letters_are_not_readable(
    lines: tuple[tuple[str, float], ...], reason: str
) -> None:
    verdict = judge(reading("Latin", *lines))
    assert not verdict.readable
    assert verdict.reason.startswith(reason)


def test_two_chinese_characters_are_enough_when_read_well() -> None:
    assert judge(reading("HanS", ("出口", 91.0))).readable
    # what the Japanese model made of a sideways page: fair confidence, but not good
    assert not judge(reading("Japanese", ("J こる", 80.0))).readable


def test_stray_letters_are_not_words() -> None:
    verdict = judge(reading("Latin", ("Az F EA", 85.0), ("EZ e", 82.0)))
    assert verdict.reason == "too few letters to read (0 in words)"


def test_missing_tesseract_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(OcrUnavailable, match="not installed"):
        read_text(Image.new("L", (200, 50), 255))


# Tesseract on the shared samples.


@pytest.mark.parametrize(("name", "script", "language", "expected", "countries"), OCR_LINES)
def test_a_line_gives_its_script_text_and_language(
    tesseract: str,
    shared_data: Path,
    name: str,
    script: str,
    language: str,
    expected: str,
    countries: set[str],
) -> None:
    read = read_text(Image.open(shared_data / "ocr" / "rapidocr" / name))
    verdict = judge(read)
    assert verdict.readable, verdict.reason
    assert read.script == script
    assert similarity(read.text, expected) >= 0.85, read.text
    guess = identify(read.text, script)
    assert guess is not None and guess.language == language
    (line,) = read.lines
    assert 0 <= line.box.x < 0.2 and line.box.width > 0.7  # the line spans the crop
    assert read.seconds < 10


@pytest.mark.parametrize(
    ("name", "language", "countries"), [(name, lang, cc) for name, _, lang, _, cc in OCR_LINES]
)
def test_a_line_names_the_countries_where_its_language_is_spoken(
    tesseract: str, shared_data: Path, name: str, language: str, countries: set[str]
) -> None:
    (clue,) = read_language_clues(Image.open(shared_data / "ocr" / "rapidocr" / name))
    assert clue.value == language
    assert countries <= set(clue.countries)
    if countries:  # the language's main country leads
        assert max(clue.countries, key=clue.countries.__getitem__) in countries


def test_a_page_gives_each_sentences_language_in_order(tesseract: str, shared_data: Path) -> None:
    folder = shared_data / "ocr" / "tesseract"
    read = read_text(Image.open(folder / "eurotext.tif"))
    assert judge(read).good and read.script == "Latin"
    assert similarity(read.text, (folder / "eurotext.txt").read_text()) > 0.97
    languages = [s.language for s in identify_segments(read.text, "Latin")]
    assert tuple(languages) == EUROTEXT_LANGUAGES
    first = read.lines[0]
    assert first.text.startswith("The (quick)")
    assert first.box.y == pytest.approx(0.08, abs=0.02)


def test_a_sideways_page_is_turned_and_its_boxes_hold_on_the_picture_as_given(
    tesseract: str, shared_data: Path
) -> None:
    folder = shared_data / "ocr" / "tesseract"
    upright = Image.open(folder / "phototest.tif")
    sideways = upright.rotate(90, expand=True, fillcolor=255)  # a quarter turn left
    read = read_text(sideways, scripts=["Latin"])  # the script search is tested above
    assert judge(read).good
    assert similarity(read.text, (folder / "phototest.txt").read_text()) > 0.95
    first = read.lines[0]
    assert first.text.startswith("This is a lot of 12 point text")
    # On the upright page that line is at x 0.06, y 0.19, 0.85 wide, 0.06 high.
    assert first.box.x == pytest.approx(0.19, abs=0.03)
    assert first.box.y == pytest.approx(1 - 0.06 - 0.85, abs=0.03)
    assert first.box.height == pytest.approx(0.85, abs=0.03)


def noise(seed: int, size: tuple[int, int]) -> Image.Image:
    pixels = np.random.default_rng(seed).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    return Image.fromarray(pixels, "RGB")


@pytest.mark.parametrize(
    "picture",
    [
        pytest.param(lambda: noise(1, (320, 240)), id="noise"),
        pytest.param(lambda: noise(2, (253, 39)).convert("1"), id="line-shaped-noise"),
        # coins lie in rows like letters: the fast text check lets them through
        pytest.param(lambda: Image.open(PHOTOS / "coins.png"), id="coins"),
    ],
)
def test_noise_and_texture_give_nothing_readable(tesseract: str, picture: object) -> None:
    assert callable(picture)
    read = read_text(picture())  # without the fast text check: the rule alone must hold
    verdict = judge(read)
    assert not verdict.readable, read.text
    assert verdict.reason


def test_blank_and_undecodable_pictures_give_an_empty_reading(tesseract: str) -> None:
    assert read_text(Image.new("RGB", (640, 480), "white")).lines == ()
    assert read_text(Image.new("L", (1, 1))).lines == ()
    buffer = io.BytesIO()
    noise(3, (64, 64)).save(buffer, "PNG")
    truncated = Image.open(io.BytesIO(buffer.getvalue()[:200]))
    assert read_text(truncated).lines == ()
