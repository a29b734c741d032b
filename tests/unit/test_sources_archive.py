"""The archive registry and the member-name rules every format shares."""

from __future__ import annotations

import os
import pickle
import zipfile
from pathlib import Path

import pytest

from vidtrace.config import Limits
from vidtrace.domain.skip import SkipCode, SkipReason
from vidtrace.sources.archive import (
    ArchiveBombError,
    ArchiveCorruptError,
    MemberReadError,
    archive_formats,
)
from vidtrace.sources.base import ContainerRef
from vidtrace.sources.names import UniquePaths, normalise, printable, unsafe_reason
from vidtrace.sources.zip import ZipFormat


def test_zip_and_tar_register_on_import() -> None:
    import vidtrace.sources  # noqa: F401

    assert {"zip", "tar"} <= set(archive_formats.names())


@pytest.mark.parametrize(
    "name",
    [
        "../x.jpg",
        "a/../../x.jpg",
        "a/..",
        "..\\x.jpg",
        "/etc/x",
        "\\x.jpg",
        "\\\\server\\share\\x.jpg",
        "C:\\x.jpg",
        "c:/x.jpg",
        "C:x.jpg",
        "a\x00b.jpg",
    ],
)
def test_unsafe_names(name: str) -> None:
    assert unsafe_reason(name)


@pytest.mark.parametrize("name", ["a.jpg", "a/b/c.jpg", "./a.jpg", "a..b.jpg", "...", "..a/b"])
def test_safe_names(name: str) -> None:
    assert unsafe_reason(name) is None


def test_normalise() -> None:
    assert normalise("./a//b/./c.jpg", backslash_is_separator=False) == "a/b/c.jpg"
    assert normalise("a\\b.jpg", backslash_is_separator=False) == "a\\b.jpg"
    assert normalise("a\\b.jpg", backslash_is_separator=True) == "a/b.jpg"


def test_unique_paths() -> None:
    paths = UniquePaths()
    assert [paths.claim(p) for p in ["a", "a", "a#2", "a"]] == ["a", "a#2", "a#2#2", "a#3"]


def test_printable_keeps_valid_text_and_escapes_raw_bytes() -> None:
    assert printable("café.jpg") == "café.jpg"
    assert printable("caf\udce9.jpg") == "caf\\xe9.jpg"


def test_read_errors_carry_their_reason_and_survive_pickling() -> None:
    error = ArchiveBombError("member.bin: yields more than declared")
    assert isinstance(error, MemberReadError) and isinstance(error, OSError)
    assert error.reason == SkipReason(
        SkipCode.ARCHIVE_BOMB, "member.bin: yields more than declared"
    )
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is ArchiveBombError and copy.reason == error.reason
    assert ArchiveCorruptError("x").reason.code is SkipCode.ARCHIVE_CORRUPT


def test_reading_an_archive_leaves_its_access_time(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.txt", b"a")
    os.utime(archive, (1_000_000, 2_000_000))  # atime older than mtime: relatime would update it
    ref = ContainerRef(str(archive), ("a.zip",), "zip")
    entries = list(ZipFormat.list_members(ref, Limits()))
    streams = ZipFormat.open_members(ref, entries, Limits())
    assert [s.read() for _, s in streams if not isinstance(s, SkipReason)] == [b"a"]
    assert archive.stat().st_atime == 1_000_000
