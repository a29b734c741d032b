"""Tar archives, plain or compressed (gzip, bzip2, xz), read in place as one forward stream.

The decompressed stream is counted as it is read: an archive that unpacks to more than
``max_archive_ratio`` times its size, or to more than ``max_archive_total_bytes``, is stopped
with ARCHIVE_BOMB, both while listing and while reading members.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import tarfile
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from vidtrace.config import Limits
from vidtrace.domain.skip import SkipCode, SkipReason
from vidtrace.sources.archive import (
    MIN_RATIO_CHECK_BYTES,
    ArchiveBombError,
    ArchiveCorruptError,
    ArchiveFormat,
    DeclaredTotals,
    MemberReadError,
    MemberStreams,
    ReadBudget,
    archive_formats,
    archive_problem,
    capped_stream,
    member_entry,
    requested,
)
from vidtrace.sources.base import ContainerRef, SourceEntry, open_evidence
from vidtrace.sources.names import UniquePaths, normalise, printable, unsafe_reason

_COMPRESSED_MIMES = {"application/gzip", "application/x-bzip2", "application/x-xz"}
_NOT_FOLLOWED = (
    (tarfile.TarInfo.issym, "symbolic link"),
    (tarfile.TarInfo.islnk, "hard link"),
    (tarfile.TarInfo.ischr, "character device"),
    (tarfile.TarInfo.isblk, "block device"),
    (tarfile.TarInfo.isfifo, "fifo"),
)


_Decompressed = gzip.GzipFile | bz2.BZ2File | lzma.LZMAFile | BinaryIO


def _decompressed(raw: BinaryIO) -> _Decompressed:
    """``raw`` through the decompressor its magic bytes name (itself when not compressed)."""
    magic = raw.read(6)
    raw.seek(0)
    if magic.startswith(b"\x1f\x8b"):
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if magic.startswith(b"BZh"):
        return bz2.BZ2File(raw)
    if magic.startswith(b"\xfd7zXZ\x00"):
        return lzma.LZMAFile(raw)
    return raw


class _Guard(io.RawIOBase):
    """The decompressed stream, counted; trips for good once a limit is passed."""

    def __init__(self, raw: BinaryIO, limits: Limits) -> None:
        super().__init__()
        self._raw = raw
        self._stream = _decompressed(raw)
        self._limits = limits
        self._tripped: str | None = None
        self.produced = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1, /) -> bytes:
        if self._tripped:
            raise ArchiveBombError(self._tripped)
        try:
            data = self._stream.read(size)
        except Exception as exc:  # any decoder error on hostile data means "damaged"
            raise ArchiveCorruptError(f"{type(exc).__name__}: {exc}") from exc
        self.produced += len(data)
        lim, compressed = self._limits, max(self._raw.tell(), 1)
        if self.produced > lim.max_archive_total_bytes:
            self._tripped = f"unpacks to more than {lim.max_archive_total_bytes} bytes"
        elif self.produced >= MIN_RATIO_CHECK_BYTES and (
            self.produced / compressed > lim.max_archive_ratio
        ):
            self._tripped = (
                f"unpacks to {self.produced} bytes from {compressed} "
                f"(ratio over {lim.max_archive_ratio:g})"
            )
        if self._tripped:
            raise ArchiveBombError(self._tripped)
        return data


def _times(info: tarfile.TarInfo) -> tuple[float | None, float | None, float | None]:
    """(mtime, ctime, atime); ctime and atime only exist in PAX headers."""

    def pax(key: str) -> float | None:
        try:
            return float(info.pax_headers[key])
        except (KeyError, ValueError):
            return None

    return float(info.mtime), pax("ctime"), pax("atime")


def _screen(info: tarfile.TarInfo, raw: str, caps: DeclaredTotals) -> SkipReason | None:
    why = unsafe_reason(raw)
    if why:
        return SkipReason(SkipCode.UNSAFE_PATH, f"{why}: {raw!r}")
    for test, what in _NOT_FOLLOWED:
        if test(info):
            target = f" to {printable(info.linkname)!r}" if info.linkname else ""
            return SkipReason(SkipCode.UNSUPPORTED, f"{what}{target} (not followed)")
    return caps.screen(info.size, None)


def _entry(
    container: ContainerRef, info: tarfile.TarInfo, paths: UniquePaths, caps: DeclaredTotals
) -> SourceEntry | None:
    if info.isdir():
        return None
    raw = info.name
    skipped = _screen(info, raw, caps)
    path = normalise(raw, backslash_is_separator=False)
    if not path and skipped is None:
        skipped = SkipReason(SkipCode.UNSAFE_PATH, f"empty member name: {raw!r}")
    if skipped is not None and skipped.code is SkipCode.UNSAFE_PATH:
        path = raw
    path = paths.claim(printable(path))
    return member_entry(container, path, raw, info.size, _times(info), skipped)


def _forget_members(tar: tarfile.TarFile) -> None:
    """TarFile keeps every header it has read; a forward-only scan needs none of them."""
    members = getattr(tar, "members", None)
    if isinstance(members, list):
        members.clear()


def _only_padding_left(tar: tarfile.TarFile) -> bool:
    """Reads what follows the last header to its end: only zeros in a sound archive.

    tarfile ends a listing quietly at a damaged header; reading on also makes the decompressor
    check its trailer (gzip CRC and length), so damage near the end is found too.
    """
    stream = tar.fileobj
    while stream is not None and (chunk := stream.read(64 * 1024)):
        if chunk.count(0) != len(chunk):
            return False
    return True


_Scanned = tuple[tarfile.TarFile | None, tarfile.TarInfo | None, SourceEntry]


def _scan(container: ContainerRef, limits: Limits) -> Generator[_Scanned, None, None]:
    """(tar, member, entry) per non-directory member; (None, None, problem) ends early."""
    count = 0
    try:
        with open_evidence(container.fs_path) as raw:
            guard = _Guard(raw, limits)
            paths, caps = UniquePaths(), DeclaredTotals(limits, os.fstat(raw.fileno()).st_size)
            with tarfile.open(fileobj=guard, mode="r|", encoding="utf-8") as tar:
                while (info := tar.next()) is not None:
                    _forget_members(tar)
                    count += 1
                    if count > limits.max_archive_members:
                        detail = f"more than {limits.max_archive_members} members"
                        yield None, None, archive_problem(container, SkipCode.ARCHIVE_BOMB, detail)
                        return
                    entry = _entry(container, info, paths, caps)
                    if entry is not None:
                        yield tar, info, entry
                if not _only_padding_left(tar):
                    detail = (
                        f"after {count} members: data after the end of the archive "
                        "(a damaged header, or archives joined together); the rest is not listed"
                    )
                    yield None, None, archive_problem(container, SkipCode.ARCHIVE_CORRUPT, detail)
    except MemberReadError as exc:
        detail = f"after {count} members: {exc.reason.detail}"
        yield None, None, archive_problem(container, exc.reason.code, detail)
    except Exception as exc:  # hostile bytes can raise anything from the parser
        detail = f"after {count} members: {type(exc).__name__}: {exc}"
        yield None, None, archive_problem(container, SkipCode.ARCHIVE_CORRUPT, detail)


@archive_formats.register
class TarFormat(ArchiveFormat):
    name = "tar"
    sequential = True

    @classmethod
    def can_open(cls, path: Path, mime: str) -> bool:
        if mime == "application/x-tar":
            return True
        if mime not in _COMPRESSED_MIMES:
            return False
        # A compressed stream is a tar only if its first block is a valid tar header.
        try:
            with open_evidence(str(path)) as raw, _decompressed(raw) as stream:
                tarfile.TarInfo.frombuf(stream.read(tarfile.BLOCKSIZE), "utf-8", "surrogateescape")
        except Exception:
            return False
        return True

    @classmethod
    def list_members(cls, container: ContainerRef, limits: Limits) -> Iterator[SourceEntry]:
        for _, _, entry in _scan(container, limits):
            yield entry

    @classmethod
    def open_members(
        cls, container: ContainerRef, members: Sequence[SourceEntry], limits: Limits
    ) -> MemberStreams:
        wanted, budget = requested(members), ReadBudget(limits)
        missing = SkipReason(SkipCode.ARCHIVE_CORRUPT, "member not found in the archive")
        scan = _scan(container, limits)  # a generator: closed below, whatever happens
        try:
            for tar, info, entry in scan:
                if tar is None or info is None:  # the archive stopped being readable here
                    missing = entry.skipped or missing
                    break
                want = wanted.pop((entry.member or "", entry.provenance.path), None)
                if want is None:
                    continue
                if entry.skipped is not None:
                    yield want, entry.skipped
                    continue
                try:
                    inner = tar.extractfile(info)
                except Exception as exc:
                    detail = f"cannot open member: {type(exc).__name__}: {exc}"
                    yield want, SkipReason(SkipCode.ARCHIVE_CORRUPT, detail)
                    continue
                if inner is None:
                    yield want, SkipReason(SkipCode.UNSUPPORTED, "not a regular file")
                    continue
                stream = capped_stream(inner, printable(info.name), info.size, None, budget)
                try:
                    yield want, stream
                finally:
                    stream.close()
                if not wanted:
                    return
        finally:
            scan.close()
        for entry in wanted.values():
            yield entry, missing
