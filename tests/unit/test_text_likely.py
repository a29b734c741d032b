"""The fast text check: lines and pages of text pass, photos without text, flat pictures and
noise do not, in a few milliseconds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.kit.clue_sets import BUNDLED_PHOTOS, PHOTOS_WITHOUT_TEXT
from vidtrace.clues.reading.pages import line_sheet
from vidtrace.clues.reading.text_likely import looks_like_text, text_lines

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PHOTOS = BUNDLED_PHOTOS
WITHOUT_TEXT = PHOTOS_WITHOUT_TEXT


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, size)


def line_crop(text: str, size: int = 28, ink: str = "black", paper: str = "white") -> Image.Image:
    """A tight crop of one rendered line, like a text detector's output."""
    left, top, right, bottom = font(size).getbbox(text)
    image = Image.new("RGB", (right - left + 8, bottom - top + 8), paper)
    ImageDraw.Draw(image).text((4 - left, 4 - top), text, font=font(size), fill=ink)
    return image


def page(rows: int = 12) -> Image.Image:
    image = Image.new("L", (800, 60 + rows * 36), 255)
    draw = ImageDraw.Draw(image)
    for row in range(rows):
        draw.text((40, 30 + row * 36), f"Line {row}: the quick brown fox jumps over", 0, font(22))
    return image


def sign_on_photo(photo: str, text: str, size: int = 40) -> Image.Image:
    image = Image.open(PHOTOS / photo).convert("RGB").resize((1024, 768))
    draw = ImageDraw.Draw(image)
    width = draw.textlength(text, font=font(size))
    draw.rectangle((200, 300, 200 + width + size, 300 + 2 * size), fill=(240, 240, 230))
    draw.text((200 + size // 2, 300 + size // 2), text, font=font(size), fill=(30, 30, 90))
    return image


def photo(name: str, width: int | None = None) -> Image.Image:
    image = Image.open(PHOTOS / name)
    image.load()
    if width:
        image = image.resize((width, round(image.height * width / image.width)))
    return image


@pytest.mark.parametrize(
    "text", ["Willkommen in Berlin", "Добро пожаловать", "Καλώς ήρθατε", "EXIT 24h"]
)
def test_a_tight_crop_of_one_line_is_text(text: str) -> None:
    assert looks_like_text(line_crop(text))


def test_light_text_on_dark_and_small_lines_are_text() -> None:
    assert looks_like_text(line_crop("Apotheke geöffnet", ink="white", paper="navy"))
    assert looks_like_text(line_crop("Hauptstraße 12", size=14))


def test_a_page_of_text_is_text() -> None:
    assert looks_like_text(page())
    assert len(text_lines(page())) >= 10


def test_white_text_on_a_transparent_layer_is_text() -> None:
    layer = Image.new("RGBA", (420, 60), (0, 0, 0, 0))
    ImageDraw.Draw(layer).text((10, 10), "Farmacia abierta", font=font(32), fill="white")
    assert looks_like_text(layer)


@pytest.mark.parametrize("background", ["grass.png", "camera.png", "coffee.png"])
def test_a_sign_in_a_photo_is_text(background: str) -> None:
    assert looks_like_text(sign_on_photo(background, "Boulangerie du coin"))


@pytest.mark.parametrize("name", WITHOUT_TEXT)
@pytest.mark.parametrize("width", [None, 1024, 300])
def test_photos_without_text_are_not(name: str, width: int | None) -> None:
    assert not looks_like_text(photo(name, width))


def test_scikit_images_scanned_page_is_text() -> None:
    assert looks_like_text(photo("page.png"))


@pytest.mark.parametrize("size", [(320, 240), (1024, 768), (253, 39), (64, 64)])
def test_noise_is_not_text(size: tuple[int, int]) -> None:
    rng = np.random.default_rng(7)
    uniform = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    gaussian = np.clip(rng.normal(128, 30, (size[1], size[0])), 0, 255).astype(np.uint8)
    salt_and_pepper = (rng.random((size[1], size[0])) > 0.5).astype(np.uint8) * 255
    for pixels in (uniform, gaussian, salt_and_pepper):
        assert not looks_like_text(Image.fromarray(pixels))


def test_flat_pictures_are_not_text() -> None:
    ramp = np.tile(np.linspace(0, 255, 640), (480, 1)).astype(np.uint8)
    assert not looks_like_text(Image.new("RGB", (640, 480), (120, 30, 200)))
    assert not looks_like_text(Image.fromarray(ramp))
    assert not looks_like_text(Image.fromarray(np.dstack([ramp, ramp[::-1], ramp.T[:, :480].T])))


@pytest.mark.parametrize("mode", ["1", "L", "P", "LA", "RGBA", "CMYK", "I;16", "F"])
def test_any_mode_and_size_is_checked_without_error(mode: str) -> None:
    crop = line_crop("Mode test 123")
    assert isinstance(looks_like_text(crop.convert(mode)), bool)
    for size in [(1, 1), (5, 3), (3000, 2)]:
        assert not looks_like_text(Image.new(mode, size))


def test_shared_line_crops_and_pages_are_text(shared_data: Path) -> None:
    lines = sorted((shared_data / "ocr" / "rapidocr").glob("*_rec.*"))
    lines += [shared_data / "ocr" / "rapidocr" / f for f in ("cyrillic.png", "ta.png", "te.png")]
    pages = sorted((shared_data / "ocr" / "tesseract").glob("*.tif"))
    assert len(lines) >= 6 and len(pages) == 2
    for path in lines + pages:
        assert looks_like_text(Image.open(path)), path.name


def test_a_sign_in_a_photo_is_cut_out_onto_a_line_sheet() -> None:
    photo_with_sign = sign_on_photo("grass.png", "Boulangerie du coin")
    sheet = line_sheet(photo_with_sign)
    assert sheet is not None
    (row,) = sheet.rows
    assert sheet.picture.height == row.bottom + 16
    assert 36 <= sheet.picture.height <= 200  # the lettering scaled to about 40 px
    # The whole row on the sheet maps back onto the sign in the photo (x 200, y 300 of 1024).
    where = sheet.box(16, row.top, sheet.picture.width - 32, row.bottom - row.top)
    assert where.x < 230 / 1024 < where.x + where.width
    assert where.y < 340 / 768 < where.y + where.height
    assert where.width < 0.8 and where.height < 0.2


def test_light_lettering_is_made_dark_on_the_sheet() -> None:
    sheet = line_sheet(line_crop("Apotheke geöffnet", size=40, ink="white", paper="navy"))
    assert sheet is not None
    assert np.median(np.asarray(sheet.picture)) > 200


def test_no_sheet_without_lines_or_with_too_many_places() -> None:
    assert line_sheet(photo("camera.png")) is None
    scattered = Image.new("L", (1200, 1200), 255)
    draw = ImageDraw.Draw(scattered)
    for index in range(12):
        x, y = 60 + (index % 3) * 400, 60 + (index // 3) * 280
        draw.text((x, y), f"Word {index}", 0, font(28))
    assert line_sheet(scattered, max_rows=8) is None
    assert line_sheet(scattered, max_rows=20) is not None
