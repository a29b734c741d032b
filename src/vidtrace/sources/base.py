"""What a source yields: entries that say where a file is and how to open it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import BinaryIO

from vidtrace.domain.provenance import Provenance
from vidtrace.domain.skip import SkipReason


@dataclass(frozen=True)
class ContainerRef:
    """An archive file on local disk whose members are read in place.

    ``fs_path`` is the archive on disk (an evidence file, or a staged copy of an archive that was
    itself inside an archive). ``chain`` is the provenance chain its members carry.
    """

    fs_path: str
    chain: tuple[str, ...]
    format: str  # the ArchiveFormat name: "zip", "tar"


@dataclass(frozen=True)
class SourceEntry:
    """One file to ingest. Picklable: it crosses process boundaries.

    Exactly one of ``fs_path`` (a plain file on disk) or ``container`` + ``member`` is set, unless
    ``skipped`` says why the entry cannot be read at all.
    """

    provenance: Provenance
    fs_path: str | None = None
    container: ContainerRef | None = None
    member: str | None = None
    declared_size: int | None = None
    skipped: SkipReason | None = None


def open_evidence(path: str) -> BinaryIO:
    """Open an evidence file read-only without updating its access time where the OS allows."""
    flags = os.O_RDONLY | getattr(os, "O_NOATIME", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError:  # O_NOATIME needs ownership of the file
        fd = os.open(path, os.O_RDONLY)
    return os.fdopen(fd, "rb")
