"""The GPS extractor: a position names its country, offline; bogus positions are skipped."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.kit.extractor_kit import ExtractorContract, subject
from vidtrace.clues.extractors.base import ClueSubject
from vidtrace.clues.extractors.gps import GpsExtractor
from vidtrace.domain.media import CameraExif, GeoPoint
from vidtrace.signals.exif import camera_exif
from vidtrace.signals.exif_reader import read_tags

AMSTERDAM = GeoPoint(lat=52.37403, lon=4.88969)

# The country of every file of the exif-py corpus whose GPS the project's EXIF reader returns,
# worked out from the coordinates in exif-py's dump.txt (degrees, minutes, seconds and N/S/E/W).
# dump.txt also lists jpg/mobile/HMD_Nokia_8.3_5G_hdr.jpg (60°59'N 24°25'E, Finland) and
# jpg/tests/46_UnicodeEncodeError.jpg (51°25'N 0°40'W, England); neither is in the shared copy.
GPS_FILES = {
    "heic/mobile/HMD_Nokia_8.3_5G.heif": "ES",  # 40°47'N 4°00'W, Sierra de Guadarrama
    "heic/mobile/HMD_Nokia_8.3_5G_hdr.heif": "ES",  # 40°39'N 3°45'W, south of Madrid
    "jpg/Kodak_CX7530.jpg": "KE",  # 0°22'S 36°03'E, near Nakuru
    "jpg/gps/DSCN0010.jpg": "IT",  # 43°28'N 11°53'E, Arezzo (the whole gps/ series)
    "jpg/gps/DSCN0012.jpg": "IT",
    "jpg/gps/DSCN0021.jpg": "IT",
    "jpg/gps/DSCN0025.jpg": "IT",
    "jpg/gps/DSCN0027.jpg": "IT",
    "jpg/gps/DSCN0029.jpg": "IT",
    "jpg/gps/DSCN0038.jpg": "IT",
    "jpg/gps/DSCN0040.jpg": "IT",
    "jpg/gps/DSCN0042.jpg": "IT",
    "jpg/hdr/iphone_hdr_NO.jpg": "ES",  # 40°26'N 3°43'W, Madrid
    "jpg/hdr/iphone_hdr_YES.jpg": "ES",
    "jpg/mobile/HMD_Nokia_8.3_5G.jpg": "FI",  # 60°08'N 24°54'E, Helsinki
    "jpg/tests/67-0_length_string.jpg": "DE",  # 51°01'N 7°35'E, Bergisches Land
    "jpg/tests/87_OSError.jpg": "IT",  # 43°47'N 11°14'E, Florence
    "jpg/tests/nikon_D3100_TypeError.jpg": "IT",  # 44°25'N 8°56'E, Genoa
    "jxl/test_0001.jxl": "US",  # 44°04'N 121°19'W, Bend, Oregon
}


def located(point: GeoPoint | None = None, **fields: object) -> ClueSubject:
    return subject(camera=CameraExif(gps=point), **fields)


class TestGpsExtractor(ExtractorContract):
    extractor = GpsExtractor
    expected_country = "NL"

    def positive_subject(self) -> ClueSubject:
        return located(AMSTERDAM)

    def test_value_and_detail_name_the_place(self) -> None:
        (clue,) = self.run(located(AMSTERDAM))
        assert clue.value == "52.37403,4.88969"
        assert clue.countries == {"NL": 1.0}
        assert clue.detail == "52.37403 N, 4.88969 E: near Amsterdam, North Holland, Netherlands"
        assert clue.confidence == pytest.approx(0.95)

    def test_southern_and_western_hemispheres(self) -> None:
        (clue,) = self.run(located(GeoPoint(lat=-34.60368, lon=-58.38156)))
        assert clue.countries == {"AR": 1.0}
        assert clue.detail.startswith("34.60368 S, 58.38156 W: near ")

    def test_a_remote_fix_says_how_far_the_nearest_town_is(self) -> None:
        (clue,) = self.run(located(GeoPoint(lat=64.5, lon=-17.0)))  # Vatnajökull, Iceland
        assert clue.countries == {"IS": 1.0}
        assert " km away)" in clue.detail

    def test_a_fix_far_from_any_town_is_a_guess(self) -> None:
        (clue,) = self.run(located(GeoPoint(lat=0.0, lon=-30.0)))  # mid-Atlantic
        assert "the country is a guess" in clue.detail
        assert clue.confidence == pytest.approx(0.5)

    def test_a_town_named_like_its_region_is_named_once(self) -> None:
        (clue,) = self.run(located(GeoPoint(lat=35.6895, lon=139.69171)))
        assert clue.detail == "35.68950 N, 139.69171 E: near Tokyo, Japan"

    def test_a_video_location_is_read_too(self) -> None:
        made = subject(kind="video", location=GeoPoint(lat=48.85661, lon=2.35222))
        (clue,) = self.run(made)
        assert clue.countries == {"FR": 1.0}

    def test_the_same_point_twice_is_one_clue(self) -> None:
        made = located(AMSTERDAM, location=AMSTERDAM)
        assert len(self.run(made)) == 1

    @pytest.mark.parametrize(
        ("point", "words"),
        [
            (GeoPoint(lat=0.0, lon=0.0), "null island"),
            (GeoPoint(lat=91.0, lon=4.0), "out of range"),
            (GeoPoint(lat=52.0, lon=-181.0), "out of range"),
            (GeoPoint(lat=math.nan, lon=4.0), "not a number"),
            (GeoPoint(lat=52.0, lon=math.inf), "not a number"),
        ],
    )
    def test_a_bogus_position_is_skipped_with_its_reason(self, point: GeoPoint, words: str) -> None:
        made = located(point)
        assert self.run(made) == []
        (skip,) = made.skips
        assert skip.extractor == "gps"
        assert words in skip.reason


def test_the_exif_py_photos_name_the_right_countries(shared_data: Path) -> None:
    root = shared_data / "exif" / "exif-py"
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix in {".txt", ".rst", ""}:
            continue
        try:
            point = camera_exif(read_tags(path)).gps
        except Exception:  # the corpus holds deliberately broken files
            continue
        if point is None:
            continue
        made = located(point)
        GpsExtractor().run(made)
        (clue,) = made.clues
        (country,) = clue.countries
        found[path.relative_to(root).as_posix()] = country
    assert found == GPS_FILES
