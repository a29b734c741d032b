"""Zip archives, read in place with ``zipfile``."""

from __future__ import annotations

import calendar
import copy
import os
import struct
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from vidtrace.config import Limits
from vidtrace.domain.skip import SkipCode, SkipReason
from vidtrace.sources.archive import (
    ArchiveFormat,
    DeclaredTotals,
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

_SUPPORTED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_FILETIME_EPOCH = 11_644_473_600  # seconds from 1601-01-01 to 1970-01-01
Times = tuple[float | None, float | None, float | None]


def _declared_entry_count(fp: BinaryIO) -> int:
    """The member count the end-of-central-directory record declares (0 when absent).

    Read before ``zipfile`` builds one object per member, so a directory that declares
    millions of members is refused without spending the memory.
    """
    size = fp.seek(0, os.SEEK_END)
    tail_len = min(size, 22 + 0xFFFF + 20)
    fp.seek(size - tail_len)
    tail = fp.read(tail_len)
    at = tail.rfind(_EOCD)
    if at < 0 or at + 22 > len(tail):
        return 0
    count: int = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    if count == 0xFFFF and at >= 20 and tail[at - 20 : at - 16] == _ZIP64_LOCATOR:
        fp.seek(struct.unpack("<Q", tail[at - 12 : at - 4])[0])
        record = fp.read(40)
        if record[:4] == b"PK\x06\x06" and len(record) == 40:
            count = struct.unpack("<Q", record[32:40])[0]
    return count


def _extra_fields(extra: bytes) -> Iterator[tuple[int, bytes]]:
    pos = 0
    while pos + 4 <= len(extra):
        tag, size = struct.unpack("<HH", extra[pos : pos + 4])
        yield tag, extra[pos + 4 : pos + 4 + size]
        pos += 4 + size


def _unix(filetime: int) -> float:
    return filetime / 1e7 - _FILETIME_EPOCH


def _times(info: zipfile.ZipInfo) -> Times:
    """(mtime, ctime, atime): NTFS or Unix extra fields (UTC) first, else the DOS date.

    A DOS date carries no time zone; it is read as UTC, as most forensic tools do.
    """
    for tag, data in _extra_fields(info.extra):
        if tag == 0x000A and len(data) >= 32 and data[4:8] == b"\x01\x00\x18\x00":
            mtime, atime, ctime = struct.unpack("<QQQ", data[8:32])
            return _unix(mtime), _unix(ctime), _unix(atime)
        if tag == 0x5455 and len(data) >= 5 and data[0] & 1:
            return float(struct.unpack("<i", data[1:5])[0]), None, None
    try:
        return float(calendar.timegm((*info.date_time, 0, 0, 0))), None, None
    except (ValueError, OverflowError):
        return None, None, None


def _screen(info: zipfile.ZipInfo, raw: str, caps: DeclaredTotals) -> SkipReason | None:
    why = unsafe_reason(raw)
    if why:
        return SkipReason(SkipCode.UNSAFE_PATH, f"{why}: {raw!r}")
    if info.flag_bits & 0x1:
        return SkipReason(SkipCode.UNSUPPORTED, "encrypted")
    if info.compress_type not in _SUPPORTED_METHODS:
        return SkipReason(SkipCode.UNSUPPORTED, f"compression method {info.compress_type}")
    return caps.screen(info.file_size, info.compress_size)


def _entries(
    container: ContainerRef, infos: list[zipfile.ZipInfo], limits: Limits, archive_bytes: int
) -> Iterator[tuple[zipfile.ZipInfo | None, SourceEntry]]:
    """Each file member with its entry; (None, problem) ends the listing early."""
    paths, caps = UniquePaths(), DeclaredTotals(limits, archive_bytes)
    for count, info in enumerate(infos, 1):
        if count > limits.max_archive_members:
            detail = f"more than {limits.max_archive_members} members; the rest is not listed"
            yield None, archive_problem(container, SkipCode.ARCHIVE_BOMB, detail)
            return
        raw = info.orig_filename
        if (info.is_dir() or raw.endswith("\\")) and info.file_size == 0:
            continue
        skipped = _screen(info, raw, caps)
        path = normalise(raw, backslash_is_separator=True)
        if not path and skipped is None:
            skipped = SkipReason(SkipCode.UNSAFE_PATH, f"empty member name: {raw!r}")
        if skipped is not None and skipped.code is SkipCode.UNSAFE_PATH:
            path = printable(raw)
        times = _times(info)
        entry = member_entry(container, paths.claim(path), raw, info.file_size, times, skipped)
        yield info, entry


def _read_directory(path: str, limits: Limits) -> tuple[list[zipfile.ZipInfo] | None, str]:
    """The central directory, or None and why it cannot be read."""
    try:
        with open_evidence(path) as fp:
            declared = _declared_entry_count(fp)
            if declared > limits.max_archive_members:
                return None, f"declares {declared} members (limit {limits.max_archive_members})"
            with zipfile.ZipFile(fp) as zf:
                return zf.infolist(), ""
    except Exception as exc:  # hostile bytes can raise anything from the parser
        return None, f"cannot read the zip directory: {type(exc).__name__}: {exc}"


@archive_formats.register
class ZipFormat(ArchiveFormat):
    name = "zip"

    @classmethod
    def can_open(cls, path: Path, mime: str) -> bool:
        return mime == "application/zip"

    @classmethod
    def list_members(cls, container: ContainerRef, limits: Limits) -> Iterator[SourceEntry]:
        infos, why = _read_directory(container.fs_path, limits)
        if infos is None:
            code = SkipCode.ARCHIVE_BOMB if why.startswith("declares") else SkipCode.ARCHIVE_CORRUPT
            yield archive_problem(container, code, why)
            return
        size = os.path.getsize(container.fs_path)
        for _, entry in _entries(container, infos, limits, size):
            yield entry

    @classmethod
    def open_members(
        cls, container: ContainerRef, members: Sequence[SourceEntry], limits: Limits
    ) -> MemberStreams:
        wanted = requested(members)
        fp: BinaryIO | None = None
        try:
            fp = open_evidence(container.fs_path)
            zf = zipfile.ZipFile(fp)
        except Exception as exc:
            if fp is not None:
                fp.close()
            detail = f"cannot read the zip directory: {type(exc).__name__}: {exc}"
            for entry in wanted.values():
                yield entry, SkipReason(SkipCode.ARCHIVE_CORRUPT, detail)
            return
        missing = SkipReason(SkipCode.ARCHIVE_CORRUPT, "member not found in the archive")
        with fp, zf:
            size, budget = os.fstat(fp.fileno()).st_size, ReadBudget(limits)
            for info, entry in _entries(container, zf.infolist(), limits, size):
                if info is None:  # the listing stopped: nothing after this point is read
                    missing = entry.skipped or missing
                    break
                want = wanted.pop((entry.member or "", entry.provenance.path), None)
                if want is None:
                    continue
                if entry.skipped is not None:
                    yield want, entry.skipped
                    continue
                # zipfile cuts a stream at its declared size (then fails on the CRC); lift that
                # so the capped reader sees a lying header and reports it as a bomb.
                unbounded = copy.copy(info)
                unbounded.file_size = 1 << 62
                try:
                    inner = zf.open(unbounded)
                except Exception as exc:
                    detail = f"cannot open member: {type(exc).__name__}: {exc}"
                    yield want, SkipReason(SkipCode.ARCHIVE_CORRUPT, detail)
                    continue
                stream = capped_stream(
                    inner, printable(info.orig_filename), info.file_size, info.compress_size, budget
                )
                try:
                    yield want, stream
                finally:
                    stream.close()
                if not wanted:
                    return
        for entry in wanted.values():
            yield entry, missing
