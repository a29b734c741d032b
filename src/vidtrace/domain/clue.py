"""Clues to the country of production, and the analyst's decision on it. No I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class ClueStatus(StrEnum):
    """An extractor proposes; an analyst confirms or rejects. Rejected clues never rank."""

    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Box:
    """A region of a media item, as fractions (0..1) of its upright width and height, so the
    same box holds on the original, a thumbnail or a keyframe."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Clue:
    """One observation that narrows down where a media item was produced.

    ``countries`` maps ISO 3166-1 alpha-2 codes to relative weights (any positive scale; the
    ranking normalises them): a GPS fix names one country, a language the countries where it is
    spoken, weighted by speakers. ``confidence`` (0..1) is how sure the source is that it read the
    clue right ("this text is Serbian"), not how specific the clue is; specificity is the kind's
    (``clues.kinds``). Provenance is the extractor and its version, or the analyst's name.
    ``detail`` says in words what was seen ("52.37 N 4.90 E: Amsterdam, North Holland").
    """

    media_sha256: str
    kind: str
    value: str
    countries: Mapping[str, float]
    confidence: float
    extractor: str | None = None
    extractor_version: int | None = None
    analyst: str | None = None
    status: ClueStatus = ClueStatus.PROPOSED
    box: Box | None = None
    seconds: float | None = None  # the time in a video
    detail: str = ""
    id: int | None = None  # set once stored

    @property
    def source(self) -> str:
        """Who produced it, in words: "gps 1" or "analyst alice"."""
        if self.analyst:
            return f"analyst {self.analyst}"
        return f"{self.extractor} {self.extractor_version}"


@dataclass(frozen=True)
class ClueSkip:
    """An extractor that could not read a media item says why, instead of failing the run."""

    media_sha256: str
    extractor: str
    reason: str


@dataclass(frozen=True)
class RecognisedText:
    """Text read off one picture of a media item (the image, or a video keyframe), kept so an
    analyst can search it. ``language`` is a CLDR/ISO 639 code or None when unsure."""

    text: str
    script: str  # Tesseract's script name: "Latin", "Cyrillic", "Devanagari", ...
    confidence: float  # mean word confidence, 0..100
    language: str | None = None
    language_probability: float = 0.0
    seconds: float | None = None
    box: Box | None = None


@dataclass(frozen=True)
class CountryDecision:
    """An analyst's decision on a series' likely country of production, and the clues it rests
    on. Storing one also opens a notification to that country."""

    series_id: int
    country: str
    analyst: str
    clue_ids: tuple[int, ...] = ()
    note: str = ""
    decided_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class ClueEffect:
    """How one piece of evidence moves one country's score in the ranking (natural-log units).
    Repeats of one clue (the same kind and value on many media) are one piece of evidence:
    ``clue_id`` is the first of them, ``clue_ids`` all of them."""

    clue_id: int | None
    kind: str
    value: str
    effect: float
    clue_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class RankedCountry:
    country: str
    probability: float
    supporting: tuple[ClueEffect, ...] = ()
    against: tuple[ClueEffect, ...] = ()


@dataclass(frozen=True)
class ConflictSide:
    """One side of a conflict: the countries a group of reliable clues agree on."""

    countries: tuple[str, ...]
    clues: tuple[ClueEffect, ...]


@dataclass(frozen=True)
class CountryRanking:
    ranking: tuple[RankedCountry, ...]
    conflict: bool = False
    conflict_sides: tuple[ConflictSide, ...] = ()
    clue_count: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
