"""Thumbnails: small WebP renderings, upright, carrying no metadata from the original.

Not a signal: the ingest step stores the bytes in the vault as a derivative. Blurring and
greyscale for reduced exposure are applied where thumbnails are shown, not baked in here, so a
reviewer who reveals one sees the real picture.
"""

from __future__ import annotations

import io

from PIL import Image

from vidtrace.signals.base import ReducedImage

WEBP_QUALITY = 80

# EXIF orientation -> the transpose that makes the stored pixels upright (2..8; 1 is upright).
ORIENTATION_TRANSPOSE: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def upright(image: Image.Image, orientation: int | None) -> Image.Image:
    """``image`` turned the way EXIF ``orientation`` says it should be shown."""
    transpose = ORIENTATION_TRANSPOSE.get(orientation or 1)
    return image.transpose(transpose) if transpose is not None else image


def render_thumbnail(image: ReducedImage, max_px: int) -> tuple[bytes, int, int]:
    """WebP bytes of ``image``, upright, longest side at most ``max_px``; with width, height."""
    return _webp(upright(image.image, image.orientation), max_px)


def render_frame_thumbnail(frame: Image.Image, max_px: int) -> tuple[bytes, int, int]:
    """WebP bytes of a video still, longest side at most ``max_px``; with width, height."""
    return _webp(frame, max_px)


def _webp(image: Image.Image, max_px: int) -> tuple[bytes, int, int]:
    if max_px < 1:
        raise ValueError("max_px must be at least 1")
    # A fresh image from raw pixels: nothing of the source's EXIF, XMP or ICC data can follow.
    rgb = image.convert("RGB")
    small = Image.frombytes("RGB", rgb.size, rgb.tobytes())
    small.thumbnail((max_px, max_px), Image.Resampling.LANCZOS, reducing_gap=2.0)
    out = io.BytesIO()
    small.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue(), small.width, small.height
