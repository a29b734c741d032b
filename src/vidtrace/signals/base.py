"""The signal extension point: a signal turns decoded media into one typed value.

A signal is a small class in its own module (``signals/pdq.py``) that registers itself with
``registry.signals.register(...)``. The ingest steps run every registered signal that fits the
media, and store its value in the ``MediaFacts`` field the signal names.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from PIL import Image

from vidtrace.config import Limits
from vidtrace.domain.media import MediaKind
from vidtrace.registry import Registry


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


signals: Registry[type[Signal]] = Registry("signal")  # type: ignore[type-var]
