"""The text extractor: visible text is read, kept for the text readers, and its language names
the countries where it is spoken. Tests marked by the ``tesseract`` fixture read generated signs
with Tesseract; the others give the extractor canned readings."""

from __future__ import annotations

from dataclasses import astuple
from pathlib import Path

import pytest
import skimage.data
from PIL import Image, ImageDraw, ImageFont

from tests.kit.extractor_kit import ExtractorContract, noise_picture, picture_of, subject
from vidtrace.clues.extractors import visible_text
from vidtrace.clues.extractors.base import ClueSubject, ExtractorUnavailable, Picture
from vidtrace.clues.extractors.visible_text import VisibleTextExtractor
from vidtrace.clues.reading.ocr import OcrLine, OcrReading, OcrUnavailable
from vidtrace.domain.clue import Box

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PHOTOS = Path(skimage.data.__file__).parent  # bundled files only: the fetchers may download
GERMAN = ("Apotheke geöffnet", "Bahnhofstraße 12")
READS_PICTURES = {
    "test_finds_the_expected_country",
    "test_every_clue_is_well_formed",
    "test_the_same_clues_on_a_second_run",
}


def sign(*lines: str, size: int = 56) -> Image.Image:
    """A photo (scikit-image's cameraman) with a light sign and dark lettering put up in it."""
    image = Image.open(PHOTOS / "camera.png").convert("RGB").resize((800, 500))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 100, 740, 140 + len(lines) * size * 1.5), fill=(245, 245, 235))
    font = ImageFont.truetype(FONT, size)
    for row, line in enumerate(lines):
        draw.text((90, 130 + row * size * 1.5), line, font=font, fill=(20, 20, 60))
    return image


def canned(*lines: str, script: str = "Latin", confidence: float = 93.0) -> OcrReading:
    """A reading as Tesseract would give it: one paragraph per blank-line-separated group."""
    made, paragraph = [], 0
    for row, text in enumerate(lines):
        if not text:
            paragraph += 1
            continue
        box = Box(0.1, 0.1 * row, 0.8, 0.08)
        made.append(OcrLine(text, confidence, len(text.split()), box, paragraph))
    return OcrReading(script, tuple(made), seconds=0.4, tried=(script,))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[OcrReading]:
    """The readings OCR will return, one per picture read, in order (canned, no Tesseract)."""
    queue: list[OcrReading] = []
    monkeypatch.setattr(visible_text, "read_text", lambda image: queue.pop(0))
    return queue


def showing(*images: Image.Image, seconds: tuple[float | None, ...] = ()) -> ClueSubject:
    times = seconds or (None,) * len(images)
    return subject(pictures=tuple(picture_of(i, s) for i, s in zip(images, times, strict=True)))


class TestVisibleTextExtractor(ExtractorContract):
    extractor = VisibleTextExtractor
    expected_country = "DE"

    @pytest.fixture(autouse=True)
    def _tesseract_to_read_pictures(self, request: pytest.FixtureRequest) -> None:
        if request.function.__name__ in READS_PICTURES:
            request.getfixturevalue("tesseract")

    def positive_subject(self) -> ClueSubject:
        return showing(sign(*GERMAN))

    def test_a_sign_is_read_kept_and_named(self, tesseract: str) -> None:
        made = showing(Image.new("RGB", (320, 240), "grey"), sign(*GERMAN), seconds=(0.0, 4.0))
        self.run(made)
        (text,) = made.texts
        assert text.text == "Apotheke geöffnet Bahnhofstraße 12"
        assert (text.script, text.language, text.seconds) == ("Latin", "de", 4.0)
        assert text.confidence > 85 and text.language_probability > 0.9
        assert text.box is not None and 0.05 < text.box.x < 0.2 and 0.15 < text.box.y < 0.35
        (clue,) = made.clues
        assert (clue.value, clue.seconds, clue.box) == ("de", 4.0, text.box)
        assert clue.detail == 'German text: "Apotheke geöffnet Bahnhofstraße 12"'
        assert max(clue.countries, key=clue.countries.__getitem__) == "DE"
        assert 0.7 < clue.confidence < 1.0
        assert made.skips == []

    def test_a_serbian_sign_names_serbia(self, tesseract: str) -> None:
        (clue,) = self.run(showing(sign("Апотека ће бити", "отворена сутра")))
        assert clue.value == "sr"
        assert max(clue.countries, key=clue.countries.__getitem__) == "RS"
        assert clue.detail.startswith('Serbian text: "Апотека ће бити отворена сутра"')

    def test_unreadable_text_is_a_skip_with_its_reason(self, tesseract: str) -> None:
        made = subject(pictures=(noise_picture(3),))
        VisibleTextExtractor(prefilter=False).run(made)
        assert made.clues == [] and made.texts == []
        (skip,) = made.skips
        assert skip.extractor == "text"
        assert skip.reason.startswith(("no readable text (mean confidence", "too few letters"))

    def test_pictures_without_text_are_not_read(self, reads: list[OcrReading]) -> None:
        made = subject(pictures=(noise_picture(1), noise_picture(2)))
        self.run(made)  # the canned queue is empty: reading anything would fail
        assert (made.clues, made.texts, made.skips) == ([], [], [])

    def test_each_language_proposes_one_clue(self, reads: list[OcrReading]) -> None:
        reads.append(
            canned(
                "Die Apotheke ist heute geschlossen.",
                "Bitte gehen Sie zur Apotheke am Markt.",
                "",
                "The pharmacy is closed today.",
            )
        )
        made = showing(sign(*GERMAN))
        self.run(made)
        assert [(t.language, t.text) for t in made.texts] == [
            ("de", "Die Apotheke ist heute geschlossen. Bitte gehen Sie zur Apotheke am Markt."),
            ("en", "The pharmacy is closed today."),
        ]
        boxes = [astuple(t.box) for t in made.texts if t.box]
        assert boxes == [pytest.approx((0.1, 0.0, 0.8, 0.18)), pytest.approx((0.1, 0.3, 0.8, 0.08))]
        assert [c.value for c in made.clues] == ["de", "en"]
        english = made.clues[1]
        assert {"US", "GB", "IN"} <= set(english.countries)

    def test_shorter_and_less_sure_text_gives_lower_confidence(
        self, reads: list[OcrReading]
    ) -> None:
        long_text = "Die Apotheke ist heute geschlossen, bitte klingeln Sie nebenan."
        reads += [canned(long_text), canned("Apotheke geöffnet"), canned(long_text, confidence=78)]
        long, short, unsure = (self.run(showing(sign(*GERMAN)))[0].confidence for _ in range(3))
        assert long > short and long > unsure
        assert long == pytest.approx(0.93, abs=0.01)

    def test_the_best_sighting_speaks_for_a_language(self, reads: list[OcrReading]) -> None:
        reads += [canned("Apotheke geöffnet"), canned("Die Apotheke ist heute geschlossen.")]
        made = showing(sign(*GERMAN), sign(*GERMAN), seconds=(1.0, 2.0))
        (clue,) = self.run(made)
        assert clue.seconds == 2.0
        assert clue.detail == 'German text: "Die Apotheke ist heute geschlossen." (and 1 more)'

    def test_long_text_is_shortened_in_the_detail(self, reads: list[OcrReading]) -> None:
        reads.append(canned("Die Apotheke ist heute geschlossen. " * 5))
        (clue,) = self.run(showing(sign(*GERMAN)))
        quoted = clue.detail.split('"')[1]
        assert len(quoted) == 80 and quoted.endswith("…")

    def test_text_without_a_language_is_kept_but_names_nothing(
        self, reads: list[OcrReading]
    ) -> None:
        reads += [
            canned("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod."),
            canned("HX-204 K7"),
        ]
        made = showing(sign(*GERMAN), sign(*GERMAN))
        assert self.run(made) == []
        assert [t.language for t in made.texts] == ["la"]  # Latin: native nowhere
        assert made.skips == []  # one picture was read: the item is not unreadable

    def test_doubtful_lines_of_a_readable_picture_are_kept_for_the_text_readers(
        self, reads: list[OcrReading]
    ) -> None:
        read = canned("Bakkerij Jansen, vers brood elke dag")
        doubtful = OcrLine("www. bakkerij-jansen.nl", 0.0, 2, Box(0.1, 0.5, 0.6, 0.08))
        stray = OcrLine("| E", 33.0, 2, Box(0.0, 0.6, 0.1, 0.08))
        reads.append(OcrReading("Latin", (*read.lines, doubtful, stray)))
        made = showing(sign(*GERMAN))
        (clue,) = self.run(made)
        assert clue.value == "nl"
        assert [(t.text, t.language, t.confidence) for t in made.texts] == [
            ("Bakkerij Jansen, vers brood elke dag", "nl", 93.0),
            ("www. bakkerij-jansen.nl", None, 0.0),  # Tesseract's confidence, whatever it is
        ]

    def test_a_missing_tesseract_makes_the_extractor_unavailable(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def missing(image: Image.Image) -> OcrReading:
            raise OcrUnavailable("Tesseract OCR is not installed")

        monkeypatch.setattr(visible_text, "read_text", missing)
        with pytest.raises(ExtractorUnavailable, match="not installed"):
            VisibleTextExtractor().run(showing(sign(*GERMAN)))

    def test_an_undecodable_picture_is_a_skip(self, reads: list[OcrReading]) -> None:
        def broken() -> Image.Image:
            raise OSError("truncated JPEG")

        reads.append(canned(*GERMAN))
        made = subject(kind="video", pictures=(Picture(broken, 3.0), picture_of(sign(*GERMAN))))
        self.run(made)
        assert [s.reason for s in made.skips] == [
            "picture at 3.0 s could not be decoded: truncated JPEG"
        ]
        assert [c.value for c in made.clues] == ["de"]
