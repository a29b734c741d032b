"""The archive extension point: formats that list and stream members in place, under limits.

A format is a small class in its own module (``sources/zip.py``) registered with
``archive_formats.register``. Nothing is ever extracted to disk: ``open_members`` opens the
archive once and hands out one capped stream per requested member, in archive order.

Reading a member stream can raise ``MemberReadError`` (``ArchiveBombError`` when more bytes
come out than the header declared or the limits allow, ``ArchiveCorruptError`` when the data is
damaged); its ``reason`` is the skip reason to record.
"""

from __future__ import annotations

import io
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO

from vidtrace.config import Limits
from vidtrace.domain.provenance import Provenance
from vidtrace.domain.skip import SkipCode, SkipReason
from vidtrace.registry import Registry
from vidtrace.sources.base import ContainerRef, SourceEntry

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

MiB = 1024 * 1024
MIN_RATIO_CHECK_BYTES = MiB  # below this many uncompressed bytes a high ratio is harmless
READ_SLACK_BYTES = 64 * 1024  # a stream may exceed its declared size by this much
ARCHIVE_ITSELF = ""  # provenance path of problems that concern the whole archive

MemberStreams = Iterator[tuple[SourceEntry, BinaryIO | SkipReason]]


class MemberReadError(OSError):
    """Reading a member failed; ``reason`` is what to record for it.

    An ``OSError``, as read errors of any stream are, so a reader that only knows streams
    still stops cleanly; catch this class to record the precise reason.
    """

    code = SkipCode.ARCHIVE_CORRUPT

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.reason = SkipReason(self.code, detail)

    def __str__(self) -> str:
        return str(self.reason)


class ArchiveBombError(MemberReadError):
    """More bytes came out than declared or than the limits allow."""

    code = SkipCode.ARCHIVE_BOMB


class ArchiveCorruptError(MemberReadError):
    """The compressed data or the archive structure is damaged."""


class ArchiveFormat(ABC):
    """One archive format. Methods are class methods: the registry holds classes."""

    name: str  # unique; also ContainerRef.format
    sequential: bool = False  # True: members can only be read in one forward pass (tar)

    @classmethod
    @abstractmethod
    def can_open(cls, path: Path, mime: str) -> bool:
        """True when ``path`` (sniffed as ``mime``) is an archive of this format. Never raises."""

    @classmethod
    @abstractmethod
    def list_members(cls, container: ContainerRef, limits: Limits) -> Iterator[SourceEntry]:
        """Every file member, in archive order; unsafe or oversized members come as skipped
        entries, and a damaged archive ends with one ARCHIVE_CORRUPT entry. Never raises."""

    @classmethod
    @abstractmethod
    def open_members(
        cls, container: ContainerRef, members: Sequence[SourceEntry], limits: Limits
    ) -> MemberStreams:
        """A stream (or the reason there is none) per requested member, in archive order.

        ``members`` are entries from ``list_members`` with the same limits; skipped ones are
        ignored. Each stream is valid only until the iterator advances.
        """


archive_formats: Registry[ArchiveFormat] = Registry("archive format")


def find_format(path: Path, mime: str) -> type[ArchiveFormat] | None:
    """The first registered format that can open ``path``, or None (a plain file)."""
    for fmt in archive_formats:
        if fmt.can_open(path, mime):
            return fmt
    return None


# Entry builders shared by the formats.


def member_entry(
    container: ContainerRef,
    path: str,
    raw: str,
    size: int,
    times: tuple[float | None, float | None, float | None] = (None, None, None),
    skipped: SkipReason | None = None,
) -> SourceEntry:
    """An archive member; ``times`` are (mtime, ctime, atime)."""
    mtime, ctime, atime = times
    provenance = Provenance(container.chain, path, size, mtime, ctime, atime)
    return SourceEntry(
        provenance, container=container, member=raw, declared_size=size, skipped=skipped
    )


def archive_problem(container: ContainerRef, code: SkipCode, detail: str) -> SourceEntry:
    """A skipped entry about the whole archive (corrupt, bomb), after what could be listed."""
    return SourceEntry(
        Provenance(container.chain, ARCHIVE_ITSELF),
        container=container,
        skipped=SkipReason(code, detail),
    )


def requested(members: Sequence[SourceEntry]) -> dict[tuple[str, str], SourceEntry]:
    """Readable requested members keyed by (raw member name, provenance path)."""
    return {
        (m.member, m.provenance.path): m
        for m in members
        if m.skipped is None and m.member is not None
    }


class DeclaredTotals:
    """The listing-time caps, applied to the sizes that member headers declare."""

    def __init__(self, limits: Limits, archive_bytes: int) -> None:
        self.limits = limits
        self.archive_bytes = max(archive_bytes, 1)
        self.total = 0

    def screen(self, declared: int, compressed: int | None) -> SkipReason | None:
        """Why a member of ``declared`` bytes must be skipped; None counts it as accepted."""
        lim = self.limits
        if declared > lim.max_file_bytes:
            return SkipReason(SkipCode.TOO_LARGE, f"declares {declared} bytes")
        if compressed is not None and declared >= MIN_RATIO_CHECK_BYTES:
            ratio = declared / max(compressed, 1)
            if ratio > lim.max_archive_ratio:
                return SkipReason(
                    SkipCode.ARCHIVE_BOMB, f"compression ratio {ratio:.0f} ({declared} bytes)"
                )
        total = self.total + declared
        if total > lim.max_archive_total_bytes:
            return SkipReason(SkipCode.ARCHIVE_BOMB, f"archive would unpack to over {total} bytes")
        if total >= MIN_RATIO_CHECK_BYTES and total / self.archive_bytes > lim.max_archive_ratio:
            return SkipReason(
                SkipCode.ARCHIVE_BOMB,
                f"archive would unpack to {total} bytes from {self.archive_bytes}",
            )
        self.total = total
        return None


class ReadBudget:
    """Bytes handed out by all the streams of one ``open_members`` call."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.total = 0


class _CappedReader(io.RawIOBase):
    def __init__(
        self,
        inner: IO[bytes],
        label: str,
        declared: int,
        compressed: int | None,
        budget: ReadBudget,
    ) -> None:
        super().__init__()
        self._inner = inner
        self._label = label
        self._declared = declared
        self._compressed = compressed
        self._budget = budget
        self._produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        try:
            data = self._inner.read(len(view))
        except MemberReadError:
            raise
        except Exception as exc:  # any decoder error on hostile data means "damaged"
            raise ArchiveCorruptError(f"{self._label}: {type(exc).__name__}: {exc}") from exc
        n = len(data)
        view[:n] = data
        self._produced += n
        self._budget.total += n
        problem = self._problem()
        if problem:
            raise ArchiveBombError(f"{self._label}: {problem}")
        return n

    def _problem(self) -> str | None:
        lim, out = self._budget.limits, self._produced
        if out > self._declared + READ_SLACK_BYTES:
            return f"yields more than the {self._declared} bytes its header declares"
        if out > lim.max_file_bytes:
            return f"yields more than {lim.max_file_bytes} bytes"
        if self._budget.total > lim.max_archive_total_bytes:
            return f"archive yields more than {lim.max_archive_total_bytes} bytes"
        compressed = self._compressed
        ratio_applies = compressed is not None and out >= MIN_RATIO_CHECK_BYTES
        if ratio_applies and out / max(compressed or 0, 1) > lim.max_archive_ratio:
            return f"decompresses more than {lim.max_archive_ratio:g} times its size"
        return None

    def close(self) -> None:
        if not self.closed:
            self._inner.close()
        super().close()


def capped_stream(
    inner: IO[bytes], label: str, declared: int, compressed: int | None, budget: ReadBudget
) -> BinaryIO:
    """``inner`` behind the caps: raises ``ArchiveBombError`` / ``ArchiveCorruptError``."""
    raw = _CappedReader(inner, label, declared, compressed, budget)
    return io.BufferedReader(raw, buffer_size=256 * 1024)
