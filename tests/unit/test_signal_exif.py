"""EXIF: camera fields, time and place; checked against exif-py's own dump, and hostile input."""

from __future__ import annotations

import random
import struct
import time
from pathlib import Path
from typing import Any

import piexif
import pytest
from exifread.tags.exif import EXIF_TAGS

from tests.kit.exif_dump import dump_gps, dump_taken_at, read_dump
from tests.kit.signal_kit import SignalContract, photo, save
from vidtrace.config import Limits
from vidtrace.domain.media import CameraExif, MediaKind
from vidtrace.signals.base import StagedFile
from vidtrace.signals.exif import ExifSignal, parse_exif_date, parse_offset

SIGNAL = ExifSignal()
ORIENTATION_NAMES = {name: number for number, name in EXIF_TAGS[0x0112][1].items()}  # type: ignore[index, union-attr]


def staged(path: Path) -> StagedFile:
    return StagedFile(path=path, kind=MediaKind.IMAGE, mime="image/jpeg", limits=Limits())


def jpeg_with_exif(
    path: Path, zeroth: dict[int, Any], exif: dict[int, Any], gps: dict[int, Any]
) -> Path:
    data = piexif.dump({"0th": zeroth, "Exif": exif, "GPS": gps, "1st": {}, "thumbnail": None})
    return save(photo(64, 48), path, exif=data)


def dms(value: float) -> tuple[tuple[int, int], ...]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600 * 1000)
    return ((degrees, 1), (minutes, 1), (seconds, 1000))


@pytest.fixture
def full_exif(tmp_path: Path) -> Path:
    return jpeg_with_exif(
        tmp_path / "full.jpg",
        {
            piexif.ImageIFD.Make: b"Canon\x00\x00",
            piexif.ImageIFD.Model: b"  EOS 5D  \x00",
            piexif.ImageIFD.Software: b"Firmware 1.1.0",
            piexif.ImageIFD.Orientation: 3,
            piexif.ImageIFD.DateTime: b"2021:01:01 00:00:00",
        },
        {
            piexif.ExifIFD.DateTimeOriginal: b"2020:07:14 18:30:05",
            piexif.ExifIFD.OffsetTimeOriginal: b"-03:00",
            piexif.ExifIFD.BodySerialNumber: b"083024001234",
            piexif.ExifIFD.LensMake: b"Canon",
            piexif.ExifIFD.LensModel: b"EF24-105mm f/4L IS USM",
        },
        {
            piexif.GPSIFD.GPSLatitudeRef: b"S",
            piexif.GPSIFD.GPSLatitude: dms(34.6037),
            piexif.GPSIFD.GPSLongitudeRef: b"W",
            piexif.GPSIFD.GPSLongitude: dms(58.3816),
            piexif.GPSIFD.GPSAltitudeRef: 1,
            piexif.GPSIFD.GPSAltitude: (125, 10),
        },
    )


class TestExifSignal(SignalContract):
    signal = SIGNAL

    @pytest.fixture
    def sample_input(self, full_exif: Path) -> StagedFile:
        return staged(full_exif)


def test_every_field(full_exif: Path) -> None:
    value = SIGNAL.compute(staged(full_exif))
    assert value is not None
    assert (value.make, value.model, value.serial) == ("Canon", "EOS 5D", "083024001234")
    assert value.lens == "Canon EF24-105mm f/4L IS USM"
    assert value.software == "Firmware 1.1.0"
    assert value.taken_at == "2020-07-14T18:30:05-03:00" and value.offset == "-03:00"
    assert value.orientation == 3
    assert value.gps is not None
    assert value.gps.lat == pytest.approx(-34.6037, abs=1e-5)
    assert value.gps.lon == pytest.approx(-58.3816, abs=1e-5)
    assert value.gps.alt == pytest.approx(-12.5)  # altitude ref 1: below sea level


def test_blank_dates_fall_back_and_offset_time_applies(tmp_path: Path) -> None:
    path = jpeg_with_exif(
        tmp_path / "dates.jpg",
        {piexif.ImageIFD.DateTime: b"2019:03:02 01:02:03"},
        {
            piexif.ExifIFD.DateTimeOriginal: b"0000:00:00 00:00:00",
            piexif.ExifIFD.DateTimeDigitized: b"    :  :     :  :  ",
            piexif.ExifIFD.OffsetTime: b"+05:30",
        },
        {},
    )
    value = SIGNAL.compute(staged(path))
    assert value == CameraExif(taken_at="2019-03-02T01:02:03+05:30", offset="+05:30")


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        (((40, 1), (26, 0), (0, 1)), ((3, 1), (43, 1), (29, 1))),  # x/0 minutes
        (((95, 1), (0, 1), (0, 1)), ((3, 1), (43, 1), (29, 1))),  # beyond the pole
        (((10, 1), (75, 1), (0, 1)), ((3, 1), (43, 1), (29, 1))),  # 75 minutes
        (((0, 1), (0, 1), (0, 1)), ((0, 1), (0, 1), (0, 1))),  # 0,0: receiver without a fix
    ],
)
def test_impossible_positions_are_dropped(
    tmp_path: Path, latitude: tuple[Any, ...], longitude: tuple[Any, ...]
) -> None:
    path = jpeg_with_exif(
        tmp_path / "gps.jpg",
        {piexif.ImageIFD.Make: b"Test"},
        {},
        {
            piexif.GPSIFD.GPSLatitudeRef: b"N",
            piexif.GPSIFD.GPSLatitude: latitude,
            piexif.GPSIFD.GPSLongitudeRef: b"E",
            piexif.GPSIFD.GPSLongitude: longitude,
        },
    )
    value = SIGNAL.compute(staged(path))
    assert value == CameraExif(make="Test")


def test_decimal_minutes_with_unset_seconds(tmp_path: Path) -> None:
    path = jpeg_with_exif(
        tmp_path / "gps.jpg",
        {},
        {},
        {
            piexif.GPSIFD.GPSLatitudeRef: b"N",
            piexif.GPSIFD.GPSLatitude: ((51, 1), (254903, 10000), (0, 0)),
            piexif.GPSIFD.GPSLongitudeRef: b"W",
            piexif.GPSIFD.GPSLongitude: ((0, 1), (404137, 10000), (0, 0)),
        },
    )
    value = SIGNAL.compute(staged(path))
    assert value is not None and value.gps is not None
    assert value.gps.lat == pytest.approx(51 + 25.4903 / 60, abs=1e-6)
    assert value.gps.lon == pytest.approx(-40.4137 / 60, abs=1e-6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020:02:29 23:59:59", "2020-02-29T23:59:59"),
        ("2021:02:29 10:00:00", None),
        ("0000:00:00 00:00:00", None),
        ("2020-05-06 07:08:09", "2020-05-06T07:08:09"),
        ("garbage", None),
        (None, None),
    ],
)
def test_parse_exif_date(text: str | None, expected: str | None) -> None:
    assert parse_exif_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("+02:00", "+02:00"), ("-0330", "-03:30"), ("+25:00", None), ("   :  ", None)],
)
def test_parse_offset(text: str, expected: str | None) -> None:
    assert parse_offset(text) == expected


def test_no_exif_is_none(tmp_path: Path) -> None:
    assert SIGNAL.compute(staged(save(photo(32, 32), tmp_path / "plain.png"))) is None


def _iso_bmff_box_pointing_at_itself() -> bytes:
    # A box of size 1 whose 64-bit size is 0 sends exifread back to the same offset forever.
    ftyp = struct.pack(">I", 16) + b"ftypheic" + b"\x00" * 4
    return ftyp + struct.pack(">I", 1) + b"free" + struct.pack(">Q", 0) + b"\x00" * 64


NOISE = random.Random(7).randbytes(4096)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"II*\x00" + b"\xff" * 64,
        b"MM\x00*" + NOISE,
        b"\xff\xd8\xff\xe1\xff\xffExif\x00\x00" + NOISE[:2048],
        _iso_bmff_box_pointing_at_itself(),
    ],
    ids=["empty", "tiff-all-ones", "tiff-noise", "jpeg-app1-noise", "heif-box-loop"],
)
def test_hostile_files_return_quickly_without_raising(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "hostile"
    path.write_bytes(data)
    started = time.monotonic()
    value = SIGNAL.compute(staged(path))
    assert time.monotonic() - started < 5
    assert value is None or isinstance(value, CameraExif)


def test_truncated_exif_keeps_what_was_read(full_exif: Path, tmp_path: Path) -> None:
    data = full_exif.read_bytes()
    for cut in range(4, 400, 7):
        path = tmp_path / f"cut{cut}.jpg"
        path.write_bytes(data[:cut])
        value = SIGNAL.compute(staged(path))
        assert value is None or isinstance(value, CameraExif)


def test_missing_file_is_none(tmp_path: Path) -> None:
    assert SIGNAL.compute(staged(tmp_path / "gone.jpg")) is None


# -- agreement with exif-py's dump of its own test corpus --------------------------------------


def test_matches_the_exif_py_dump(shared_data: Path) -> None:
    root = shared_data / "exif" / "exif-py"
    dump = read_dump(root / "dump.txt")
    checked = dict.fromkeys(
        ("files", "no-exif", "make", "model", "serial", "date", "gps", "orientation"), 0
    )
    for relative, tags in dump.items():
        path = root / relative
        if not path.exists():
            continue  # three files of the upstream corpus are not in the shared copy
        value = SIGNAL.compute(staged(path))
        checked["files"] += 1
        if tags is None:  # the dump says exifread finds no EXIF here
            assert value is None, relative
            checked["no-exif"] += 1
            continue
        got = value or CameraExif()
        for field, key in (
            ("make", "Image Make"),
            ("model", "Image Model"),
            ("serial", "EXIF BodySerialNumber"),
        ):
            if key in tags:
                assert getattr(got, field) == (tags[key].strip(" \x00") or None), relative
                checked[field] += 1
        expected_date = dump_taken_at(tags)
        if expected_date:
            assert got.taken_at is not None and got.taken_at[:19] == expected_date, relative
            checked["date"] += 1
        if "GPS GPSLatitude" in tags:
            expected = dump_gps(tags)
            if expected is None:
                assert got.gps is None, relative
            else:
                assert got.gps is not None, relative
                assert got.gps.lat == pytest.approx(expected.lat, abs=1e-4), relative
                assert got.gps.lon == pytest.approx(expected.lon, abs=1e-4), relative
            checked["gps"] += 1
        if tags.get("Image Orientation") in ORIENTATION_NAMES:
            assert got.orientation == ORIENTATION_NAMES[tags["Image Orientation"]], relative
            checked["orientation"] += 1
    assert checked["files"] >= 105
    assert checked["make"] >= 60 and checked["date"] >= 70 and checked["gps"] >= 17
    assert checked["orientation"] >= 60
