"""Reading exif-py's ``dump.txt`` (the shared EXIF samples' expected tags) for comparisons."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

from vidtrace.domain.media import GeoPoint
from vidtrace.signals.exif import parse_exif_date

_DUMP_LINE = re.compile(r"^(.+?) \(([A-Za-z ]+)\): ?(.*)$")


def read_dump(path: Path) -> dict[str, dict[str, str] | None]:
    """relative path -> tags as printed by exifread; None where it found no EXIF at all."""
    files: dict[str, dict[str, str] | None] = {}
    current: dict[str, str] | None = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("Opening: tests/resources/"):
            current = {}
            files[line.removeprefix("Opening: tests/resources/").strip()] = current
        elif line.startswith("No EXIF information found") and current is not None:
            files[next(reversed(files))] = current = None
        elif current is not None and (match := _DUMP_LINE.match(line)):
            current.setdefault(match.group(1), match.group(3))
    return files


def dump_degrees(values: str | None, ref: str | None) -> float | None:
    if values is None:
        return None
    parts = [p.strip() for p in values.strip("[]").split(",")]
    fractions = []
    for part in parts:
        numerator, _, denominator = part.partition("/")
        if denominator.strip() == "0":
            return None
        fractions.append(Fraction(int(numerator), int(denominator or 1)))
    fractions += [Fraction(0)] * (3 - len(fractions))
    value = float(fractions[0] + fractions[1] / 60 + fractions[2] / 3600)
    return -value if (ref or "").strip().upper()[:1] in {"S", "W"} else value


def dump_gps(tags: dict[str, str]) -> GeoPoint | None:
    lat = dump_degrees(tags.get("GPS GPSLatitude"), tags.get("GPS GPSLatitudeRef"))
    lon = dump_degrees(tags.get("GPS GPSLongitude"), tags.get("GPS GPSLongitudeRef"))
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180 or lat == lon == 0:
        return None
    return GeoPoint(lat, lon)


def dump_taken_at(tags: dict[str, str]) -> str | None:
    for key in ("EXIF DateTimeOriginal", "EXIF DateTimeDigitized", "Image DateTime"):
        value = parse_exif_date(tags.get(key))
        if value:
            return value
    return None
