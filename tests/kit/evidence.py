"""Builders for small benign evidence: generated images (with EXIF), videos, archives."""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import piexif
from PIL import Image


def scene(seed: int, width: int = 320, height: int = 240) -> Image.Image:
    """A deterministic, textured RGB picture: gradients plus coloured blocks."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack(
        [
            (x * rng.uniform(0.3, 1.0) + y * rng.uniform(0, 0.5)) % 256,
            (y * rng.uniform(0.3, 1.0) + rng.integers(0, 255)) % 256,
            ((x + y) * rng.uniform(0.1, 0.6)) % 256,
        ],
        axis=-1,
    ).astype(np.uint8)
    for _ in range(6):
        x0, y0 = int(rng.integers(0, width - 20)), int(rng.integers(0, height - 20))
        base[
            y0 : y0 + int(rng.integers(10, height // 2)),
            x0 : x0 + int(rng.integers(10, width // 2)),
        ] = rng.integers(0, 255, 3)
    return Image.fromarray(base)


def _rational(value: float, denominator: int = 10000) -> tuple[int, int]:
    return (round(value * denominator), denominator)


def _dms(value: float) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = (value - degrees - minutes / 60) * 3600
    return ((degrees, 1), (minutes, 1), _rational(seconds, 100))


def exif_bytes(
    make: str = "Canon",
    model: str = "Canon EOS 80D",
    serial: str = "0123456789",
    taken_at: str = "2024:05:01 14:30:00",
    offset: str | None = "+02:00",
    gps: tuple[float, float] | None = (52.3676, 4.9041),
    orientation: int = 1,
) -> bytes:
    zeroth = {
        piexif.ImageIFD.Make: make.encode(),
        piexif.ImageIFD.Model: model.encode(),
        piexif.ImageIFD.Orientation: orientation,
        piexif.ImageIFD.Software: b"Firmware 1.0.2",
    }
    exif: dict[int, object] = {
        piexif.ExifIFD.DateTimeOriginal: taken_at.encode(),
        piexif.ExifIFD.BodySerialNumber: serial.encode(),
    }
    if offset:
        exif[piexif.ExifIFD.OffsetTimeOriginal] = offset.encode()
    gps_ifd: dict[int, object] = {}
    if gps:
        lat, lon = gps
        gps_ifd = {
            piexif.GPSIFD.GPSLatitudeRef: b"N" if lat >= 0 else b"S",
            piexif.GPSIFD.GPSLatitude: _dms(lat),
            piexif.GPSIFD.GPSLongitudeRef: b"E" if lon >= 0 else b"W",
            piexif.GPSIFD.GPSLongitude: _dms(lon),
        }
    return bytes(piexif.dump({"0th": zeroth, "Exif": exif, "GPS": gps_ifd}))


def write_jpeg(
    path: Path,
    seed: int,
    size: tuple[int, int] = (320, 240),
    exif: bytes | None = None,
    quality: int = 90,
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = scene(seed, *size)
    if exif is None:
        image.save(path, "JPEG", quality=quality)
    else:
        image.save(path, "JPEG", quality=quality, exif=exif)
    return path


def write_png(path: Path, seed: int, size: tuple[int, int] = (320, 240)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    scene(seed, *size).save(path, "PNG")
    return path


def write_video(
    path: Path,
    seed: int,
    seconds: int = 3,
    fps: int = 10,
    size: tuple[int, int] = (160, 120),
    container: str = "mp4",
) -> Path:
    """A short H.264 pan across a generated scene."""
    path.parent.mkdir(parents=True, exist_ok=True)
    width, height = size
    big = np.asarray(scene(seed, width * 2, height))
    with av.open(str(path), "w", format=container) as output:
        stream = output.add_stream("libx264" if container != "webm" else "libvpx-vp9", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = Fraction(1, fps)
        for index in range(seconds * fps):
            offset = int(index * width / (seconds * fps))
            frame = av.VideoFrame.from_ndarray(
                np.ascontiguousarray(big[:, offset : offset + width]), format="rgb24"
            )
            for packet in stream.encode(frame):
                output.mux(packet)
        for packet in stream.encode():
            output.mux(packet)
    return path


def jpeg_bytes(seed: int, size: tuple[int, int] = (320, 240)) -> bytes:
    buffer = io.BytesIO()
    scene(seed, *size).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()
