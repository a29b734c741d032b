"""The crop sanitiser: what Trace an Object publishes is re-rendered from pixels only.

The original is decoded, turned upright (EXIF orientation), cropped to the analyst's box,
optionally blurred or masked outside a polygon, bounded in size, copied into a fresh RGB
buffer and encoded as a new WebP. Nothing of the source file travels but pixels: no EXIF, XMP,
ICC profile, comment or container chunk, and the file's hashes are its own (ADR 008). The
result is checked before it is returned: a WebP holding any chunk besides the image data is
refused, so a future encoder change cannot let metadata through silently.
"""

from __future__ import annotations

import hashlib
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from vidtrace.config import Limits
from vidtrace.publish.crop_geometry import CropRegion, box_in_pixels, polygon_on_crop
from vidtrace.signals.base import DecodeError
from vidtrace.signals.image_decode import decode_reduced
from vidtrace.signals.thumbnail import upright

MAX_SIDE = 1024  # the published crop's longest side, in pixels
MIN_SIDE = 32  # a box smaller than this on the source is too small to show anyone
WEBP_QUALITY = 85
MASK_GREY = (128, 128, 128)
MIN_POLYGON_SHARE = 0.01  # a polygon that keeps less than 1 % of the box is a slip
# The chunks a plain lossy or lossless WebP holds; VP8X only announces the others.
IMAGE_CHUNKS = frozenset({b"VP8 ", b"VP8L", b"VP8X", b"ALPH"})
METADATA_FLAGS = 0x20 | 0x08 | 0x04  # VP8X flags: ICC profile, EXIF, XMP


class SanitiseError(ValueError):
    """The crop cannot be rendered; the message says why, for the analyst."""


@dataclass(frozen=True)
class SanitisedCrop:
    webp: bytes
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.webp).hexdigest()


def sanitise_file(
    path: Path,
    mime: str,
    region: CropRegion,
    source_size: tuple[int, int] | None = None,
    limits: Limits | None = None,
) -> SanitisedCrop:
    """The sanitised crop of the picture stored at ``path``. ``source_size`` (the stored
    width and height, if known) lets a large photo be decoded at reduced scale when the box
    is big enough to fill :data:`MAX_SIDE` anyway."""
    target = _decode_target(region, source_size)
    try:
        decoded = decode_reduced(path, mime, limits or Limits(), target=target)
    except DecodeError as error:
        raise SanitiseError(f"the picture cannot be decoded: {error.reason}") from error
    scale = max(decoded.image.size) / max(decoded.width, decoded.height)
    return sanitise_picture(upright(decoded.image, decoded.orientation), region, scale)


def _decode_target(region: CropRegion, source_size: tuple[int, int] | None) -> int:
    """The longest side to decode at: large enough that the box still has MAX_SIDE pixels
    along its longer side (whatever the orientation), never more than the original."""
    if source_size is None:
        return 1 << 30  # unknown: full size
    longest, shortest = max(source_size), max(1, min(source_size))
    box_side = max(region.box[2], region.box[3]) * shortest  # a lower bound, in source pixels
    return min(longest, math.ceil(MAX_SIDE * longest / max(1.0, box_side)))


def sanitise_picture(picture: Image.Image, region: CropRegion, scale: float = 1.0) -> SanitisedCrop:
    """The sanitised crop of an upright ``picture``; ``scale`` is how much it was reduced
    from the original (for the minimum-size check, which speaks of the original)."""
    left, top, right, bottom = box_in_pixels(region, *picture.size)
    if min(right - left, bottom - top) < MIN_SIDE * scale:
        raise SanitiseError(
            f"the box is too small to publish: at least {MIN_SIDE} pixels each way on the "
            "original; drag a bigger one"
        )
    crop = picture.convert("RGB").crop((left, top, right, bottom))
    if max(crop.size) > MAX_SIDE:
        ratio = MAX_SIDE / max(crop.size)
        size = (max(1, round(crop.width * ratio)), max(1, round(crop.height * ratio)))
        crop = crop.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    if region.masks_outside:
        crop = _outside_polygon(crop, region)
    return _encode(crop)


def _outside_polygon(crop: Image.Image, region: CropRegion) -> Image.Image:
    inside = Image.new("L", crop.size, 0)
    ImageDraw.Draw(inside).polygon(polygon_on_crop(region, crop.size), fill=255)
    kept = np.count_nonzero(np.asarray(inside)) / (crop.width * crop.height)
    if kept < MIN_POLYGON_SHARE:
        raise SanitiseError("the polygon keeps almost nothing of the box: click its corners again")
    if region.outside == "mask":
        outside = Image.new("RGB", crop.size, MASK_GREY)
    else:
        # Strong enough that text, faces and patterns outside the polygon cannot be read back.
        outside = crop.filter(ImageFilter.GaussianBlur(max(16.0, max(crop.size) / 8)))
    return Image.composite(crop, outside, inside)


def _encode(image: Image.Image) -> SanitisedCrop:
    # A new image from raw bytes: it has no info dict, so no EXIF, ICC profile, XMP or
    # comment of the source can reach the encoder, and none is passed to it.
    pixels = np.ascontiguousarray(np.asarray(image.convert("RGB"), dtype=np.uint8))
    height, width = pixels.shape[:2]
    fresh = Image.frombytes("RGB", (width, height), pixels.tobytes())
    out = io.BytesIO()
    fresh.save(out, format="WEBP", quality=WEBP_QUALITY, method=6)
    data = out.getvalue()
    check_plain_webp(data)
    return SanitisedCrop(data, width, height)


def webp_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The (fourcc, payload) chunks of a RIFF WebP file; ValueError if it is not one."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("not a RIFF WebP file")
    chunks, at = [], 12
    while at + 8 <= len(data):
        fourcc, size = data[at : at + 4], int.from_bytes(data[at + 4 : at + 8], "little")
        chunks.append((fourcc, data[at + 8 : at + 8 + size]))
        at += 8 + size + (size & 1)  # chunks are padded to an even length
    if at != len(data):
        raise ValueError("the RIFF chunks do not add up to the file")
    return chunks


def check_plain_webp(data: bytes) -> None:
    """Refuse a WebP holding anything but image data (SanitiseError)."""
    try:
        chunks = webp_chunks(data)
    except ValueError as error:
        raise SanitiseError(f"the encoder produced a broken WebP: {error}") from error
    for fourcc, payload in chunks:
        if fourcc not in IMAGE_CHUNKS:
            raise SanitiseError(f"the rendering holds a {fourcc!r} chunk; refused")
        if fourcc == b"VP8X" and payload and payload[0] & METADATA_FLAGS:
            raise SanitiseError("the rendering announces metadata; refused")
