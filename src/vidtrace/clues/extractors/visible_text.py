"""The language of the text visible in a picture: signs, packaging, papers, screens.

Each picture (an image, or a video's keyframes) goes through the fast text check
(``clues.reading.text_likely``); pictures that may hold text are read by Tesseract
(``clues.reading.ocr``), and readings that pass the quality rule (``clues.reading.quality``)
are cut into runs of sentences in one language (``clues.reading.language_id``). Every run is
kept as recognised text (``subject.texts``: the phone-number and web-address extractors read
it, analysts search it), and every language found proposes one clue naming the countries where
it is spoken, weighted by speakers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from vidtrace.clues.extractors.base import (
    ClueExtractor,
    ClueSubject,
    ExtractorUnavailable,
    extractors,
)
from vidtrace.clues.kinds import ClueError, country_code
from vidtrace.clues.reading import quality
from vidtrace.clues.reading.language_id import identify_segments, language_name
from vidtrace.clues.reading.ocr import OcrLine, OcrUnavailable, read_text
from vidtrace.clues.reading.text_likely import looks_like_text
from vidtrace.clues.reference import language_countries
from vidtrace.domain.clue import Box, RecognisedText

# A language read off a few letters is less sure than the script model and langid say: the
# confidence rises from half at no letters to full at FULL_LETTERS.
FULL_LETTERS = 40
# Classical and constructed languages: written anywhere (mottos, inscriptions), native nowhere.
NO_COUNTRY_LANGUAGES = frozenset({"la", "eo", "vo"})
DETAIL_CHARS = 80


@dataclass(frozen=True)
class _Sighting:
    text: RecognisedText
    confidence: float


@extractors.register
class VisibleTextExtractor(ClueExtractor):
    """Reads visible text and proposes its language. ``prefilter=False`` reads every picture,
    not only those the fast text check lets through (for benchmarks and tests)."""

    name = "text"
    version = 1
    kind = "language"

    def __init__(self, prefilter: bool = True) -> None:
        self.prefilter = prefilter

    def able_to_run(self, subject: ClueSubject) -> bool:
        return bool(subject.pictures)

    def run(self, subject: ClueSubject) -> None:
        sightings: dict[str, list[_Sighting]] = {}
        unreadable: list[quality.Verdict] = []
        read_any = False
        for picture in subject.pictures:
            at = "" if picture.seconds is None else f" at {picture.seconds:.1f} s"
            try:
                image = picture.load()
            except Exception as error:  # a broken keyframe must not stop the other pictures
                subject.skip(self.name, f"picture{at} could not be decoded: {error}")
                continue
            if self.prefilter and not looks_like_text(image):
                continue
            try:
                reading = read_text(image)
            except OcrUnavailable as error:
                raise ExtractorUnavailable(str(error)) from None
            verdict = quality.judge(reading)
            if not verdict.readable or reading.script is None:
                unreadable.append(verdict)
                continue
            read_any = True
            for found in _recognised(verdict.lines, reading.script, picture.seconds):
                subject.texts.append(found.text)
                if found.text.language:
                    sightings.setdefault(found.text.language, []).append(found)
            subject.texts += _doubtful(reading.lines, verdict, reading.script, picture.seconds)
        if unreadable and not read_any:
            # One reason for the item, from the picture that came closest to being read.
            closest = max(unreadable, key=lambda verdict: verdict.confidence)
            subject.skip(self.name, closest.reason)
        for language, seen in sightings.items():
            if language not in NO_COUNTRY_LANGUAGES:
                self._propose(subject, language, seen)

    def _propose(self, subject: ClueSubject, language: str, seen: list[_Sighting]) -> None:
        countries = {}
        for code, speakers in language_countries(language).items():
            try:
                countries[country_code(code)] = speakers
            except ClueError:
                continue  # a CLDR territory that is not an ISO 3166-1 country
        if not countries:
            return
        best = max(seen, key=lambda sighting: sighting.confidence)
        quoted = _shortened(best.text.text)
        more = f" (and {len(seen) - 1} more)" if len(seen) > 1 else ""
        self.clue(
            subject,
            value=language,
            countries=countries,
            confidence=best.confidence,
            detail=f'{language_name(language)} text: "{quoted}"{more}',
            box=best.text.box,
            seconds=best.text.seconds,
        )


def _recognised(
    lines: tuple[OcrLine, ...], script: str, seconds: float | None
) -> Iterator[_Sighting]:
    """The lines cut into runs of one language, each with the box and mean word confidence of
    the lines it spans."""
    text, spans = _joined(lines)
    for segment in identify_segments(text, script):
        covered = [
            line
            for line, (start, end) in zip(lines, spans, strict=True)
            if start < segment.end and segment.start < end
        ]
        if not covered:
            continue
        words = sum(line.words for line in covered)
        confidence = sum(line.confidence * line.words for line in covered) / max(words, 1)
        recognised = RecognisedText(
            text=segment.text,
            script=script,
            confidence=round(confidence, 1),
            language=segment.language,
            language_probability=round(segment.probability, 4),
            seconds=seconds,
            box=_union([line.box for line in covered]),
        )
        letters = sum(1 for c in segment.text if c.isalpha())
        length = min(1.0, 0.5 + 0.5 * letters / FULL_LETTERS)
        sure = confidence / 100 * segment.probability * length
        yield _Sighting(recognised, round(min(max(sure, 0.01), 1.0), 4))


def _doubtful(
    lines: tuple[OcrLine, ...], verdict: quality.Verdict, script: str, seconds: float | None
) -> list[RecognisedText]:
    """The lines of a readable picture that the quality rule left out, kept without a language
    for the text readers, which check what they find themselves: Tesseract gives some well-read
    lines no confidence at all ("www. bakkerij-jansen.nl" at 0). Strokes and stray letters
    (no word of three letters or digits) are left out."""
    return [
        RecognisedText(line.text, script, round(line.confidence, 1), seconds=seconds, box=line.box)
        for line in lines
        if line not in verdict.lines
        and any(sum(map(str.isalnum, word)) >= 3 for word in line.text.split())
    ]


def _joined(lines: tuple[OcrLine, ...]) -> tuple[str, list[tuple[int, int]]]:
    """The lines as one text (paragraphs apart by a blank row) and each line's span in it."""
    text = ""
    spans: list[tuple[int, int]] = []
    for index, line in enumerate(lines):
        if index:
            text += "\n\n" if line.paragraph != lines[index - 1].paragraph else "\n"
        spans.append((len(text), len(text) + len(line.text)))
        text += line.text
    return text, spans


def _union(boxes: list[Box]) -> Box:
    x0 = min(box.x for box in boxes)
    y0 = min(box.y for box in boxes)
    x1 = max(box.x + box.width for box in boxes)
    y1 = max(box.y + box.height for box in boxes)
    return Box(x0, y0, x1 - x0, y1 - y0)


def _shortened(text: str) -> str:
    return text if len(text) <= DETAIL_CHARS else text[: DETAIL_CHARS - 1].rstrip() + "…"
