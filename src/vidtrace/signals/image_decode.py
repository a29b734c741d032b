"""Decode an image at reduced scale, under limits, into the ``ReducedImage`` every signal reads.

Perceptual hashes only look at a 64x64 summary of the picture, so decoding 12-megapixel photos at
full size is wasted work: JPEGs are decoded straight at 1/2, 1/4 or 1/8 scale by libjpeg, other
formats are box-reduced right after decoding. EXIF orientation is read but not applied: PDQ
reference hashes are computed on the stored pixels, and thumbnails rotate on their own.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pillow_heif
from PIL import Image, UnidentifiedImageError

from vidtrace.config import Limits
from vidtrace.domain.skip import SkipCode
from vidtrace.signals.base import DecodeError, ReducedImage

__all__ = ["DecodeError", "decode_reduced"]

ORIENTATION_TAG = 0x0112
HIGH_DEPTH_MODES = frozenset({"I", "I;16", "I;16B", "I;16L", "I;16N", "F"})

# The Pillow decoders evidence may reach. Left out on purpose: EPS (Pillow runs Ghostscript on
# it, a long-standing code-execution risk), and plugins that only read headers or need external
# handlers (MPEG, WMF, FITS, GRIB, BUFR, HDF5).
# fmt: off
DECODABLE_FORMATS = (
    "JPEG", "PNG", "GIF", "BMP", "DIB", "TIFF", "WEBP", "HEIF", "AVIF", "JPEG2000", "PPM", "ICO",
    "CUR", "TGA", "PCX", "PSD", "QOI", "SGI", "DDS", "ICNS", "XBM", "XPM",
)
# fmt: on
# Multi-picture JPEGs (MPO, from phones and 3D cameras) open through the JPEG plugin.
DCT_SCALABLE = frozenset({"JPEG", "MPO"})
# Formats Pillow cannot decode at all; reported as unsupported rather than corrupt.
UNSUPPORTED_MIMES = frozenset(
    {
        "image/svg+xml",
        "image/jxl",
        "application/postscript",
        "image/x-eps",
        "image/x-sony-arw",
        "image/x-canon-cr2",
        "image/x-nikon-nef",
    }
)

_openers_registered = False


def _register_openers() -> None:
    """HEIF comes from pillow_heif; AVIF is native in Pillow (pillow_heif 1.x dropped its own)."""
    global _openers_registered
    if _openers_registered:
        return
    pillow_heif.register_heif_opener()
    # Limits.max_image_pixels is the one bomb limit: Pillow's own (lower, global) check would
    # refuse images the configured limits allow, and warn on the rest.
    Image.MAX_IMAGE_PIXELS = None
    _openers_registered = True


def decode_reduced(path: Path, mime: str, limits: Limits, target: int = 512) -> ReducedImage:
    """Decode ``path`` so its longest side is about ``target``..``2*target`` (never upscaled).

    Raises ``DecodeError`` with DECOMPRESSION_BOMB (checked from the header, before any pixel is
    decoded), TRUNCATED, CORRUPT_IMAGE or UNSUPPORTED.
    """
    _register_openers()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path, formats=DECODABLE_FORMATS) as im:
                return _decode_open(im, mime, limits, target)
    except DecodeError:
        raise
    except UnidentifiedImageError as exc:
        code = SkipCode.UNSUPPORTED if mime in UNSUPPORTED_MIMES else SkipCode.CORRUPT_IMAGE
        raise DecodeError(code, str(exc)) from exc
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        text = str(exc)
        truncated = "truncated" in text or isinstance(exc, EOFError)
        raise DecodeError(
            SkipCode.TRUNCATED if truncated else SkipCode.CORRUPT_IMAGE, text
        ) from exc
    except Exception as exc:  # a hostile file can trip any decoder bug; it must not stop a run
        raise DecodeError(SkipCode.CORRUPT_IMAGE, f"{type(exc).__name__}: {exc}") from exc


def _decode_open(im: Image.Image, mime: str, limits: Limits, target: int) -> ReducedImage:
    width, height = im.size
    if width <= 0 or height <= 0:
        raise DecodeError(SkipCode.CORRUPT_IMAGE, f"image has no pixels ({width}x{height})")
    if width * height > limits.max_image_pixels:
        raise DecodeError(
            SkipCode.DECOMPRESSION_BOMB,
            f"{width}x{height} exceeds {limits.max_image_pixels} pixels",
        )
    orientation = _orientation(im)
    if getattr(im, "n_frames", 1) > 1:
        im.seek(0)
    if im.format in DCT_SCALABLE:
        _draft(im, target)
    im.load()
    reduced = _reduce(im, target)
    return ReducedImage(
        image=_to_rgb(reduced),
        width=width,
        height=height,
        mime=mime,
        orientation=orientation,
    )


def _orientation(im: Image.Image) -> int | None:
    try:
        value = im.getexif().get(ORIENTATION_TAG)
    except Exception:  # a damaged EXIF block must not cost us the pixels
        return None
    return value if isinstance(value, int) and 1 <= value <= 8 else None


def _draft(im: Image.Image, target: int) -> None:
    """Ask libjpeg for the largest DCT scale (1, 1/2, 1/4, 1/8) keeping the long side >= target."""
    width, height = im.size
    scale = 1
    while scale < 8 and max(width, height) // (scale * 2) >= target:
        scale *= 2
    if scale > 1:
        mode = "RGB" if im.mode in {"RGB", "YCbCr"} else im.mode
        im.draft(mode, (max(1, width // scale), max(1, height // scale)))


def _reduce(im: Image.Image, target: int) -> Image.Image:
    factor = max(im.size) // target
    if factor < 2:
        return im
    if im.mode in {"P", "1"}:
        # Box-averaging palette indices would mix unrelated colours.
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    elif im.mode not in {"L", "LA", "RGB", "RGBA", "I", "F", "CMYK", "YCbCr"}:
        im = _to_rgb(im)
    return im.reduce(factor)


def _to_rgb(im: Image.Image) -> Image.Image:
    """Plain 8-bit RGB. Alpha is dropped (Pillow's convert), not composited onto a background;
    CMYK converts without its ICC profile, which is close enough for hashing and thumbnails."""
    if im.mode == "RGB":
        return im
    if im.mode in HIGH_DEPTH_MODES:
        return _scale_high_depth(im).convert("RGB")
    try:
        return im.convert("RGB")
    except ValueError:  # premultiplied "La" and other rare modes only convert via RGBA
        try:
            return im.convert("RGBA").convert("RGB")
        except ValueError as exc:
            raise DecodeError(SkipCode.UNSUPPORTED, f"pixel mode {im.mode}") from exc


def _scale_high_depth(im: Image.Image) -> Image.Image:
    """Map 16-bit, 32-bit and float greyscale to 0..255 instead of clipping everything white."""
    arr = np.asarray(im).astype(np.float64)
    if arr.size == 0:
        raise DecodeError(SkipCode.CORRUPT_IMAGE, "image has no pixels")
    peak = float(arr.max())
    if im.mode == "F" and peak <= 1.0:
        arr = arr * 255.0
    elif peak > 255.0:
        arr = arr / (65535.0 if peak <= 65535.0 else peak) * 255.0
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
