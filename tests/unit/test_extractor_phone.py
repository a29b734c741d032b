"""The phone-number extractor: international numbers everywhere, national ones with a hint.

The numbers are libphonenumber's own example numbers (``phonenumbers.example_number``): valid
by its metadata, and nobody's real line.
"""

from __future__ import annotations

import phonenumbers
import pytest

from tests.kit.extractor_kit import ExtractorContract, subject
from vidtrace.clues.extractors.base import ClueSubject
from vidtrace.clues.extractors.phone import PhoneNumberExtractor, hinted_regions
from vidtrace.domain.clue import Box, RecognisedText


def example(region: str, style: phonenumbers.PhoneNumberFormat) -> str:
    return phonenumbers.format_number(phonenumbers.example_number(region), style)


INTERNATIONAL = phonenumbers.PhoneNumberFormat.INTERNATIONAL
NATIONAL = phonenumbers.PhoneNumberFormat.NATIONAL
NL = example("NL", INTERNATIONAL)  # +31 10 123 4567


def read(
    value: str, language: str | None = None, seconds: float | None = None, box: Box | None = None
) -> RecognisedText:
    return RecognisedText(
        text=value, script="Latin", confidence=90.0, language=language, seconds=seconds, box=box
    )


def texts(*found: RecognisedText) -> ClueSubject:
    return subject(texts=found)


class TestPhoneNumberExtractor(ExtractorContract):
    extractor = PhoneNumberExtractor
    expected_country = "NL"

    def positive_subject(self) -> ClueSubject:
        return texts(read(f"Bakkerij Jansen - bel ons op {NL}", "nl"))

    def test_an_international_number(self) -> None:
        (clue,) = self.run(self.positive_subject())
        assert clue.value == "+31101234567"
        assert clue.countries == {"NL": 1.0}
        assert clue.detail == "+31 10 123 4567: Netherlands, fixed line"
        assert clue.confidence == pytest.approx(0.9)

    @pytest.mark.parametrize(
        ("written", "country"),
        [
            ("Tel. +44 121 234 5678", "GB"),
            ("Tel. 0049 30 123456", "DE"),
            ("Tél. 00 33 1 23 45 67 89", "FR"),
            ("Call +1 201-555-0123", "US"),
            ("Call +1 506-234-5678", "CA"),  # +1 is shared: the area code names Canada
            ("Тел. +7 71234 5 67 89", "KZ"),  # +7 is shared with Russia
            ("Tel: +55 11 2345-6789", "BR"),
        ],
    )
    def test_international_numbers_without_any_hint(self, written: str, country: str) -> None:
        (clue,) = self.run(texts(read(written)))
        assert clue.countries == {country: 1.0}

    def test_a_national_number_needs_the_language_hint(self) -> None:
        national = example("NL", NATIONAL)  # 010 123 4567
        assert self.run(texts(read(f"Bel {national}"))) == []
        (clue,) = self.run(texts(read(f"Bel {national}", "nl")))
        assert clue.value == "+31101234567"
        assert max(clue.countries, key=lambda code: clue.countries[code]) == "NL"
        assert clue.confidence == pytest.approx(0.6)
        assert "read as a national number (text in nl)" in clue.detail

    def test_a_national_number_invalid_where_the_language_is_spoken(self) -> None:
        us_national = example("US", NATIONAL)  # (201) 555-0123
        assert self.run(texts(read(f"Bel {us_national}", "nl"))) == []

    def test_the_hint_is_the_largest_countries_of_the_language(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        speakers = {"BE": 5.0, "NL": 17.0, "SR": 0.5, "AW": 0.1, "CW": 0.1, "SX": 0.1, "BQ": 0.1}
        monkeypatch.setattr(
            "vidtrace.clues.reference.language_countries", lambda language: speakers
        )
        assert list(hinted_regions("nl")) == ["NL", "BE", "SR", "AW", "CW", "SX"]
        assert hinted_regions(None) == {}
        (clue,) = self.run(texts(read("Bel 010 123 4567", "nl")))
        assert clue.countries == {"NL": 17.0}

    @pytest.mark.parametrize(
        "written",
        [
            "+31 12 345",  # too short
            "+1 555 0100",  # no such US range
            "Prijs € 12,50 - 14-06-2023 om 10:30 - art. 8712345678",
            "Order 0031 0000 0000",
        ],
    )
    def test_no_clue_from_what_is_not_a_valid_number(self, written: str) -> None:
        made = texts(read(written, "nl"))
        assert self.run(made) == []
        assert made.skips == []

    def test_an_international_service_number_is_skipped(self) -> None:
        made = texts(read("Freephone +800 1234 5678"))
        assert self.run(made) == []
        (skip,) = made.skips
        assert "+80012345678" in skip.reason and "no country" in skip.reason

    def test_the_first_sighting_gives_the_place_and_time(self) -> None:
        box = Box(0.1, 0.2, 0.3, 0.05)
        made = texts(read(f"Tel {NL}", seconds=3.0, box=box), read(f"{NL}", seconds=9.0))
        (clue,) = self.run(made)
        assert clue.seconds == 3.0
        assert clue.box == box

    def test_an_international_sighting_wins_over_a_national_one(self) -> None:
        made = texts(read("Bel 010 123 4567", "nl", seconds=1.0), read(NL, seconds=5.0))
        (clue,) = self.run(made)
        assert clue.confidence == pytest.approx(0.9)
        assert clue.seconds == 5.0

    def test_several_numbers_in_one_text(self) -> None:
        line = f"Tel {NL} / Fax {example('BE', INTERNATIONAL)} / Mobile 0031 6 12345678"
        values = [clue.value for clue in self.run(texts(read(line)))]
        assert values == ["+31101234567", "+3212345678", "+31612345678"]
