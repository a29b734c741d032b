"""Phone numbers in the text read off the pictures (``subject.texts``, filled by the OCR step).

A number written internationally ("+31 20 555 0134", "0031 20 555 0134") names its country
through its calling code. A number written nationally ("020 555 0134") names nothing by itself, so
it is only read with a hint: the countries where the text's language is spoken (the largest
few), and kept when it is a valid number there. Both need libphonenumber's VALID leniency (a real
number range, not just digits), which keeps prices, dates and serial numbers out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers
from phonenumbers import Leniency, PhoneNumber, PhoneNumberFormat, PhoneNumberMatcher

from vidtrace.clues.extractors.base import ClueExtractor, ClueSubject, extractors
from vidtrace.clues.kinds import ClueError, country_code, country_name
from vidtrace.domain.clue import RecognisedText

INTERNATIONAL_CONFIDENCE = 0.9
NATIONAL_CONFIDENCE = 0.6  # the same digits may be a valid number in a country not hinted at
HINTED_COUNTRIES = 6  # English's largest six reach the UK (after US, IN, NG, PK, PH)
# "0031 ..." and "00 44 ..." become "+31 ...", "+44 ...": libphonenumber reads a 00 prefix only
# when told which country it was dialled from, and 00 is the international prefix almost everywhere
_IDD = re.compile(r"(?<![\d+])00 ?(?=[1-9])")
_TYPES = {
    phonenumbers.PhoneNumberType.FIXED_LINE: "fixed line",
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed line or mobile",
    phonenumbers.PhoneNumberType.TOLL_FREE: "toll-free",
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "premium rate",
    phonenumbers.PhoneNumberType.SHARED_COST: "shared cost",
    phonenumbers.PhoneNumberType.VOIP: "VoIP",
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER: "personal number",
    phonenumbers.PhoneNumberType.PAGER: "pager",
    phonenumbers.PhoneNumberType.UAN: "company number",
}


def international_numbers(text: str) -> Iterator[PhoneNumber]:
    """The valid numbers written with a calling code (+ or 00) in ``text``."""
    for match in PhoneNumberMatcher(_IDD.sub("+", text), None, leniency=Leniency.VALID):
        if match.raw_string.lstrip("(").startswith("+"):
            yield match.number


def national_numbers(text: str, region: str) -> Iterator[tuple[str, PhoneNumber]]:
    """(as written, number) for the numbers in ``text`` written without a calling code that are
    valid in ``region``."""
    for match in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
        raw = match.raw_string.lstrip("(")
        if raw.startswith(("+", "00")):
            continue
        if phonenumbers.is_valid_number_for_region(match.number, region):
            yield match.raw_string, match.number


def hinted_regions(language: str | None) -> dict[str, float]:
    """The largest few countries where ``language`` is spoken -> their number of speakers."""
    if not language:
        return {}
    from vidtrace.clues.reference import language_countries  # reference tables load on use

    speakers = language_countries(language)
    largest = sorted(speakers, key=lambda code: -speakers[code])[:HINTED_COUNTRIES]
    return {code: speakers[code] for code in largest}


def described(number: PhoneNumber) -> str:
    """The number in words, like "+31 20 555 0134: Netherlands, fixed line"."""
    written = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    region = phonenumbers.region_code_for_number(number)
    kind = _TYPES.get(phonenumbers.number_type(number))
    place = country_name(region) if region else None
    return f"{written}: " + ", ".join(part for part in (place, kind) if part)


class PhoneNumberExtractor(ClueExtractor):
    name = "phone"
    version = 1
    kind = "phone"
    needs_text = True

    def able_to_run(self, subject: ClueSubject) -> bool:
        return any(any(ch.isdigit() for ch in text.text) for text in subject.texts)

    def run(self, subject: ClueSubject) -> None:
        seen: set[str] = set()
        for text in subject.texts:  # international first: they win over a national reading
            for number in international_numbers(text.text):
                self._propose(subject, text, [(number, 1.0)], seen, INTERNATIONAL_CONFIDENCE, "")
        for text in subject.texts:
            readings: dict[str, list[tuple[PhoneNumber, float]]] = {}
            for region, speakers in hinted_regions(text.language).items():
                for raw, number in national_numbers(text.text, region):
                    readings.setdefault(raw, []).append((number, speakers))
            for raw, numbers in readings.items():
                how = f"{raw!r} read as a national number (text in {text.language}): "
                self._propose(subject, text, numbers, seen, NATIONAL_CONFIDENCE, how)

    def _propose(
        self,
        subject: ClueSubject,
        text: RecognisedText,
        numbers: list[tuple[PhoneNumber, float]],
        seen: set[str],
        confidence: float,
        how: str,
    ) -> None:
        """One clue for one written number. A national one valid in several hinted countries
        names them all, weighted by speakers of the text's language; its value is the reading in
        the country with most."""
        values = [phonenumbers.format_number(n, PhoneNumberFormat.E164) for n, _ in numbers]
        if seen.intersection(values):
            return
        seen.update(values)
        countries: dict[str, float] = {}
        for value, (number, weight) in zip(values, numbers, strict=True):
            try:
                countries[country_code(phonenumbers.region_code_for_number(number) or "")] = weight
            except ClueError:  # +800 freephone, +882 satellite...: no country behind them
                subject.skip(self.name, f"{value}: an international service number, no country")
        if countries:
            detail = how + "; or ".join(described(number) for number, _ in numbers)
            self.clue(subject, values[0], countries, confidence, detail, text.box, text.seconds)


extractors.register(PhoneNumberExtractor)
