"""Known material: banks (imported hash sets), their policy, and the matches found in them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

DEFAULT_PDQ_THRESHOLD = 31  # Meta's recommended PDQ match distance
MAX_PDQ_THRESHOLD = 32  # the PDQ index is exact up to this radius
MIN_PDQ_QUALITY = 50  # below this a PDQ hash describes a flat, featureless image: not trusted


class BankType(StrEnum):
    KNOWN = "known"  # verdicts and series: matches pre-categorise media
    KNOWN_GOOD = "known-good"  # NSRL: operating-system and application files, hidden from review
    IGNORE = "ignore"  # a negative bank: media matching it get no perceptual matches elsewhere


class MatchKind(StrEnum):
    MD5 = "md5"
    SHA1 = "sha1"
    SHA256 = "sha256"
    PDQ = "pdq"  # the image's PDQ, or one of its 8 rotations and flips
    VIDEO_PDQ = "video-pdq"  # a sampled video frame's PDQ

    @property
    def exact(self) -> bool:
        return self in {MatchKind.MD5, MatchKind.SHA1, MatchKind.SHA256}


@dataclass(frozen=True)
class Bank:
    id: int
    name: str
    bank_type: BankType
    pdq_threshold: int


@dataclass(frozen=True)
class Candidate:
    """A possible match before the banks' policies are applied."""

    media_sha256: str
    entry_id: int
    kind: MatchKind
    distance: int = 0
    dihedral: str | None = None
    frame: int | None = None


@dataclass(frozen=True)
class EntryVerdict:
    """What a bank entry says, copied onto each match so the match explains itself."""

    entry_id: int
    bank_id: int
    category: str | None
    category_label: str | None
    series: str | None
    victim_identified: bool | None
