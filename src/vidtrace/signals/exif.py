"""EXIF: the camera, its serial number, when and where a photo was taken.

Read with exifread (JPEG, TIFF and RAW, HEIC/HEIF, AVIF, WebP, PNG, JPEG XL), under a budget
that keeps hostile files from hanging it (see ``exif_reader``). Values that cameras write when
they know nothing (0000:00:00 dates, x/0 GPS ratios, 0,0 positions) are dropped, not guessed.
``orientation`` is the tag as written; for HEIF the decoder has already applied it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from fractions import Fraction
from typing import Any

from vidtrace.domain.media import CameraExif, GeoPoint, MediaKind
from vidtrace.signals.base import FileSignal, StagedFile, signals
from vidtrace.signals.exif_reader import read_tags

SERIAL_KEYS = (
    "EXIF BodySerialNumber",
    "Image BodySerialNumber",
    "Image Tag 0xC62F",  # DNG CameraSerialNumber, which exifread does not name
    "EXIF SerialNumber",  # 0xFDE9, written by some Adobe and Sony tools
    "Image SerialNumber",
)
DATE_SOURCES = (
    ("EXIF DateTimeOriginal", "EXIF OffsetTimeOriginal"),
    ("EXIF DateTimeDigitized", "EXIF OffsetTimeDigitized"),
    ("Image DateTime", "EXIF OffsetTime"),
)

_DATE = re.compile(r"^\s*(\d{4})[:\-/](\d{2})[:\-/](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_OFFSET = re.compile(r"^\s*([+-])(\d{2}):?(\d{2})\s*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ExifSignal(FileSignal):
    name = "exif"
    version = 1
    facts_field = "exif"
    kinds = frozenset({MediaKind.IMAGE})

    def compute(self, staged: StagedFile) -> CameraExif | None:
        """The camera facts of ``staged``; None when it has none or they cannot be read."""
        try:
            tags = read_tags(staged.path)
        except Exception:  # hostile or damaged metadata is absent metadata, never a failure
            return None
        exif = camera_exif(tags)
        return None if exif.is_empty() else exif


signals.register(ExifSignal)


def camera_exif(tags: Mapping[str, Any]) -> CameraExif:
    """Map exifread tags to the fields an analyst links and locates with."""
    taken_at, offset = taken_at_and_offset(tags)
    return CameraExif(
        make=tag_text(tags, "Image Make"),
        model=tag_text(tags, "Image Model"),
        serial=tag_text(tags, *SERIAL_KEYS),
        lens=_lens(tags),
        software=tag_text(tags, "Image Software"),  # cameras put their firmware here
        taken_at=taken_at,
        offset=offset,
        gps=gps_point(tags),
        orientation=_orientation(tags),
    )


def tag_text(tags: Mapping[str, Any], *keys: str) -> str | None:
    """The first of ``keys`` holding non-blank text, without padding, NULs or control bytes."""
    for key in keys:
        tag = tags.get(key)
        if tag is None:
            continue
        text = _as_text(getattr(tag, "values", tag))
        if text:
            return text
    return None


def taken_at_and_offset(tags: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """ISO 8601 capture time (``+HH:MM`` appended when the camera wrote one) and that offset."""
    for date_key, offset_key in DATE_SOURCES:
        moment = parse_exif_date(tag_text(tags, date_key))
        if moment is None:
            continue
        offset = parse_offset(tag_text(tags, offset_key)) or parse_offset(
            tag_text(tags, "EXIF OffsetTime")
        )
        return (moment + offset if offset else moment), offset
    return None, None


def parse_exif_date(text: str | None) -> str | None:
    """``YYYY:MM:DD HH:MM:SS`` as ``YYYY-MM-DDTHH:MM:SS``; None for blank or impossible dates."""
    match = _DATE.match(text or "")
    if not match:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups())
    try:
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:  # 0000:00:00, month 13, Feb 30...
        return None
    return moment.isoformat(timespec="seconds")


def parse_offset(text: str | None) -> str | None:
    match = _OFFSET.match(text or "")
    if not match:
        return None
    sign, hours, minutes = match.groups()
    if int(hours) > 14 or int(minutes) >= 60:
        return None
    return f"{sign}{hours}:{minutes}"


def gps_point(tags: Mapping[str, Any]) -> GeoPoint | None:
    """Decimal degrees from the GPS IFD; None when absent, undefined (x/0) or impossible."""
    lat = _coordinate(tags, "GPS GPSLatitude", "GPS GPSLatitudeRef", "S", 90.0)
    lon = _coordinate(tags, "GPS GPSLongitude", "GPS GPSLongitudeRef", "W", 180.0)
    if lat is None or lon is None or (lat == 0.0 and lon == 0.0):
        return None  # 0,0 is what receivers without a fix write
    return GeoPoint(lat=round(lat, 7), lon=round(lon, 7), alt=_altitude(tags))


def _coordinate(
    tags: Mapping[str, Any], key: str, ref_key: str, negative_ref: str, limit: float
) -> float | None:
    parts = _ratios(tags.get(key), unused_last=True)
    if not parts or len(parts) > 3:
        return None
    degrees, minutes, seconds = (parts + [Fraction(0)] * 3)[:3]
    if minutes < 0 or minutes >= 60 or seconds < 0 or seconds >= 60 or degrees < 0:
        return None
    value = float(degrees + minutes / 60 + seconds / 3600)
    if value > limit:
        return None
    ref = (tag_text(tags, ref_key) or "").upper()
    return -value if ref.startswith(negative_ref) else value


def _altitude(tags: Mapping[str, Any]) -> float | None:
    parts = _ratios(tags.get("GPS GPSAltitude"))
    if not parts or abs(parts[0]) > 100_000:
        return None
    ref_tag = tags.get("GPS GPSAltitudeRef")
    ref = getattr(ref_tag, "values", ref_tag)
    below = ref in ([1], 1, "1", b"\x01") or (isinstance(ref, list) and ref[:1] == [1])
    return round(float(-parts[0] if below else parts[0]), 3)


def _ratios(tag: Any, unused_last: bool = False) -> list[Fraction] | None:
    """Exact values of a ratio tag; None if any is undefined (x/0) or not a number.

    ``unused_last``: degrees and decimal minutes followed by 0/0 seconds, as some phones write
    for "dd/1,mmmm/100,0/1", is a complete position; the 0/0 then counts as 0.
    """
    values = getattr(tag, "values", None)
    if not isinstance(values, list) or not values:
        return None
    out: list[Fraction] = []
    for position, value in enumerate(values):
        if isinstance(value, Fraction):
            if value.denominator == 0:
                if unused_last and position == 2 and out[1].denominator != 1:
                    out.append(Fraction(0))
                    continue
                return None
            out.append(Fraction(value.numerator, value.denominator))
        elif isinstance(value, int):
            out.append(Fraction(value))
        else:
            return None
    return out


def _orientation(tags: Mapping[str, Any]) -> int | None:
    tag = tags.get("Image Orientation")
    values = getattr(tag, "values", None)
    if isinstance(values, list) and values and isinstance(values[0], int):
        return values[0] if 1 <= values[0] <= 8 else None
    return None


def _lens(tags: Mapping[str, Any]) -> str | None:
    model = tag_text(tags, "EXIF LensModel")
    make = tag_text(tags, "EXIF LensMake")
    if model and make and not model.lower().startswith(make.lower()):
        return f"{make} {model}"
    return model or make


def _as_text(value: Any) -> str | None:
    if isinstance(value, bytes):
        text = value.decode("utf-8", errors="replace")
    elif isinstance(value, str):
        text = value
    elif isinstance(value, list) and value and all(isinstance(v, int) for v in value):
        # Serials are LONG numbers for some makers, UNDEFINED byte strings for others.
        text = str(value[0]) if len(value) == 1 and value[0] > 255 else _bytes_text(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    else:
        return None
    text = text.strip("\x00 \t\r\n").split("\x00", 1)[0]
    text = _CONTROL.sub("", text).strip()
    return text or None


def _bytes_text(values: Iterable[int]) -> str:
    data = bytes(v for v in values if 0 <= v <= 255)
    return data.decode("utf-8", errors="replace")
