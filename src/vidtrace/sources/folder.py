"""A folder of evidence (or one evidence file), walked in place.

The walk is depth-first in sorted name order, so two runs over the same folder yield the same
sequence. Symbolic links are followed; a link back into a directory already being walked (or
already walked) is a SYMLINK_LOOP skipped entry, so the walk always ends. Nothing is opened
here: an unreadable file is yielded as usual and its reader records the error.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from vidtrace.domain.provenance import Provenance
from vidtrace.domain.skip import SkipCode, SkipReason
from vidtrace.sources.base import SourceEntry
from vidtrace.sources.names import printable

ROOT_DIR = "."  # provenance path of a problem with the evidence folder itself

_DirId = tuple[int, int]
_SPECIAL = (
    (stat.S_ISFIFO, "fifo (named pipe)"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)


def _skipped(rel: str, code: SkipCode, detail: str) -> SourceEntry:
    return SourceEntry(Provenance((), printable(rel)), skipped=SkipReason(code, detail))


def _file_entry(fs_path: str, rel: str, st: os.stat_result) -> SourceEntry:
    """A regular file, or a skipped entry for anything that must not be opened."""
    if stat.S_ISREG(st.st_mode):
        provenance = Provenance(
            (), printable(rel), st.st_size, st.st_mtime, st.st_ctime, st.st_atime
        )
        return SourceEntry(provenance, fs_path=fs_path)
    what = next((name for test, name in _SPECIAL if test(st.st_mode)), "special file")
    return _skipped(rel, SkipCode.UNSUPPORTED, f"{what}: not read")


def _stat_problem(fs_path: str, rel: str, exc: OSError, is_link: bool) -> SourceEntry:
    if exc.errno == errno.ELOOP:
        return _skipped(rel, SkipCode.SYMLINK_LOOP, "symbolic link resolves to itself")
    if is_link and exc.errno == errno.ENOENT:
        return _skipped(rel, SkipCode.BROKEN_SYMLINK, f"target missing: {_link_target(fs_path)}")
    return _skipped(rel, SkipCode.UNREADABLE, f"{type(exc).__name__}: {exc.strerror or exc}")


def _link_target(fs_path: str) -> str:
    try:
        return printable(os.readlink(fs_path))
    except OSError:
        return "?"


@dataclass
class _Level:
    """One directory on the descent path, with the names still to visit (reversed)."""

    fs_path: str
    rel: str
    dir_id: _DirId
    pending: list[os.DirEntry[str]] = field(default_factory=list)


class _Walk:
    def __init__(self) -> None:
        self.ancestors: dict[_DirId, str] = {}  # directories on the current descent path
        self.visited: dict[_DirId, str] = {}  # every directory walked so far

    def run(self, fs_root: str, root_id: _DirId) -> Iterator[SourceEntry]:
        stack: list[_Level] = []
        problem = self._enter(stack, fs_root, "", root_id)
        if problem:
            yield problem
        while stack:
            level = stack[-1]
            if not level.pending:
                stack.pop()
                del self.ancestors[level.dir_id]
                continue
            entry = level.pending.pop()
            rel = f"{level.rel}/{entry.name}" if level.rel else entry.name
            found = self._visit(stack, entry, rel)
            if found:
                yield found

    def _enter(
        self, stack: list[_Level], fs_path: str, rel: str, dir_id: _DirId
    ) -> SourceEntry | None:
        try:
            with os.scandir(fs_path) as listing:
                names = sorted(listing, key=lambda e: e.name, reverse=True)
        except OSError as exc:
            detail = f"cannot list directory: {exc.strerror or exc}"
            return _skipped(rel or ROOT_DIR, SkipCode.UNREADABLE, detail)
        self.ancestors[dir_id] = self.visited[dir_id] = rel or ROOT_DIR
        stack.append(_Level(fs_path, rel, dir_id, names))
        return None

    def _visit(self, stack: list[_Level], entry: os.DirEntry[str], rel: str) -> SourceEntry | None:
        try:
            is_link = entry.is_symlink()
        except OSError:
            is_link = False
        try:
            st = entry.stat(follow_symlinks=True)
        except OSError as exc:
            return _stat_problem(entry.path, rel, exc, is_link)
        if not stat.S_ISDIR(st.st_mode):
            return _file_entry(entry.path, rel, st)
        dir_id = (st.st_dev, st.st_ino)
        if dir_id in self.ancestors:
            what = "symbolic link" if is_link else "directory (bind mount?)"
            detail = f"{what} leads back to {self.ancestors[dir_id]}"
            return _skipped(rel, SkipCode.SYMLINK_LOOP, detail)
        if is_link and dir_id in self.visited:
            detail = f"symbolic link to {self.visited[dir_id]}, already walked"
            return _skipped(rel, SkipCode.SYMLINK_LOOP, detail)
        return self._enter(stack, entry.path, rel, dir_id)


def walk(root: Path) -> Iterator[SourceEntry]:
    """Every file under ``root`` (or ``root`` itself when it is a file), with its provenance.

    Paths are relative to ``root`` with ``/`` separators; a single file's path is its name.
    Problems (broken or looping links, unlistable folders, fifos, devices, sockets) come as
    skipped entries. Raises ``FileNotFoundError`` only when ``root`` does not exist at all.
    """
    fs_root = os.fspath(root)
    name = Path(fs_root).name or fs_root
    try:
        st = os.stat(fs_root)
    except OSError as exc:
        is_link = os.path.islink(fs_root)
        if exc.errno == errno.ENOENT and not is_link:
            raise
        yield _stat_problem(fs_root, name, exc, is_link)
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _Walk().run(fs_root, (st.st_dev, st.st_ino))
    else:
        yield _file_entry(fs_root, name, st)
