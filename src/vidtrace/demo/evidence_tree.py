"""The demo evidence, built in memory and then written out, archives included, byte for byte.

Paths are relative to the output folder and use "/" separators; a member of an archive is named
``"<archive path>!/<member path>"`` (the separator in ``vidtrace.domain.provenance``), which is
also how the ground truth names it.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from vidtrace.domain.provenance import ARCHIVE_SEPARATOR

# When no capture time applies (documents, distractors): 2023-09-01T12:00:00Z.
DEFAULT_MTIME = 1693569600.0


@dataclass(frozen=True)
class EvidenceFile:
    data: bytes
    mtime: float


class EvidenceTree:
    """Files and archive members to write; every path is unique and written exactly once."""

    def __init__(self) -> None:
        self._files: dict[str, EvidenceFile] = {}
        self._archives: list[str] = []

    def declare_archive(self, path: str) -> None:
        """Members added under ``path + "!/"`` are packed into it; ``.zip`` or ``.tar.gz``."""
        if not path.endswith((".zip", ".tar.gz")):
            raise ValueError(f"unsupported archive type: {path}")
        self._archives.append(path)

    def add(self, path: str, data: bytes, mtime: float = DEFAULT_MTIME) -> str:
        if path in self._files:
            raise ValueError(f"written twice: {path}")
        archive, _, _ = path.partition(ARCHIVE_SEPARATOR)
        if ARCHIVE_SEPARATOR in path and archive not in self._archives:
            raise ValueError(f"archive not declared: {archive}")
        self._files[path] = EvidenceFile(data, mtime)
        return path

    def free_path(self, folder: str, name: str) -> str:
        """``folder/name``, or ``folder/stem (n).ext`` as a browser would save a second copy."""
        candidate = f"{folder}/{name}"
        stem, dot, ext = name.rpartition(".")
        n = 1
        while candidate in self._files:
            candidate = f"{folder}/{stem} ({n}){dot}{ext}"
            n += 1
        return candidate

    def copy(self, source: str, target: str) -> str:
        """An exact duplicate: the same bytes and time under another path."""
        original = self._files[source]
        return self.add(target, original.data, original.mtime)

    def data(self, path: str) -> bytes:
        return self._files[path].data

    def __contains__(self, path: object) -> bool:
        return path in self._files

    @property
    def paths(self) -> list[str]:
        return sorted(self._files)

    @property
    def archives(self) -> tuple[str, ...]:
        return tuple(self._archives)

    def write(self, out_dir: Path) -> None:
        """Write loose files and pack archives, in sorted order so the bytes never vary."""
        members: dict[str, list[tuple[str, EvidenceFile]]] = {a: [] for a in self._archives}
        for path in sorted(self._files):
            entry = self._files[path]
            archive, separator, member = path.partition(ARCHIVE_SEPARATOR)
            if separator:
                members[archive].append((member, entry))
            else:
                _write_file(out_dir / path, entry.data, entry.mtime)
        for archive, entries in members.items():
            packed = _pack_zip(entries) if archive.endswith(".zip") else _pack_tar_gz(entries)
            newest = max((entry.mtime for _, entry in entries), default=DEFAULT_MTIME)
            _write_file(out_dir / archive, packed, newest)


def _write_file(target: Path, data: bytes, mtime: float) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    os.utime(target, (mtime, mtime))


def _pack_zip(entries: list[tuple[str, EvidenceFile]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, entry in entries:
            info = zipfile.ZipInfo(member, date_time=time.gmtime(entry.mtime)[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # Unix, so the mode above is honoured
            archive.writestr(info, entry.data)
    return buffer.getvalue()


def _pack_tar_gz(entries: list[tuple[str, EvidenceFile]]) -> bytes:
    buffer = io.BytesIO()
    newest = max((entry.mtime for _, entry in entries), default=DEFAULT_MTIME)
    # GzipFile would otherwise stamp the current time and a file name into its header.
    with (
        gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=int(newest)) as zipped,
        tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as archive,
    ):
        folders: set[str] = set()
        for member, entry in entries:
            for parent in reversed(PurePosixPath(member).parents[:-1]):
                if str(parent) not in folders:
                    folders.add(str(parent))
                    archive.addfile(_tar_info(str(parent), 0, entry.mtime, folder=True))
            info = _tar_info(member, len(entry.data), entry.mtime, folder=False)
            archive.addfile(info, io.BytesIO(entry.data))
    return buffer.getvalue()


def _tar_info(name: str, size: int, mtime: float, folder: bool) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o755 if folder else 0o644
    info.type = tarfile.DIRTYPE if folder else tarfile.REGTYPE
    info.uid = info.gid = 1000
    info.uname = info.gname = "user"
    return info
