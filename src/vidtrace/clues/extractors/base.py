"""The clue-extractor extension point: each extractor reads one media item and proposes clues.

An extractor is one small class in one file under ``clues/extractors/`` that registers itself
with ``extractors.register``. Extractors run over one :class:`ClueSubject` (paperless-ngx's
consumer plugins), in :func:`run_order`: the text extractor fills ``subject.texts``, and the
extractors that set ``needs_text`` (phone numbers, domains) run after it and read them. An
extractor that cannot read an item calls :meth:`ClueSubject.skip` with the reason; it never
raises through the runner for bad input.

An extractor that cannot work at all on this machine raises :class:`ExtractorUnavailable`.

Bump ``version`` when an extractor's output changes: ``vidtrace clues extract`` then re-runs it
over every media item, replacing that extractor's earlier proposals.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from PIL import Image

from vidtrace.domain.clue import Box, Clue, ClueSkip, RecognisedText
from vidtrace.domain.media import CameraExif, GeoPoint
from vidtrace.registry import Registry


class ExtractorUnavailable(RuntimeError):
    """A system component the extractor needs is missing (Tesseract not installed). The runner
    does not record the extractor as done, so a later run reads the media once it is there."""


@dataclass(frozen=True)
class Picture:
    """One picture of a media item: an image's pixels, or a video keyframe with its time.

    ``load`` decodes on demand (upright, RGB), so extractors that only read metadata cost no
    decoding."""

    load: Callable[[], Image.Image]
    seconds: float | None = None


@dataclass
class ClueSubject:
    """What the extractors see of one media item, and what they produce."""

    sha256: str
    kind: str  # "image" | "video"
    camera: CameraExif = field(default_factory=CameraExif)
    location: GeoPoint | None = None  # a video's ISO 6709 location (images carry it in camera.gps)
    pictures: tuple[Picture, ...] = ()
    texts: list[RecognisedText] = field(default_factory=list)
    clues: list[Clue] = field(default_factory=list)
    skips: list[ClueSkip] = field(default_factory=list)

    def skip(self, extractor: str, reason: str) -> None:
        self.skips.append(ClueSkip(self.sha256, extractor, reason))


class ClueExtractor(ABC):
    name: str  # the registry key, unique
    version: ClassVar[int] = 1
    kind: ClassVar[str]  # the clue kind it proposes (clues.kinds)
    # Readers of recognised text run after the extractor that reads it off the pictures.
    needs_text: ClassVar[bool] = False

    def able_to_run(self, subject: ClueSubject) -> bool:
        """Cheap check on the subject; False means "nothing for me here", not a skip."""
        return True

    @abstractmethod
    def run(self, subject: ClueSubject) -> None:
        """Append clues (``subject.clues``) or a skip reason (``subject.skip``)."""

    def clue(
        self,
        subject: ClueSubject,
        value: str,
        countries: Mapping[str, float],
        confidence: float,
        detail: str = "",
        box: Box | None = None,
        seconds: float | None = None,
    ) -> Clue:
        """A proposal stamped with this extractor's provenance, added to the subject."""
        made = Clue(
            media_sha256=subject.sha256,
            kind=self.kind,
            value=value,
            countries=dict(countries),
            confidence=confidence,
            extractor=self.name,
            extractor_version=self.version,
            box=box,
            seconds=seconds,
            detail=detail,
        )
        subject.clues.append(made)
        return made


extractors: Registry[ClueExtractor] = Registry("clue extractor")


def run_order() -> list[type[ClueExtractor]]:
    """Every registered extractor, the readers of recognised text last."""
    return sorted(extractors, key=lambda extractor: extractor.needs_text)
