"""The barcode extractor: a retail barcode names the GS1 office that issued it, never more."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from tests.kit.extractor_kit import ExtractorContract, noise_picture, picture_of, subject
from vidtrace.clues.extractors.barcode import BarcodeExtractor, gs1_office, gs1_prefixes
from vidtrace.clues.extractors.base import ClueSubject, Picture
from vidtrace.clues.kinds import country_code

GERMAN = "4006381333931"  # prefix 400: GS1 Germany
SCENE = (640, 480)
AT = (200, 150)


def check_digit(body: str) -> str:
    """The GS1 check digit of a GTIN body (weights 3 and 1 from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def scene_with(
    content: str, symbology: zxingcpp.BarcodeFormat, at: tuple[int, int] = AT
) -> Image.Image:
    """A generated scene (a colour gradient) with a barcode pasted in at ``at``."""
    x, y = np.meshgrid(np.linspace(0, 1, SCENE[0]), np.linspace(0, 1, SCENE[1]))
    scene = np.stack([120 + 80 * x, 140 + 60 * y, 110 + 40 * x * y], axis=-1).astype(np.uint8)
    image = Image.fromarray(scene, "RGB")
    code = np.asarray(zxingcpp.create_barcode(content, symbology).to_image(scale=2))
    image.paste(Image.fromarray(code).convert("RGB"), at)
    return image


def showing(*images: Image.Image, seconds: tuple[float | None, ...] = ()) -> ClueSubject:
    times = seconds or (None,) * len(images)
    return subject(pictures=tuple(picture_of(i, s) for i, s in zip(images, times, strict=True)))


class TestBarcodeExtractor(ExtractorContract):
    extractor = BarcodeExtractor
    expected_country = "DE"

    def positive_subject(self) -> ClueSubject:
        return showing(scene_with(GERMAN, zxingcpp.BarcodeFormat.EAN13))

    def test_value_detail_and_box(self) -> None:
        (clue,) = self.run(self.positive_subject())
        assert clue.value == GERMAN
        assert clue.countries == {"DE": 1.0}
        assert clue.detail == (
            "EAN-13 4006381333931: number issued through GS1 Germany (prefix 400–440); "
            "this is not the country of origin"
        )
        assert clue.box is not None
        assert AT[0] / SCENE[0] <= clue.box.x < (AT[0] + 40) / SCENE[0]
        assert AT[1] / SCENE[1] <= clue.box.y < (AT[1] + 40) / SCENE[1]
        assert 0.2 < clue.box.width < 0.6

    @pytest.mark.parametrize(
        ("body", "country"),
        [("871234567890", "NL"), ("300000000001", "FR"), ("690123456789", "CN")],
    )
    def test_ean13_offices(self, body: str, country: str) -> None:
        image = scene_with(body + check_digit(body), zxingcpp.BarcodeFormat.EAN13)
        (clue,) = self.run(showing(image))
        assert country in clue.countries
        assert "not the country of origin" in clue.detail

    def test_upc_a_is_gs1_us(self) -> None:
        (clue,) = self.run(showing(scene_with("036000291452", zxingcpp.BarcodeFormat.UPCA)))
        assert clue.countries == {"US": 1.0}
        assert "GS1 US" in clue.detail

    def test_upc_e_is_gs1_us(self) -> None:
        (clue,) = self.run(showing(scene_with("01234565", zxingcpp.BarcodeFormat.UPCE)))
        assert clue.countries == {"US": 1.0}

    def test_ean8_from_an_office(self) -> None:
        body = "5012345"  # GS1 UK
        (clue,) = self.run(
            showing(scene_with(body + check_digit(body), zxingcpp.BarcodeFormat.EAN8))
        )
        assert clue.countries == {"GB": 1.0}

    @pytest.mark.parametrize(
        ("content", "symbology", "words"),
        [
            ("9780306406157", zxingcpp.BarcodeFormat.EAN13, "ISBN"),
            (
                "2001234" + "56789" + check_digit("200123456789"),
                zxingcpp.BarcodeFormat.EAN13,
                "restricted",
            ),
            ("0123456" + check_digit("0123456"), zxingcpp.BarcodeFormat.EAN8, "restricted"),
            (
                "140000000000" + check_digit("140000000000"),
                zxingcpp.BarcodeFormat.EAN13,
                "not assigned",
            ),
        ],
    )
    def test_special_numbers_are_skipped_with_why(
        self, content: str, symbology: zxingcpp.BarcodeFormat, words: str
    ) -> None:
        made = showing(scene_with(content, symbology))
        assert self.run(made) == []
        (skip,) = made.skips
        assert skip.extractor == "barcode"
        assert content in skip.reason and words in skip.reason

    def test_noise_has_no_barcode_and_no_skip(self) -> None:
        made = subject(pictures=(noise_picture(1), noise_picture(2)))
        assert self.run(made) == []
        assert made.skips == []

    def test_a_broken_picture_is_skipped_and_the_others_read(self) -> None:
        def broken() -> Image.Image:
            raise OSError("truncated keyframe")

        good = picture_of(scene_with(GERMAN, zxingcpp.BarcodeFormat.EAN13), seconds=4.0)
        made = subject(kind="video", pictures=(Picture(load=broken, seconds=2.0), good))
        (clue,) = self.run(made)
        assert clue.seconds == 4.0
        (skip,) = made.skips
        assert "at 2.0 s" in skip.reason and "truncated keyframe" in skip.reason

    def test_the_same_barcode_in_two_keyframes_is_one_clue(self) -> None:
        image = scene_with(GERMAN, zxingcpp.BarcodeFormat.EAN13)
        (clue,) = self.run(showing(image, image, seconds=(1.0, 3.0)))
        assert clue.seconds == 1.0


def test_the_prefix_table() -> None:
    rows = gs1_prefixes()
    assert len(rows) > 100
    for before, after in itertools.pairwise(rows):
        assert before.first <= before.last < after.first, "ranges are sorted and disjoint"
    for row in rows:
        for code in row.countries:
            assert country_code(code) == code
    office = gs1_office(875)
    assert office is not None and office.office == "GS1 Netherlands"
    assert office.range_text == "870–879"
    assert gs1_office(977) is not None and not gs1_office(977).countries  # type: ignore[union-attr]
    assert gs1_office(150) is None
