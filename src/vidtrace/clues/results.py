"""What one extraction pass over one media item produced: the unit the runner stores."""

from __future__ import annotations

from dataclasses import dataclass, field

from vidtrace.domain.clue import Clue, ClueSkip, RecognisedText
from vidtrace.domain.media import CameraExif, GeoPoint


@dataclass(frozen=True)
class PictureRef:
    """Where a picture of a media item lies in the vault, and which kind of file it is."""

    path: str
    mime: str
    seconds: float | None = None  # set for a video frame


@dataclass(frozen=True)
class MediaForClues:
    """A media item as the extraction workers receive it: picklable facts and vault paths,
    never a database handle."""

    sha256: str
    kind: str  # "image" | "video"
    mime: str
    camera: CameraExif
    location: GeoPoint | None
    original: PictureRef | None  # the vault copy of the original, if kept
    keyframes: tuple[PictureRef, ...] = ()  # reduced keyframes, when the original is not kept
    keyframe_seconds: tuple[float, ...] = ()
    extractors: tuple[str, ...] = ()  # the extractors still to run on it
    texts: tuple[RecognisedText, ...] = ()  # read earlier, for text extractors run again alone


@dataclass
class ExtractionResult:
    sha256: str
    ran: dict[str, int] = field(default_factory=dict)  # extractor name -> version
    clues: list[Clue] = field(default_factory=list)
    texts: list[RecognisedText] = field(default_factory=list)
    skips: list[ClueSkip] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)  # extractor -> why it could not run

    def outcome(self, extractor: str) -> tuple[str, str]:
        """("clues" | "nothing" | "skipped", reason) of one extractor on this item."""
        reasons = [s.reason for s in self.skips if s.extractor == extractor]
        if any(c.extractor == extractor for c in self.clues):
            return "clues", "; ".join(reasons)
        if reasons:
            return "skipped", "; ".join(reasons)
        return "nothing", ""
