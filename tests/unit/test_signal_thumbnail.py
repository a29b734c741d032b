"""Thumbnails: WebP, upright per EXIF orientation, bounded size, no metadata of the original."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.kit.signal_kit import photo, save
from vidtrace.config import Limits
from vidtrace.signals.base import ReducedImage
from vidtrace.signals.image_decode import decode_reduced
from vidtrace.signals.thumbnail import render_frame_thumbnail, render_thumbnail

# How a camera stores an upright picture under each EXIF orientation (the inverse of display).
STORED_AS = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def upright_scene() -> Image.Image:
    """Landscape, with a red block top-left and a blue block bottom-right."""
    image = Image.new("RGB", (300, 200), (128, 128, 128))
    image.paste((255, 0, 0), (0, 0, 60, 60))
    image.paste((0, 0, 255), (240, 140, 300, 200))
    return image


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("orientation", sorted(STORED_AS))
def test_orientation_is_applied(orientation: int) -> None:
    scene = upright_scene()
    transpose = STORED_AS[orientation]
    stored = scene.transpose(transpose) if transpose is not None else scene
    reduced = ReducedImage(stored, stored.width, stored.height, "image/jpeg", orientation)
    data, width, height = render_thumbnail(reduced, 150)
    thumb = opened(data).convert("RGB")
    assert (width, height) == thumb.size == (150, 100)
    red, blue = thumb.getpixel((5, 5)), thumb.getpixel((145, 95))
    assert isinstance(red, tuple) and isinstance(blue, tuple)
    assert red[0] > 200 and red[2] < 60, red
    assert blue[2] > 200 and blue[0] < 60, blue


def test_webp_without_metadata(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "SecretCam"
    path = save(photo(800, 600), tmp_path / "p.jpg", exif=exif.tobytes(), icc_profile=b"x" * 128)
    data, width, height = render_thumbnail(decode_reduced(path, "image/jpeg", Limits()), 256)
    thumb = opened(data)
    assert thumb.format == "WEBP"
    assert (width, height) == thumb.size == (192, 256)  # portrait: orientation 6 applied
    assert not thumb.getexif()
    assert not {"exif", "icc_profile", "xmp"} & set(thumb.info)
    assert b"SecretCam" not in data


def test_never_upscales_and_keeps_aspect() -> None:
    data, width, height = render_frame_thumbnail(photo(40, 10), 256)
    assert (width, height) == (40, 10) == opened(data).size
    data, width, height = render_frame_thumbnail(photo(1000, 10), 100)
    assert (width, height) == (100, 1)


@pytest.mark.parametrize("mode", ["L", "RGBA", "P", "CMYK"])
def test_frame_thumbnail_of_any_mode(mode: str) -> None:
    data, width, height = render_frame_thumbnail(photo(120, 90).convert(mode), 64)
    thumb = np.asarray(opened(data).convert("RGB"))
    assert thumb.shape == (height, width, 3) == (48, 64, 3)


def test_bad_size_is_refused() -> None:
    with pytest.raises(ValueError):
        render_frame_thumbnail(photo(10, 10), 0)
