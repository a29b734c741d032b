"""The web-address extractor: country-code domains in recognised text, and nothing from noise."""

from __future__ import annotations

import pytest

from tests.kit.extractor_kit import ExtractorContract, subject, text
from vidtrace.clues.extractors.base import ClueSubject
from vidtrace.clues.extractors.web import WebAddressExtractor, addresses
from vidtrace.domain.clue import Box, RecognisedText


def texts(*lines: str) -> ClueSubject:
    return subject(texts=tuple(text(line) for line in lines))


class TestWebAddressExtractor(ExtractorContract):
    extractor = WebAddressExtractor
    expected_country = "NL"

    def positive_subject(self) -> ClueSubject:
        return texts("Bestellen? Mail info@bakkerij-jansen.nl")

    def found(self, *lines: str) -> dict[str, dict[str, float]]:
        return {clue.value: dict(clue.countries) for clue in self.run(texts(*lines))}

    def test_an_e_mail_address(self) -> None:
        (clue,) = self.run(self.positive_subject())
        assert clue.value == "bakkerij-jansen.nl"
        assert clue.countries == {"NL": 1.0}
        assert clue.detail == (
            "e-mail info@bakkerij-jansen.nl: .nl is the country-code domain of the Netherlands"
        )

    @pytest.mark.parametrize(
        ("line", "domain", "country"),
        [
            ("www.example.de/shop", "example.de", "DE"),
            ("https://shop.example.co.uk/basket?id=3", "example.co.uk", "GB"),
            ("Besuchen Sie uns: WWW.BAECKEREI-MUELLER.AT", "baeckerei-mueller.at", "AT"),
            ("tienda-lopez.com.co", "tienda-lopez.com.co", "CO"),  # com.co is Colombia's own
            ("zakaz@sklep-jana.com.pl", "sklep-jana.com.pl", "PL"),
            ("Bakkerij-Jansen.nl - vers brood", "bakkerij-jansen.nl", "NL"),
            ("магазин: shop.example.ru.", "example.ru", "RU"),
        ],
    )
    def test_country_code_domains(self, line: str, domain: str, country: str) -> None:
        assert self.found(line) == {domain: {country: 1.0}}

    def test_a_second_level_domain_says_which_country_runs_it(self) -> None:
        (clue,) = self.run(texts("www.example.co.uk"))
        assert clue.detail.endswith(
            ".co.uk is under .uk, the country-code domain of the United Kingdom"
        )

    @pytest.mark.parametrize(
        "line",
        [
            "www.example.com",
            "info@example.org",
            "https://bakery.shop/",
            "example.eu",  # the EU is not a country
            "mystream.tv",  # country codes sold world-wide
            "startup.io",
            "about.me",
            "brand.co",
        ],
    )
    def test_generic_domains_give_no_clue(self, line: str) -> None:
        made = texts(line)
        assert self.run(made) == []
        assert made.skips == []

    @pytest.mark.parametrize(
        "line",
        [
            "e.g. 12.5% off, i.e. half",
            "Tot ziens.Tot morgen",  # a missing space after a full stop
            "It was over.It was late.De ochtend",
            "Open 9.30-17.00, ca. 3.5kg",
            "see README.md and setup.py",
            "z.B. Brot u.a.",
        ],
    )
    def test_ocr_text_that_only_looks_like_a_domain(self, line: str) -> None:
        assert self.run(texts(line)) == []

    def test_one_clue_per_domain_from_its_first_sighting(self) -> None:
        first = RecognisedText("info@bakkerij-jansen.nl", "Latin", 90.0, seconds=2.0)
        later = RecognisedText(
            "www.bakkerij-jansen.nl", "Latin", 90.0, seconds=8.0, box=Box(0.1, 0.1, 0.2, 0.1)
        )
        (clue,) = self.run(subject(texts=(first, later)))
        assert clue.seconds == 2.0 and clue.box is None

    def test_several_domains_in_one_line(self) -> None:
        found = self.found("Mail info@bakker.nl, www.baecker.de or https://boulanger.fr/pain")
        assert found == {
            "bakker.nl": {"NL": 1.0},
            "baecker.de": {"DE": 1.0},
            "boulanger.fr": {"FR": 1.0},
        }

    def test_a_bare_domain_is_read_with_less_confidence(self) -> None:
        (bare,) = self.run(texts("bakkerij-jansen.nl"))
        (mail,) = self.run(texts("info@bakkerij-jansen.nl"))
        assert bare.confidence < mail.confidence


def test_addresses_keep_the_written_form() -> None:
    assert addresses("Kijk op www.bakker.nl/brood.") == [
        ("web address", "www.bakker.nl/brood", "www.bakker.nl")
    ]
    assert addresses("info@bakker.nl") == [("e-mail", "info@bakker.nl", "bakker.nl")]
