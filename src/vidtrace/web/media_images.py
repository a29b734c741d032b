"""Masked thumbnails: blurred and (by default) greyscale, rendered on the server so the browser
never holds clear pixels of an item the analyst has not revealed."""

from __future__ import annotations

import io

from PIL import Image, ImageFilter

MAX_BLUR = 40


def masked_thumbnail(data: bytes, blur_level: int, greyscale: bool) -> bytes:
    """The thumbnail ``data`` (any format Pillow reads) blurred with a Gaussian radius of
    ``blur_level`` pixels (clamped to 0..40) and turned grey when ``greyscale``; a JPEG.

    Raises ``OSError`` (Pillow's ``UnidentifiedImageError`` included) for bytes that are not
    an image."""
    radius = max(0, min(MAX_BLUR, blur_level))
    with Image.open(io.BytesIO(data)) as source:
        image = source.convert("L" if greyscale else "RGB")
    if radius:
        image = image.filter(ImageFilter.GaussianBlur(radius))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()
