"""The hash-set format extension point: streaming readers (and writers) of shared hash sets.

A format is a small class in its own module (``hashsets/vics.py``) registered with
``hashset_formats.register``. Readers stream: they never hold the whole file, so a multi-GB
VICS report imports in bounded memory. A reader yields one ``BankEntry`` per good record and
one ``RejectedRecord`` (with its 1-based record number and the reason) per bad one, so nothing
is dropped silently. A fault that makes the rest of the file unreadable (truncated JSON, a
missing CSV column, an NSRL file with the wrong header) raises ``HashSetFormatError``, which
names the record where reading stopped; the importer then stores nothing.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from vidtrace.registry import Registry

HEX_LENGTHS = {"md5": 32, "sha1": 40, "sha256": 64, "pdq": 64}
_HEX = re.compile(r"[0-9a-fA-F]+")


class HashSetFormatError(ValueError):
    """The file cannot be read past ``record`` (0: before the first record, e.g. its header)."""

    def __init__(self, record: int, message: str) -> None:
        super().__init__(f"record {record}: {message}" if record else message)
        self.record = record
        self.message = message


@dataclass(frozen=True)
class BankHeader:
    """What a file says about itself, read before its first record."""

    format: str  # "vics", "nsrl", "icse"
    version: str | None = None  # "2.0", "1.3", "RDS v3", ...
    profile: str | None = None  # VICS jurisdiction profile: "US", "UK", "Default", "CUSTOM"
    source: str | None = None  # free text: the exporting application, the context URL
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BankEntry:
    """One record of a hash set, normalised.

    Hashes are lower-case hex. ``category`` is the record's category code as the file gives it
    (VICS ``Category`` "1", ICSE "baseline"), or None when the record carries no verdict (null,
    empty, or the profile's "uncategorised" code). ``category_label`` is the profile's name for
    it. PhotoDNA is opaque text, carried and never computed. ``extra`` keeps everything else
    the record said (Exifs, case fields, ICSE image id, ...) so an export can carry it on.
    """

    record: int
    md5: str | None = None
    sha1: str | None = None
    sha256: str | None = None
    pdq: str | None = None
    photodna: str | None = None
    category: str | None = None
    category_label: str | None = None
    victim_identified: bool | None = None
    offender_identified: bool | None = None
    is_distributed: bool | None = None
    series: str | None = None
    tags: str | None = None
    comments: str | None = None
    media_size: int | None = None
    mime_type: str | None = None
    file_paths: tuple[str, ...] = ()  # "folder/name.jpg", as the file names them
    extra: dict[str, Any] = field(default_factory=dict)

    def hashes(self) -> dict[str, str]:
        """The hashes this entry carries, by kind ("md5", "sha1", "sha256", "pdq")."""
        found = {"md5": self.md5, "sha1": self.sha1, "sha256": self.sha256, "pdq": self.pdq}
        return {kind: value for kind, value in found.items() if value}


@dataclass(frozen=True)
class RejectedRecord:
    record: int
    reason: str


def normalise_hex(value: Any, kind: str) -> str | None:
    """``value`` as lower-case hex of the right length for ``kind``; None when empty.

    Raises ValueError (whose text is the rejection reason) for anything else.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{kind.upper()} is not a string: {value!r}")
    text = value.strip()
    if not text:
        return None
    if len(text) != HEX_LENGTHS[kind] or not _HEX.fullmatch(text):
        raise ValueError(f"invalid {kind.upper()} {text[:80]!r}")
    return text.lower()


class BankReader(ABC):
    """An open hash-set file: its header, then its records, streamed."""

    header: BankHeader

    @abstractmethod
    def __iter__(self) -> Iterator[BankEntry | RejectedRecord]: ...

    def bank_meta(self) -> dict[str, Any]:
        """What the file said besides its records (VICS: its cases), JSON-ready; read after
        iteration has finished."""
        return {}

    def close(self) -> None:  # noqa: B027  (readers without resources need nothing)
        """Release the file."""

    def __enter__(self) -> BankReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class HashSetFormat(ABC):
    name: str
    description: ClassVar[str]
    # The bank type a file of this format becomes: "known" (verdicts, series), "known-good"
    # (NSRL: operating-system and application files to hide).
    default_bank_type: ClassVar[str] = "known"

    @classmethod
    @abstractmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        """Whether ``path``, whose first bytes are ``head`` (up to 64 KiB), is in this format."""

    @classmethod
    @abstractmethod
    def open(cls, path: Path) -> BankReader:
        """Open ``path``; reads and checks the header, raising HashSetFormatError if wrong."""


hashset_formats: Registry[HashSetFormat] = Registry("hash-set format")
SNIFF_BYTES = 64 * 1024


def detect_format(path: Path) -> type[HashSetFormat]:
    """The registered format that recognises ``path``; HashSetFormatError when none does."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    for fmt in hashset_formats:
        if fmt.sniff(path, head):
            return fmt
    raise HashSetFormatError(
        0,
        f"{path.name}: not a recognised hash-set format ({', '.join(hashset_formats.names())});"
        " give --format",
    )
