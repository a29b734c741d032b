"""The linker extension point: a linker reads the link corpus and proposes links with reasons.

A linker is one small class in one file under ``series/linkers/`` that registers itself with
``linkers.register``. It sees every groupable media item's signals, column by column
(:class:`LinkCorpus`), and proposes links that involve at least one *new* media item: media
linked in an earlier run were already compared with each other, so a run costs what is new.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Protocol, TypeAlias

import numpy as np
import numpy.typing as npt

from vidtrace.domain.series import Link
from vidtrace.registry import Registry

Words: TypeAlias = npt.NDArray[np.uint64]  # PDQ hashes as 4 x 64-bit words (index.hex_to_words)
Ints: TypeAlias = npt.NDArray[np.int64]
Floats: TypeAlias = npt.NDArray[np.float64]
Bools: TypeAlias = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class CameraFacts:
    make: str | None = None
    model: str | None = None
    serial: str | None = None
    software: str | None = None  # the firmware, as the camera writes it


@dataclass
class Occurrences:
    """Where the media were found, one row per occurrence: ``media`` holds corpus positions."""

    media: Ints
    source: Ints  # the evidence item (source id); folder names only compare within one source
    folder: list[str]  # the folder path inside the source ("DCIM/100CANON", "a.zip!/x")
    name: list[str]  # the file name ("DSC_0042.JPG")

    @classmethod
    def empty(cls) -> Occurrences:
        return cls(np.empty(0, np.int64), np.empty(0, np.int64), [], [])


@dataclass
class VideoFrames:
    """The sampled frames of every video, one row per frame: ``media`` holds corpus positions."""

    media: Ints
    frame: Ints
    seconds: Floats
    words: Words  # (m, 4)
    quality: Ints

    @classmethod
    def empty(cls) -> VideoFrames:
        return cls(
            np.empty(0, np.int64),
            np.empty(0, np.int64),
            np.empty(0, np.float64),
            np.empty((0, 4), np.uint64),
            np.empty(0, np.int64),
        )


class ThumbnailSource(Protocol):
    """Reduced pixels of a media item (its stored thumbnail), for linkers that look at pixels."""

    def grey(self, sha256: str) -> npt.NDArray[np.uint8] | None:
        """The thumbnail as a 2-D uint8 array, upright, or None when there is none. A video's
        thumbnail is its first keyframe."""
        ...

    def available(self, sha256s: Sequence[str]) -> set[str]:
        """Which of ``sha256s`` have a thumbnail: one look-up for a whole corpus."""
        ...


@dataclass
class LinkCorpus:
    """The signals of every groupable media item, columnar: position ``i`` is one media item.

    Arrays are numpy so that linkers over a million media stay vectorised. ``new`` marks the
    media this run must link: every link proposed involves at least one of them. ``work_dir``
    is where linkers may keep caches between runs (each in a sub-folder named after itself),
    None to keep nothing.
    """

    sha256: list[str]
    is_video: Bools
    new: Bools
    pdq: Words  # (n, 4); all zero where there is no PDQ
    pdq_quality: Ints  # -1 where there is no PDQ
    dihedral: Words  # (n, 8, 4): the 8 dihedral variants, identity first; zeros where none
    taken_at: Floats  # capture time as POSIX seconds of the camera's clock; NaN when unknown
    camera: list[CameraFacts | None]
    occurrences: Occurrences = field(default_factory=Occurrences.empty)
    frames: VideoFrames = field(default_factory=VideoFrames.empty)
    thumbnails: ThumbnailSource | None = None
    work_dir: Path | None = None
    workers: int = 1  # processes a linker may use for heavy stages
    pixels: Ints = field(default_factory=lambda: np.empty(0, np.int64))  # width x height, 0 unknown

    def __len__(self) -> int:
        return len(self.sha256)

    def new_positions(self) -> Ints:
        return np.flatnonzero(self.new).astype(np.int64)


class Linker(ABC):
    """Proposes links for the new media of a corpus. Subclasses set ``name`` and ``version``.

    ``propose`` must be deterministic (the same corpus gives the same links, in any order of
    arrival) and must never compare all pairs of a large corpus in Python: candidates come from
    an index, a sort or a hash table.
    """

    name: str  # unique; the link kind stored with every link it proposes
    version: ClassVar[int] = 1
    description: ClassVar[str] = ""

    @abstractmethod
    def propose(self, corpus: LinkCorpus) -> Iterator[Link]: ...


linkers: Registry[Linker] = Registry("linker")
