"""Realistic camera EXIF, written with piexif, and the ground-truth record of what was written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import piexif

from vidtrace.demo.cameras import Camera
from vidtrace.demo.places import Place

# Seconds of arc are stored as n/10000: about 3 mm on the ground, far finer than the jitter.
_SECONDS_DENOMINATOR = 10000


@dataclass(frozen=True)
class ExifRecord:
    """What one camera original carries. ``taken`` is local wall-clock time at ``place``."""

    camera: Camera
    place: Place
    taken: datetime
    lat: float
    lon: float
    orientation: int = 1
    software: str | None = None  # overrides the camera's firmware (an editor rewrote the file)
    with_gps: bool = True

    @property
    def taken_at(self) -> str:
        """ISO 8601 with the offset, as OffsetTimeOriginal lets a reader reconstruct it."""
        return self.taken.strftime("%Y-%m-%dT%H:%M:%S") + self.place.utc_offset

    def to_bytes(self) -> bytes:
        """The APP1 payload (starting with b"Exif\\0\\0") for Pillow's ``save(exif=...)``."""
        stamp = self.taken.strftime("%Y:%m:%d %H:%M:%S").encode()
        software = (self.software or self.camera.software).encode()
        zeroth: dict[int, object] = {
            piexif.ImageIFD.Make: self.camera.make.encode(),
            piexif.ImageIFD.Model: self.camera.model.encode(),
            piexif.ImageIFD.Orientation: self.orientation,
            piexif.ImageIFD.Software: software,
            piexif.ImageIFD.DateTime: stamp,
            piexif.ImageIFD.XResolution: (72, 1),
            piexif.ImageIFD.YResolution: (72, 1),
            piexif.ImageIFD.ResolutionUnit: 2,
        }
        exif: dict[int, object] = {
            piexif.ExifIFD.DateTimeOriginal: stamp,
            piexif.ExifIFD.DateTimeDigitized: stamp,
            piexif.ExifIFD.OffsetTimeOriginal: self.place.utc_offset.encode(),
            piexif.ExifIFD.OffsetTimeDigitized: self.place.utc_offset.encode(),
            piexif.ExifIFD.SubSecTimeOriginal: b"00",
            piexif.ExifIFD.ExposureTime: (1, 60),
            piexif.ExifIFD.FNumber: (56, 10),
            piexif.ExifIFD.ISOSpeedRatings: 400,
            piexif.ExifIFD.FocalLength: (35, 1),
            piexif.ExifIFD.LensModel: self.camera.lens.encode(),
        }
        if self.camera.serial is not None:
            exif[piexif.ExifIFD.BodySerialNumber] = self.camera.serial.encode()
            exif[piexif.ExifIFD.LensMake] = self.camera.make.encode()
        ifds: dict[str, object] = {"0th": zeroth, "Exif": exif}
        if self.with_gps:
            ifds["GPS"] = self._gps_ifd()
        return bytes(piexif.dump(ifds))

    def _gps_ifd(self) -> dict[int, object]:
        utc = self.taken - _offset(self.place.utc_offset)
        return {
            piexif.GPSIFD.GPSVersionID: (2, 2, 0, 0),
            piexif.GPSIFD.GPSLatitudeRef: b"N" if self.lat >= 0 else b"S",
            piexif.GPSIFD.GPSLatitude: _dms(self.lat),
            piexif.GPSIFD.GPSLongitudeRef: b"E" if self.lon >= 0 else b"W",
            piexif.GPSIFD.GPSLongitude: _dms(self.lon),
            piexif.GPSIFD.GPSAltitudeRef: 0,
            piexif.GPSIFD.GPSAltitude: (round(self.place.alt * 10), 10),
            piexif.GPSIFD.GPSTimeStamp: ((utc.hour, 1), (utc.minute, 1), (utc.second, 1)),
            piexif.GPSIFD.GPSDateStamp: utc.strftime("%Y:%m:%d").encode(),
        }

    def ground_truth(self) -> dict[str, object]:
        """The ground-truth entry: what a correct EXIF reader must report for this file."""
        gps = (
            {"lat": round(self.lat, 6), "lon": round(self.lon, 6), "alt": self.place.alt}
            if self.with_gps
            else None
        )
        return {
            "make": self.camera.make,
            "model": self.camera.model,
            "serial": self.camera.serial,
            "lens": self.camera.lens,
            "software": self.software or self.camera.software,
            "taken_at": self.taken_at,
            "offset": self.place.utc_offset,
            "orientation": self.orientation,
            "gps": gps,
        }


def _offset(text: str) -> timedelta:
    sign = -1 if text.startswith("-") else 1
    hours, minutes = text[1:].split(":")
    return sign * timedelta(hours=int(hours), minutes=int(minutes))


def _dms(value: float) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """Degrees, minutes and seconds as EXIF rationals."""
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds_n = round((value - degrees - minutes / 60) * 3600 * _SECONDS_DENOMINATOR)
    return (degrees, 1), (minutes, 1), (seconds_n, _SECONDS_DENOMINATOR)


def posix_time(local: datetime, utc_offset: str) -> float:
    """POSIX time of a local wall-clock time at ``utc_offset`` (files' modification times)."""
    return local.replace(tzinfo=timezone(_offset(utc_offset))).timestamp()


def utc_iso(local: datetime, utc_offset: str) -> str:
    """``"2023-06-14T08:20:00Z"``: the UTC time containers store as creation_time."""
    utc = local - _offset(utc_offset)
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_timestamp(record: ExifRecord) -> float:
    """POSIX time of the capture."""
    return posix_time(record.taken, record.place.utc_offset)
