"""The signal extension point: a signal turns decoded media into one typed value.

A signal is a small class in its own module (``signals/pdq.py``) that registers itself with
``registry.signals.register(...)``. The ingest steps run every registered signal that fits the
media, and store its value in the ``MediaFacts`` field the signal names.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from PIL import Image

from vidtrace.config import Limits
from vidtrace.domain.media import FrameHash, MediaKind, VideoInfo
from vidtrace.domain.skip import SkipCode, SkipReason
from vidtrace.registry import Registry


class DecodeError(Exception):
    """The bytes could not be decoded; ``reason`` says why, in the stable skip vocabulary."""

    def __init__(self, code: SkipCode, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else str(code))
        self.reason = SkipReason(code, detail)


@dataclass(frozen=True)
class ReducedImage:
    """An image decoded at reduced scale (EXIF orientation NOT applied).

    ``image`` is RGB, its longest side at most a few hundred pixels larger than needed by any
    signal; ``width``/``height`` are the original dimensions.
    """

    image: Image.Image
    width: int
    height: int
    mime: str
    orientation: int | None = None


@dataclass(frozen=True)
class VideoResult:
    """What one decode pass over a video learnt: container facts, sampled frame hashes, stills.

    ``keyframes`` are (seconds, RGB image at reduced scale) pairs spread over the video, for
    thumbnails; ``complete`` is False when decoding stopped early (damaged stream, frame cap).
    """

    info: VideoInfo
    frames: list[FrameHash] = field(default_factory=list)
    keyframes: list[tuple[float, Image.Image]] = field(default_factory=list)
    complete: bool = True


@dataclass(frozen=True)
class StagedFile:
    """A local copy of the bytes of one file, for decoders that need a path or seekable file."""

    path: Path
    kind: MediaKind
    mime: str
    limits: Limits


class Signal(ABC):
    name: ClassVar[str]  # unique; the storage key
    version: ClassVar[int] = 1
    facts_field: ClassVar[str]  # the MediaFacts attribute this signal fills


class ImageSignal(Signal):
    """Computed from a reduced image (PDQ and other perceptual hashes)."""

    @abstractmethod
    def compute(self, image: ReducedImage) -> Any: ...


class FileSignal(Signal):
    """Computed from the staged bytes of a file of one of ``kinds`` (EXIF, container tags)."""

    kinds: ClassVar[frozenset[MediaKind]]

    @abstractmethod
    def compute(self, staged: StagedFile) -> Any: ...


class VideoSignal(Signal):
    """Read from the one decode pass over a video (``VideoResult``); never decodes again."""

    @abstractmethod
    def compute(self, video: VideoResult) -> Any: ...


signals: Registry[Signal] = Registry("signal")  # type: ignore[type-var]
