"""decode_reduced: reduced-scale decoding under limits, every pixel mode to RGB, damage reported."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pillow_heif
import pytest
from PIL import Image

from tests.kit.signal_kit import photo, save
from vidtrace.config import Limits
from vidtrace.domain.skip import SkipCode
from vidtrace.signals.base import DecodeError
from vidtrace.signals.image_decode import decode_reduced

LIMITS = Limits()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` but that holds one empty data chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("size", "expected"),
    [((1024, 768), (512, 384)), ((4032, 3024), (1008, 756)), ((700, 500), (700, 500))],
)
def test_jpeg_is_decoded_at_reduced_dct_scale(
    tmp_path: Path, size: tuple[int, int], expected: tuple[int, int]
) -> None:
    path = save(photo(*size), tmp_path / "p.jpg", quality=90)
    reduced = decode_reduced(path, "image/jpeg", LIMITS)
    assert reduced.image.size == expected
    assert (reduced.width, reduced.height) == size
    assert reduced.image.mode == "RGB"
    assert reduced.mime == "image/jpeg"


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "TIFF", "BMP", "HEIF", "AVIF"])
def test_other_formats_are_box_reduced_to_target_range(tmp_path: Path, fmt: str) -> None:
    pillow_heif.register_heif_opener()
    path = save(photo(600, 360), tmp_path / f"p.{fmt.lower()}", format=fmt)
    reduced = decode_reduced(path, "image/x", LIMITS, target=128)
    assert 128 <= max(reduced.image.size) < 256
    assert (reduced.width, reduced.height) == (600, 360)
    assert reduced.image.mode == "RGB"


@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "PA", "RGBA", "CMYK", "I", "I;16", "F"])
def test_every_pixel_mode_becomes_rgb(tmp_path: Path, mode: str) -> None:
    source = photo(300, 200)
    if mode in {"I", "I;16", "F"}:
        grey = np.asarray(source.convert("L"), dtype=np.float32)
        scaled = grey / 255.0 if mode == "F" else grey * 257.0
        array = scaled.astype({"I": np.int32, "I;16": np.uint16, "F": np.float32}[mode])
        image = Image.fromarray(array)
        if mode == "I;16":
            image = image.convert("I;16")
        path = save(image, tmp_path / "p.tiff")
    else:
        image = source.convert(mode)
        fmt = "JPEG" if mode == "CMYK" else ("WEBP" if mode == "PA" else "PNG")
        path = save(image, tmp_path / f"p.{fmt.lower()}", format=fmt)
    reduced = decode_reduced(path, "image/x", LIMITS)
    assert reduced.image.mode == "RGB"
    pixels = np.asarray(reduced.image, dtype=np.float32)
    # High bit depths are scaled, not clipped: the picture is still there.
    assert 20 < pixels.mean() < 235 and pixels.std() > 10


def test_transparent_palette_gif_uses_first_frame(tmp_path: Path) -> None:
    frames = [Image.new("P", (64, 48), i) for i in (10, 200)]
    for frame in frames:
        frame.putpalette([v for i in range(256) for v in (i, 255 - i, i // 2)])
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], transparency=0, duration=50)
    reduced = decode_reduced(path, "image/gif", LIMITS)
    assert reduced.image.mode == "RGB"
    assert reduced.image.getpixel((0, 0)) == (10, 245, 5)


def test_orientation_is_read_but_not_applied(tmp_path: Path) -> None:
    image = photo(400, 300)
    exif = Image.Exif()
    exif[0x0112] = 6
    path = save(image, tmp_path / "rotated.jpg", exif=exif.tobytes())
    reduced = decode_reduced(path, "image/jpeg", LIMITS)
    assert reduced.orientation == 6
    assert reduced.image.size == (400, 300)


def test_absent_or_invalid_orientation_is_none(tmp_path: Path) -> None:
    plain = decode_reduced(save(photo(64, 64), tmp_path / "a.jpg"), "image/jpeg", LIMITS)
    exif = Image.Exif()
    exif[0x0112] = 42
    odd = save(photo(64, 64), tmp_path / "b.jpg", exif=exif.tobytes())
    assert plain.orientation is None
    assert decode_reduced(odd, "image/jpeg", LIMITS).orientation is None


def test_pixel_limit_is_checked_before_decoding(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_header_only(100_000, 100_000))
    with pytest.raises(DecodeError) as caught:
        decode_reduced(bomb, "image/png", LIMITS)
    assert caught.value.reason.code is SkipCode.DECOMPRESSION_BOMB
    small = save(photo(100, 100), tmp_path / "p.png")
    with pytest.raises(DecodeError) as caught:
        decode_reduced(small, "image/png", Limits(max_image_pixels=9_999))
    assert caught.value.reason.code is SkipCode.DECOMPRESSION_BOMB


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_file(tmp_path: Path, fmt: str) -> None:
    data = io.BytesIO()
    photo(800, 600).save(data, format=fmt)
    path = tmp_path / "cut"
    path.write_bytes(data.getvalue()[: len(data.getvalue()) * 3 // 5])
    with pytest.raises(DecodeError) as caught:
        decode_reduced(path, "image/x", LIMITS)
    assert caught.value.reason.code is SkipCode.TRUNCATED


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image at all", bytes(range(256)) * 50, b"\xff\xd8\xff\xe0" + b"\x00" * 500],
)
def test_garbage_is_corrupt(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "junk"
    path.write_bytes(data)
    with pytest.raises(DecodeError) as caught:
        decode_reduced(path, "image/jpeg", LIMITS)
    assert caught.value.reason.code in {SkipCode.CORRUPT_IMAGE, SkipCode.TRUNCATED}


def test_zero_size_image_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    path.write_bytes(_png_header_only(0, 10))
    with pytest.raises(DecodeError) as caught:
        decode_reduced(path, "image/png", LIMITS)
    assert caught.value.reason.code is SkipCode.CORRUPT_IMAGE


def test_formats_pillow_cannot_read_are_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "drawing.svg"
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    with pytest.raises(DecodeError) as caught:
        decode_reduced(path, "image/svg+xml", LIMITS)
    assert caught.value.reason.code is SkipCode.UNSUPPORTED


def test_real_camera_files_decode_or_fail_cleanly(shared_data: Path) -> None:
    """Every file of the exif-py corpus (JPEG, HEIC, AVIF, TIFF, RAW, JXL, damaged JPEGs)."""
    root = shared_data / "exif" / "exif-py"
    decoded = failed = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix.lower() in {".txt", ".rst", ""}:
            continue
        try:
            reduced = decode_reduced(path, "image/x", LIMITS, target=256)
        except DecodeError as exc:
            assert exc.reason.code in set(SkipCode)
            failed += 1
            continue
        assert reduced.image.mode == "RGB" and min(reduced.image.size) >= 1
        decoded += 1
    assert decoded >= 90
    assert failed <= 12


def test_postscript_is_never_handed_to_ghostscript(tmp_path: Path) -> None:
    path = tmp_path / "drawing.eps"
    path.write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n")
    with pytest.raises(DecodeError) as caught:
        decode_reduced(path, "application/postscript", LIMITS)
    assert caught.value.reason.code is SkipCode.UNSUPPORTED


def test_multi_picture_jpeg_is_dct_scaled(tmp_path: Path) -> None:
    first = photo(1600, 1200)
    path = tmp_path / "pair.mpo"
    first.save(path, format="MPO", save_all=True, append_images=[first.rotate(5)])
    assert decode_reduced(path, "image/jpeg", LIMITS).image.size == (800, 600)
