"""The time-zone extractor: a UTC offset on a date keeps the countries whose clocks showed it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.kit.extractor_kit import ExtractorContract, subject
from vidtrace.clues.extractors.base import ClueSubject
from vidtrace.clues.extractors.timezone import TimeZoneExtractor, parse_offset
from vidtrace.domain.media import CameraExif
from vidtrace.signals.exif import camera_exif
from vidtrace.signals.exif_reader import read_tags


def clock(offset: str | None, taken_at: str | None = None) -> ClueSubject:
    return subject(camera=CameraExif(offset=offset, taken_at=taken_at))


class TestTimeZoneExtractor(ExtractorContract):
    extractor = TimeZoneExtractor
    expected_country = "DE"

    def positive_subject(self) -> ClueSubject:
        return clock("+02:00", "2023-06-14T10:31:00+02:00")

    def countries(self, offset: str, taken_at: str | None = None) -> set[str]:
        (clue,) = self.run(clock(offset, taken_at))
        return set(clue.countries)

    def test_summer_time_in_central_europe(self) -> None:
        (clue,) = self.run(self.positive_subject())
        assert clue.value == "+02:00 on 2023-06-14"
        assert {"DE", "NL", "FR", "PL", "ZA"} <= set(clue.countries)
        assert not {"GB", "PT", "FI"} & set(clue.countries)
        assert set(clue.countries.values()) == {1.0}
        assert clue.confidence == pytest.approx(0.8)

    def test_plus_one_in_june_is_british_summer_time(self) -> None:
        found = self.countries("+01:00", "2023-06-14T10:00:00")
        assert {"GB", "PT", "IE", "NG"} <= found
        assert "DE" not in found

    def test_plus_one_in_january_is_central_european_time(self) -> None:
        found = self.countries("+01:00", "2023-01-14T10:00:00")
        assert {"DE", "NL", "FR"} <= found
        assert "GB" not in found

    def test_half_hour_offset(self) -> None:
        assert {"IN", "LK"} == self.countries("+05:30", "2021-03-01T09:00:00")

    def test_one_country(self) -> None:
        (clue,) = self.run(clock("+05:45", "2021-03-01T09:00:00"))
        assert clue.countries == {"NP": 1.0}
        assert clue.detail == "camera clock at UTC+05:45 on 2021-03-01: 1 country keeps that offset"

    def test_south_america_at_minus_three(self) -> None:
        found = self.countries("-03:00", "2022-11-02T18:00:00")
        assert {"BR", "AR", "UY"} <= found
        assert "US" not in found

    def test_the_offset_may_lack_its_colon(self) -> None:
        (clue,) = self.run(clock("+0530", "2021-03-01T09:00:00"))
        assert clue.value == "+05:30 on 2021-03-01"

    def test_without_a_date_any_time_of_year_counts_and_confidence_drops(self) -> None:
        (clue,) = self.run(clock("+01:00"))
        assert {"GB", "DE", "NL"} <= set(clue.countries)  # summer or winter time
        assert clue.value == "+01:00"
        assert "no capture date" in clue.detail
        assert clue.confidence < 0.8

    @pytest.mark.parametrize("offset", ["02:00", "+2", "+15:00", "+01:75", "local", ""])
    def test_a_malformed_offset_is_skipped_with_its_reason(self, offset: str) -> None:
        made = clock(offset or " ", "2023-06-14T10:31:00")
        assert self.run(made) == []
        (skip,) = made.skips
        assert skip.extractor == "timezone"
        assert "not ±HH:MM" in skip.reason

    def test_an_offset_no_country_keeps_is_skipped(self) -> None:
        made = clock("+00:17", "2023-06-14T10:31:00")
        assert self.run(made) == []
        assert "no country keeps" in made.skips[0].reason


def test_parse_offset() -> None:
    assert parse_offset("+05:45") == timedelta(hours=5, minutes=45)
    assert parse_offset("-03:30") == -timedelta(hours=3, minutes=30)
    assert parse_offset("+14:00") == timedelta(hours=14)
    assert parse_offset("+14:30") is None


def test_the_nokia_photo_taken_in_helsinki(shared_data: Path) -> None:
    # Its GPS puts it in Helsinki (see the GPS extractor's test); its clock says +03:00.
    photo = shared_data / "exif" / "exif-py" / "jpg" / "mobile" / "HMD_Nokia_8.3_5G.jpg"
    made = subject(camera=camera_exif(read_tags(photo)))
    TimeZoneExtractor().run(made)
    (clue,) = made.clues
    assert clue.value == "+03:00 on 2022-08-14"
    assert "FI" in clue.countries
