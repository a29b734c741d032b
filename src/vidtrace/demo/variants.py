"""Edits that turn a base shot into the near-duplicates a series collects as it is shared.

Each edit is a small pure function on a PIL image; :func:`apply_edit` dispatches on
:class:`Edit` so the series plan can name edits as data and the ground truth can record them.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageOps


class Edit(StrEnum):
    ORIGINAL = "original"  # the camera original of the base shot
    OTHER_SHOT = "other_shot"  # the same scene, a different crop/zoom/perspective
    PORTRAIT_SHOT = "portrait_shot"  # another shot, stored sideways with Orientation=6
    CROP = "crop"
    RESIZE = "resize"
    REENCODE = "reencode"  # same pixels, a lower JPEG quality
    COLOUR_SHIFT = "colour_shift"
    HFLIP = "hflip"
    ROTATE90 = "rotate90"
    TEXT = "text"
    MESSENGER = "messenger"  # downscaled and recompressed the way chat apps send photos
    FORMAT_COPY = "format_copy"  # the same picture saved as PNG, WebP or HEIC
    VIDEO = "video"  # a video panning across the scene
    VIDEO_CLIP = "video_clip"  # a clip cut from another video of the series


def crop(image: Image.Image, left: float, top: float, right: float, bottom: float) -> Image.Image:
    """Crop by fractions of the width and height."""
    w, h = image.size
    return image.crop((round(w * left), round(h * top), round(w * right), round(h * bottom)))


def resize(image: Image.Image, long_side: int) -> Image.Image:
    w, h = image.size
    scale = long_side / max(w, h)
    return image.resize(
        (max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.LANCZOS
    )


def colour_shift(
    image: Image.Image, gains: tuple[float, float, float], brightness: float
) -> Image.Image:
    """Per-channel gain and a brightness offset, like a filter or white-balance tweak."""
    pixels = np.asarray(image, dtype=np.float64) * np.array(gains) + brightness
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def hflip(image: Image.Image) -> Image.Image:
    return ImageOps.mirror(image)


def rotate90(image: Image.Image) -> Image.Image:
    """Rotate the pixels 90 degrees clockwise (the picture itself is turned, no EXIF tag)."""
    return image.transpose(Image.Transpose.ROTATE_270)


def store_sideways(display: Image.Image) -> Image.Image:
    """What a camera held upright stores: pixels turned 90° anticlockwise, with Orientation=6."""
    return display.transpose(Image.Transpose.ROTATE_90)


def overlay_text(image: Image.Image, text: str, at_bottom: bool = True) -> Image.Image:
    """Burn a caption into the picture on a translucent band (Pillow's bundled scalable font)."""
    out = image.convert("RGBA")
    band = Image.new("RGBA", out.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(band)
    size = max(14, out.height // 14)
    font = ImageFont.load_default(size=size)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = (out.width - (right - left)) // 2
    y = out.height - (bottom - top) - size if at_bottom else size // 2
    pad = size // 3
    draw.rectangle(
        (x - pad, y - pad, x + right - left + pad, y + bottom - top + pad * 2), fill=(0, 0, 0, 140)
    )
    draw.text((x - left, y - top), text, font=font, fill=(255, 255, 255, 255))
    return Image.alpha_composite(out, band).convert("RGB")


def apply_edit(
    image: Image.Image, edit: Edit, rng: np.random.Generator, caption: str = ""
) -> Image.Image:
    """Apply one edit with seeded parameters; shots and encodings are handled by the caller."""
    if edit is Edit.CROP:
        left, top = rng.uniform(0.05, 0.15), rng.uniform(0.05, 0.15)
        return crop(image, left, top, left + rng.uniform(0.7, 0.8), top + rng.uniform(0.7, 0.8))
    if edit is Edit.RESIZE:
        return resize(image, int(rng.integers(480, 720)))
    if edit is Edit.MESSENGER:
        return resize(image, 800)
    if edit is Edit.COLOUR_SHIFT:
        gains = (rng.uniform(0.9, 1.12), rng.uniform(0.9, 1.1), rng.uniform(0.88, 1.08))
        return colour_shift(image, (gains[0], gains[1], gains[2]), rng.uniform(-12, 12))
    if edit is Edit.HFLIP:
        return hflip(image)
    if edit is Edit.ROTATE90:
        return rotate90(image)
    if edit is Edit.TEXT:
        return overlay_text(image, caption, at_bottom=bool(rng.random() < 0.7))
    return image
