"""What we know about one binary-unique file once it has been read and decoded."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    ARCHIVE = "archive"
    OTHER = "other"


@dataclass(frozen=True)
class Digests:
    """The three cryptographic digests, all computed in one pass over the bytes."""

    md5: str
    sha1: str
    sha256: str
    size: int


@dataclass(frozen=True)
class PdqHash:
    """A PDQ hash (64 hex chars) with its quality (0-100).

    ``dihedral`` holds the hashes of the 8 dihedral variants (identity first, then the rotations
    and flips in pdqhash's order), so rotated or flipped copies can be matched later.
    """

    hex: str
    quality: int
    dihedral: tuple[str, ...] = ()


@dataclass(frozen=True)
class GeoPoint:
    lat: float
    lon: float
    alt: float | None = None


@dataclass(frozen=True)
class CameraExif:
    """The EXIF fields an analyst uses to link and locate; absent fields are None."""

    make: str | None = None
    model: str | None = None
    serial: str | None = None
    lens: str | None = None
    software: str | None = None
    taken_at: str | None = None  # ISO 8601; carries the offset when OffsetTime* was present
    offset: str | None = None  # "+02:00" as written by the camera
    gps: GeoPoint | None = None
    orientation: int | None = None  # EXIF 1..8

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__dataclass_fields__)


@dataclass(frozen=True)
class VideoInfo:
    duration: float | None = None
    codec: str | None = None
    width: int | None = None
    height: int | None = None
    frame_rate: float | None = None
    created_at: str | None = None  # ISO 8601 from the container's creation_time
    location: GeoPoint | None = None  # from an ISO 6709 tag (com.apple.quicktime.location, ©xyz)
    location_text: str | None = None


@dataclass(frozen=True)
class FrameHash:
    """One sampled video frame, vPDQ-compatible: frame index, quality, hash, seconds."""

    frame: int
    seconds: float
    pdq: str
    quality: int


@dataclass(frozen=True)
class Derivative:
    """A file derived from a media item and kept in the vault (thumbnail, keyframe)."""

    role: str  # "thumbnail" or "keyframe"
    vault_sha256: str
    mime: str
    seconds: float | None = None
    width: int | None = None
    height: int | None = None


@dataclass
class MediaFacts:
    """Everything the signals learnt about one media item; stored once per sha256."""

    kind: MediaKind = MediaKind.OTHER
    mime: str | None = None
    width: int | None = None
    height: int | None = None
    pdq: PdqHash | None = None
    exif: CameraExif | None = None
    video: VideoInfo | None = None
    frames: list[FrameHash] = field(default_factory=list)
    derivatives: list[Derivative] = field(default_factory=list)
    decode_error: str | None = None  # set when the bytes are kept but could not be decoded
