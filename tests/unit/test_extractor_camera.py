"""The camera extractor: a model made for one market names it; a world-wide model says nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.kit.extractor_kit import ExtractorContract, subject
from vidtrace.clues.extractors.base import ClueSubject
from vidtrace.clues.extractors.camera import CameraRegionExtractor, regional_models
from vidtrace.clues.kinds import country_code
from vidtrace.domain.media import CameraExif
from vidtrace.signals.exif import camera_exif
from vidtrace.signals.exif_reader import read_tags


def camera(make: str | None, model: str | None, software: str | None = None) -> ClueSubject:
    return subject(camera=CameraExif(make=make, model=model, software=software))


class TestCameraRegionExtractor(ExtractorContract):
    extractor = CameraRegionExtractor
    expected_country = "US"

    def positive_subject(self) -> ClueSubject:
        return camera("samsung", "SM-G991U", "G991USQS9EWL1")

    def countries(self, make: str | None, model: str | None, software: str | None = None) -> dict:
        clues = self.run(camera(make, model, software))
        assert len(clues) <= 1
        return dict(clues[0].countries) if clues else {}

    @pytest.mark.parametrize(
        ("make", "model", "expected"),
        [
            ("samsung", "SM-G991U", {"US": 1.0}),
            ("samsung", "SM-S918U1", {"US": 1.0}),
            ("samsung", "SM-G930V", {"US": 1.0}),
            ("samsung", "SM-G991W", {"CA": 1.0}),
            ("samsung", "SM-G991N", {"KR": 1.0}),
            ("samsung", "SM-G930K", {"KR": 1.0}),
            ("samsung", "SM-G9910", {"CN": 1.0, "HK": 0.3}),
            ("Sony", "SO-51A", {"JP": 1.0}),
            ("SHARP", "SH-02M", {"JP": 1.0}),
            ("samsung", "SC-51B", {"JP": 1.0}),
            ("Sony", "SOG03", {"JP": 1.0}),
            ("KYOCERA", "KYV48", {"JP": 1.0}),
            ("SHARP", "A001SH", {"JP": 1.0}),
            ("Xiaomi", "M2012K11AC", {"CN": 1.0}),
            ("Xiaomi", "M2012K11AI", {"IN": 1.0}),
            ("Xiaomi", "Redmi K40", {"CN": 1.0}),
            ("HUAWEI", "ELS-AN00", {"CN": 1.0}),
            ("HONOR", "ANY-AN00", {"CN": 1.0}),
        ],
    )
    def test_regional_models(self, make: str, model: str, expected: dict) -> None:
        assert self.countries(make, model) == expected

    @pytest.mark.parametrize(
        ("make", "model"),
        [
            ("samsung", "SM-G991B"),  # international
            ("samsung", "SM-G930F"),
            ("samsung", "SM-A515FN"),
            ("Apple", "iPhone 12"),
            ("Xiaomi", "M2012K11AG"),  # global
            ("Xiaomi", "Redmi K20 Pro"),  # sold in India too
            ("HUAWEI", "ELS-NX9"),  # global
            ("Canon", "Canon EOS 5D Mark IV"),
            ("NIKON CORPORATION", "NIKON D3100"),
            ("Xiaomi", "SM-G991U"),  # a Samsung number under another make is not Samsung's
        ],
    )
    def test_world_wide_models_say_nothing(self, make: str, model: str) -> None:
        made = camera(make, model)
        assert self.run(made) == []
        assert made.skips == []

    def test_firmware_alone_names_the_market(self) -> None:
        assert self.countries("samsung", None, "G991NKSU3CVB4") == {"KR": 1.0}
        assert self.countries("Xiaomi", "Mi 9T", "V12.5.4.0.RKHCNXM") == {"CN": 1.0}
        assert self.countries("Xiaomi", "Mi 9T", "V12.5.4.0.RKHMIXM") == {}  # global build

    def test_the_model_row_wins_over_the_firmware_row(self) -> None:
        (clue,) = self.run(camera("samsung", "SM-G991U", "G991NKSU3CVB4"))
        assert clue.countries == {"US": 1.0}
        assert clue.value == "samsung SM-G991U"
        assert "US" in clue.detail and "GSMArena" in clue.detail

    def test_a_firmware_clue_shows_the_firmware(self) -> None:
        (clue,) = self.run(camera("Xiaomi", "Mi 9T", "V12.5.4.0.RKHCNXM"))
        assert clue.value == "V12.5.4.0.RKHCNXM"
        assert "Mi 9T" not in clue.value


def test_every_row_is_well_formed() -> None:
    rows = regional_models()
    assert len(rows) >= 20
    for row in rows:
        assert row.model or row.software, "a row must look at the model or the firmware"
        assert row.note and row.source
        for code, weight in row.countries.items():
            assert country_code(code) == code and weight > 0


def test_a_verizon_galaxy_in_the_shared_data(shared_data: Path) -> None:
    photo = shared_data / "pdq" / "reg-test-input" / "exif-rotn" / "exif-rotn-1.jpg"
    made = subject(camera=camera_exif(read_tags(photo)))
    CameraRegionExtractor().run(made)
    (clue,) = made.clues
    assert clue.value == "samsung SM-G930V"
    assert clue.countries == {"US": 1.0}
    assert "Verizon" in clue.detail
