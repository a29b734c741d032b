"""When an OCR reading counts as text.

Tesseract reads something into almost any picture: noise, fur, gravel and brick become strings
of letters, usually at low confidence, and with a script model of another writing system than
the picture's, confident-looking nonsense. A reading counts only when its lines are read with
confidence, hold enough letters (not just digits and punctuation), and those letters are mostly
of the script the model reads. Only such readings may name a language, so OCR noise can never
propose a country.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vidtrace.clues.reading.ocr import OcrLine, OcrReading

MIN_LINE_CONFIDENCE = 60.0  # lines below it are dropped as misreadings (photo edges, texture)
MIN_CONFIDENCE = 75.0  # mean word confidence of the kept lines
GOOD_CONFIDENCE = 85.0  # a reading this good stops the search for a better script model
MIN_LETTERS = 4  # in words of at least MIN_WORD_LETTERS: stray letters are what noise reads as
MIN_WORD_LETTERS = 3
MIN_LETTERS_IDEOGRAPHIC = 2  # one Chinese character, or Korean syllable, is a word; so
# is one misread speck, so these readings must be read with good confidence too
MIN_LETTER_SHARE = 0.5  # of the non-space characters (not just digits and punctuation)
MIN_SCRIPT_SHARE = 0.8  # of the letters, in the model's script

# The Unicode script of a letter is the first word of its name ("CYRILLIC SMALL LETTER A").
SCRIPT_LETTERS: dict[str, frozenset[str]] = {
    "Latin": frozenset({"LATIN"}),
    "eng": frozenset({"LATIN"}),
    "HanS": frozenset({"CJK"}),
    "HanT": frozenset({"CJK"}),
    "Japanese": frozenset({"CJK", "HIRAGANA", "KATAKANA"}),
    "Hangul": frozenset({"HANGUL"}),
}
IDEOGRAPHIC = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL"})


@dataclass(frozen=True)
class Verdict:
    """Whether a reading is text. ``lines`` are the lines that count (misread ones dropped);
    ``reason`` says why not, in words for the analyst ("no readable text (mean confidence
    31)")."""

    readable: bool
    lines: tuple[OcrLine, ...]
    confidence: float  # mean word confidence of the kept lines (of all, when none is kept)
    letters: int
    script_share: float
    reason: str = ""

    @property
    def good(self) -> bool:
        return self.readable and self.confidence >= GOOD_CONFIDENCE

    @property
    def rank(self) -> tuple[bool, float]:
        """Orders readings of one picture by different script models: readable first."""
        return (self.readable, self.confidence * self.script_share)


def letter_script(char: str) -> str | None:
    """The Unicode script of a letter ("LATIN", "CYRILLIC", "CJK", ...); None for others."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] or None


def judge(reading: OcrReading) -> Verdict:
    """Whether ``reading`` is text, and which of its lines count."""
    script = reading.script or ""
    kept = tuple(line for line in reading.lines if _line_counts(line))
    counted = kept or reading.lines
    words = sum(line.words for line in counted)
    confidence = sum(line.confidence * line.words for line in counted) / words if words else 0.0
    text = " ".join(line.text for line in kept)
    letters = [c for c in text if c.isalpha()]
    expected = SCRIPT_LETTERS.get(script, frozenset({script.upper()}))
    in_script = sum(1 for c in letters if letter_script(c) in expected)
    share = in_script / len(letters) if letters else 0.0
    ideographic = bool(expected & IDEOGRAPHIC) and share > 0
    visible = [c for c in text if not c.isspace()]
    in_words = _letters_in_words(kept)
    reason = ""
    least = GOOD_CONFIDENCE if ideographic else MIN_CONFIDENCE
    if not kept or confidence < least:
        reason = f"no readable text (mean confidence {confidence:.0f})"
    elif ideographic and len(letters) < MIN_LETTERS_IDEOGRAPHIC:
        reason = f"too few letters to read ({len(letters)})"
    elif not ideographic and in_words < MIN_LETTERS:
        reason = f"too few letters to read ({in_words} in words)"
    elif len(letters) < MIN_LETTER_SHARE * len(visible):
        reason = "no words, only digits and signs"
    elif share < MIN_SCRIPT_SHARE:
        reason = f"letters of mixed scripts ({share:.0%} {script})"
    return Verdict(not reason, kept, confidence, len(letters), share, reason)


def _letters_in_words(lines: tuple[OcrLine, ...]) -> int:
    words = (word for line in lines for word in line.text.split())
    counts = (sum(1 for c in word if c.isalpha()) for word in words)
    return sum(count for count in counts if count >= MIN_WORD_LETTERS)


def _line_counts(line: OcrLine) -> bool:
    return line.confidence >= MIN_LINE_CONFIDENCE and any(c.isalpha() for c in line.text)
