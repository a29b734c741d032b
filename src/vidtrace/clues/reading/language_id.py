"""The language of recognised text, told apart only among the languages of its script.

langid (97 languages, character n-grams) ranks the candidates; the script the text was read in
(Tesseract's model) limits them first, so Serbian read by the Cyrillic model can only be a
Cyrillic-script language, and a script written by one language in langid's set (Greek, Thai,
Tamil, Telugu, Hebrew, Korean) settles it alone. Letters only some languages of a script use
are decisive where present: ћ or ђ is Serbian, ґ, є or ї Ukrainian, پ or گ not Arabic.

Codes are CLDR's (the ones ``clues.reference`` knows speakers for): "sr", "fa", "nb", "fil".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
from babel import Locale

# langid's languages written in Latin script ("la" Latin, "eo" Esperanto and "vo" Volapük
# are spoken nowhere in particular: they name no country, but absorb misread text).
_LATIN = (
    "af an az br bs ca cs cy da de en eo es et eu fi fo fr ga gl hr ht hu id is it jv ku la lb "
    "lt lv mg ms mt nb nl nn no oc pl pt qu ro rw se sk sl sq sv sw tl tr vi vo wa xh zu"
)
LATIN_LANGUAGES = tuple(_LATIN.split())
SCRIPT_LANGUAGES: dict[str, tuple[str, ...]] = {
    "Latin": LATIN_LANGUAGES,
    "eng": LATIN_LANGUAGES,
    "Cyrillic": ("ru", "uk", "sr", "bg", "mk", "be", "kk", "ky", "mn"),
    "Arabic": ("ar", "fa", "ur", "ps", "ug"),
    "Devanagari": ("hi", "mr", "ne"),
    "Bengali": ("bn", "as"),
    "Tamil": ("ta",),
    "Telugu": ("te",),
    "Greek": ("el",),
    "Thai": ("th",),
    "Hebrew": ("he",),
    "HanS": ("zh",),
    "HanT": ("zh",),
    "Japanese": ("ja", "zh"),
    "Hangul": ("ko",),
}
# Letters that only some languages of a script write: where one occurs, the text is in one
# of them. Unlisted letters say nothing.
DECISIVE_LETTERS: dict[str, frozenset[str]] = {
    **dict.fromkeys("ћђ", frozenset({"sr"})),
    **dict.fromkeys("јљњџ", frozenset({"sr", "mk"})),
    **dict.fromkeys("ѓќѕ", frozenset({"mk"})),
    **dict.fromkeys("ґєї", frozenset({"uk"})),
    "і": frozenset({"uk", "be", "kk"}),
    "ў": frozenset({"be"}),
    **dict.fromkeys("ыэ", frozenset({"ru", "be", "kk", "ky", "mn"})),
    "ъ": frozenset({"ru", "bg"}),
    **dict.fromkeys("әғқұһ", frozenset({"kk"})),
    "ң": frozenset({"kk", "ky"}),
    **dict.fromkeys("өү", frozenset({"kk", "ky", "mn"})),
    **dict.fromkeys("پچژگ", frozenset({"fa", "ur", "ps", "ug"})),
    **dict.fromkeys("ٹڈڑںے", frozenset({"ur"})),
    **dict.fromkeys("ټډړږښګځڅۍ", frozenset({"ps"})),
    **dict.fromkeys("ۇۈۋ", frozenset({"ug"})),
    **{chr(code): frozenset({"ja"}) for code in range(0x3041, 0x3100)},  # kana
}
# langid's codes that CLDR spells otherwise.
CLDR_CODES = {"no": "nb", "tl": "fil"}
MIN_LETTERS = 8  # shorter texts name no language when the script has several
MIN_LETTERS_ONE_LANGUAGE = 2
MIN_LETTERS_ALONE = 20  # a shorter sentence is identified with its neighbours
MIN_PROBABILITY = 0.6
MIN_FEATURES = 3  # langid n-grams found; letter soup ("AIBUNNEUNUA") holds one or none
# A sentence ends at . ! ? (and their CJK, Devanagari and Arabic forms) before white space,
# and a paragraph at a blank line.
_SENTENCE_END = re.compile(r"(?<=[.!?…。！？।॥؟])\s+|\n\s*\n")
_ADDRESSES = re.compile(r"\S*(?:@|://|www\.)\S*")  # e-mail and web addresses are not prose


@dataclass(frozen=True)
class LanguageGuess:
    language: str  # CLDR code
    probability: float  # among the languages of the script, 0..1


@dataclass(frozen=True)
class LanguageSegment:
    """A run of sentences in one language. ``text`` has its white space collapsed; ``start``
    and ``end`` are offsets into the text given. ``language`` is None where unsure."""

    text: str
    language: str | None
    probability: float
    start: int
    end: int


def identify(text: str, script: str) -> LanguageGuess | None:
    """The language of ``text`` read in Tesseract script ``script``; None when the text is too
    short, the script unknown, or no language is likely enough."""
    candidates = SCRIPT_LANGUAGES.get(script)
    if not candidates:
        return None
    words = _words(text)
    letters = [c for c in words if c.isalpha()]
    candidates = _narrowed(candidates, letters)
    if len(candidates) == 1:
        if len(letters) < MIN_LETTERS_ONE_LANGUAGE:
            return None
        return LanguageGuess(CLDR_CODES.get(candidates[0], candidates[0]), 1.0)
    if len(letters) < MIN_LETTERS:
        return None
    language, probability, evidence = _ranked(words, candidates)
    if probability < MIN_PROBABILITY or evidence < MIN_FEATURES:
        return None
    return LanguageGuess(CLDR_CODES.get(language, language), probability)


def identify_segments(text: str, script: str) -> list[LanguageSegment]:
    """``text`` cut into runs of sentences in one language, in order (a page holding English,
    then German, then French sentences gives three segments).

    Sentences (and paragraphs) long enough to tell are identified on their own; a shorter one
    joins the run before it (or after it, at the start); neighbours in one language join; each
    run is then identified as a whole. When no sentence is long enough, the whole text is one
    segment, identified as a whole (its ``language`` None when still unsure)."""
    spans = _sentences(text)
    guesses = [
        identify(text[start:end], script)
        if _letters(text[start:end]) >= MIN_LETTERS_ALONE
        else None
        for start, end in spans
    ]
    known = [guess for guess in guesses if guess]
    if not known:
        if not spans:
            return []
        start, end = spans[0][0], spans[-1][1]
        whole = identify(text[start:end], script)
        if whole is None:
            return [_segment(text, start, end, None, 0.0)]
        return [_segment(text, start, end, whole.language, whole.probability)]
    runs: list[list[Any]] = []  # [start, end, language, best sentence probability]
    language, probability = known[0].language, 0.0
    for (start, end), guess in zip(spans, guesses, strict=True):
        if guess:
            language, probability = guess.language, guess.probability
        if runs and runs[-1][2] == language:
            runs[-1][1] = end
            runs[-1][3] = max(runs[-1][3], probability)
        else:
            runs.append([start, end, language, probability])
    segments = []
    for start, end, language, probability in runs:
        whole = identify(text[start:end], script)
        if whole and whole.language == language:
            probability = whole.probability
        segments.append(_segment(text, start, end, language, probability))
    return segments


def _segment(
    text: str, start: int, end: int, language: str | None, probability: float
) -> LanguageSegment:
    return LanguageSegment(" ".join(text[start:end].split()), language, probability, start, end)


def language_name(code: str) -> str:
    """The language's English name ("Serbian"), or the code when CLDR has none."""
    name = Locale("en").languages.get(code)
    return str(name) if name else code


def _words(text: str) -> str:
    """Letters and their marks (Devanagari vowel signs are marks), one space between words:
    digits, punctuation, symbols and addresses say nothing about the language."""
    kept = [c if unicodedata.category(c)[0] in "LM" else " " for c in _ADDRESSES.sub(" ", text)]
    return " ".join("".join(kept).split())


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


def _sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for gap in _SENTENCE_END.finditer(text):
        if text[start : gap.start()].strip():
            spans.append((start, gap.start()))
        start = gap.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def _narrowed(candidates: tuple[str, ...], letters: list[str]) -> tuple[str, ...]:
    """The candidates that write every decisive letter present, most frequent letters first;
    a letter that would leave none (an OCR slip) is ignored."""
    kept = candidates
    for letter, _ in Counter(c.lower() for c in letters).most_common():
        allowed = DECISIVE_LETTERS.get(letter)
        if allowed is None:
            continue
        narrower = tuple(language for language in kept if language in allowed)
        if narrower:
            kept = narrower
    return kept


def _ranked(text: str, candidates: tuple[str, ...]) -> tuple[str, float, int]:
    """The likeliest candidate, its probability among the candidates, and how many of
    langid's n-gram features the text holds (its evidence)."""
    identifier, index = _identifier()
    features = identifier.instance2fv(text)
    scores = identifier.nb_classprobs(features)[[index[c] for c in candidates]]
    # langid's scores are log-likelihoods: their softmax over the candidates is the posterior
    # with equal priors, computed stably.
    weights = np.exp(scores - scores.max())
    probabilities = weights / weights.sum()
    best = int(np.argmax(probabilities))
    return candidates[best], float(probabilities[best]), int(features.sum())


@functools.cache
def _identifier() -> tuple[Any, dict[str, int]]:
    """langid's model, loaded once (about a second) on first use."""
    from langid.langid import LanguageIdentifier, model

    identifier = LanguageIdentifier.from_modelstring(model, norm_probs=True)
    return identifier, {code: i for i, code in enumerate(identifier.nb_classes)}
