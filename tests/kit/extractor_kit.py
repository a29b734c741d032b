"""The base test every clue extractor inherits: the checks all extractors share.

A test module subclasses :class:`ExtractorContract`, sets ``extractor`` and implements
``positive_subject`` (a subject the extractor must find a clue in) and ``expected_country`` (a
country that clue must name). It gets, for free: registration under its name, a known clue kind,
nothing proposed for an empty subject, provenance on every clue, valid country codes and
confidences, and the same clues on a second run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import numpy as np
from PIL import Image

from vidtrace.clues.extractors.base import ClueExtractor, ClueSubject, Picture, extractors
from vidtrace.clues.kinds import CLUE_KINDS, country_code
from vidtrace.domain.clue import Clue, RecognisedText


def subject(
    sha256: str = "ab" * 32,
    kind: str = "image",
    pictures: tuple[Picture, ...] = (),
    texts: tuple[RecognisedText, ...] = (),
    **fields: object,
) -> ClueSubject:
    """A subject with the given camera facts, pictures and already-recognised text."""
    made = ClueSubject(sha256=sha256, kind=kind, pictures=pictures, **fields)  # type: ignore[arg-type]
    made.texts.extend(texts)
    return made


def picture_of(image: Image.Image, seconds: float | None = None) -> Picture:
    return Picture(load=lambda: image.copy(), seconds=seconds)


def noise_picture(seed: int = 0, size: tuple[int, int] = (320, 240)) -> Picture:
    pixels = np.random.default_rng(seed).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    return picture_of(Image.fromarray(pixels, "RGB"))


def text(value: str, script: str = "Latin", confidence: float = 92.0) -> RecognisedText:
    return RecognisedText(text=value, script=script, confidence=confidence)


class ExtractorContract:
    extractor: ClassVar[type[ClueExtractor]]
    expected_country: ClassVar[str]

    def positive_subject(self) -> ClueSubject:
        raise NotImplementedError

    def run(self, made: ClueSubject | Callable[[], ClueSubject]) -> list[Clue]:
        target = made() if callable(made) else made
        instance = self.extractor()
        if instance.able_to_run(target):
            instance.run(target)
        return target.clues

    def test_registered_under_its_name(self) -> None:
        assert extractors.get(self.extractor.name) is self.extractor
        assert self.extractor.version >= 1

    def test_proposes_a_known_kind(self) -> None:
        assert self.extractor.kind in CLUE_KINDS

    def test_an_empty_subject_yields_no_clue(self) -> None:
        assert self.run(subject()) == []

    def test_finds_the_expected_country(self) -> None:
        clues = self.run(self.positive_subject)
        assert clues, "the positive subject yielded no clue"
        assert any(self.expected_country in clue.countries for clue in clues)

    def test_every_clue_is_well_formed(self) -> None:
        for clue in self.run(self.positive_subject):
            assert clue.kind == self.extractor.kind
            assert clue.extractor == self.extractor.name
            assert clue.extractor_version == self.extractor.version
            assert clue.value
            assert 0.0 < clue.confidence <= 1.0
            assert clue.countries
            for code, weight in clue.countries.items():
                assert country_code(code) == code
                assert weight > 0

    def test_the_same_clues_on_a_second_run(self) -> None:
        assert self.run(self.positive_subject) == self.run(self.positive_subject)
