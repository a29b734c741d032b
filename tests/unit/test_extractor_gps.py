"""The GPS extractor: a position names its country, offline; bogus positions are skipped."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.kit.clue_sets import EXIF_GPS_COUNTRIES, exif_gps_countries
from tests.kit.extractor_kit import ExtractorContract, subject
from vidtrace.clues.extractors.base import ClueSubject
from vidtrace.clues.extractors.gps import GpsExtractor
from vidtrace.domain.media import CameraExif, GeoPoint

AMSTERDAM = GeoPoint(lat=52.37403, lon=4.88969)


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
    assert exif_gps_countries(shared_data) == EXIF_GPS_COUNTRIES
