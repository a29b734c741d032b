"""Tar members (plain, gz, bz2, xz) listed and streamed in place; hostile tars are skipped."""

from __future__ import annotations

import gzip
import io
import os
import tarfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import pytest

from vidtrace.config import Limits
from vidtrace.domain.skip import SkipCode, SkipReason
from vidtrace.sources.archive import ArchiveCorruptError, find_format
from vidtrace.sources.base import ContainerRef, SourceEntry
from vidtrace.sources.tar import TarFormat

LIMITS = Limits()
MTIME = 1_600_000_000


def _info(
    name: str, size: int = 0, kind: bytes = tarfile.REGTYPE, link: str = ""
) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.type, info.linkname, info.mtime = size, kind, link, MTIME
    return info


def _make_tar(
    path: Path,
    members: Iterable[tuple[str, bytes] | tarfile.TarInfo],
    mode: str = "w:gz",
    fmt: int = tarfile.PAX_FORMAT,
) -> Path:
    with tarfile.open(path, mode, format=fmt) as tf:  # type: ignore[call-overload]
        for member in members:
            if isinstance(member, tarfile.TarInfo):
                tf.addfile(member)
            else:
                name, data = member
                tf.addfile(_info(name, len(data)), io.BytesIO(data))
    return path


def _ref(path: Path) -> ContainerRef:
    return ContainerRef(fs_path=str(path), chain=(path.name,), format="tar")


def _list(path: Path, limits: Limits = LIMITS) -> list[SourceEntry]:
    return list(TarFormat.list_members(_ref(path), limits))


def _stream(value: BinaryIO | SkipReason) -> BinaryIO:
    assert not isinstance(value, SkipReason), value
    return value


def _read_all(path: Path, limits: Limits = LIMITS) -> dict[str, bytes]:
    entries = _list(path, limits)
    return {
        entry.provenance.path: stream.read()
        for entry, stream in TarFormat.open_members(_ref(path), entries, limits)
        if not isinstance(stream, SkipReason)
    }


def _codes(entries: list[SourceEntry]) -> list[SkipCode | None]:
    return [e.skipped.code if e.skipped else None for e in entries]


@pytest.mark.parametrize(
    ("mode", "suffix"), [("w:gz", "tgz"), ("w:bz2", "tbz"), ("w:xz", "txz"), ("w", "tar")]
)
def test_members_are_listed_and_read(tmp_path: Path, mode: str, suffix: str) -> None:
    archive = _make_tar(
        tmp_path / f"case.{suffix}",
        [_info("photos", kind=tarfile.DIRTYPE), ("photos/a.jpg", b"A" * 3000), ("./b.png", b"B")],
        mode,
    )
    entries = _list(archive)
    assert [e.provenance.path for e in entries] == ["photos/a.jpg", "b.png"]  # no directories
    first = entries[0]
    assert first.skipped is None and first.fs_path is None
    assert (first.member, first.declared_size, first.container) == (
        "photos/a.jpg",
        3000,
        _ref(archive),
    )
    assert first.provenance.chain == (archive.name,)
    assert (first.provenance.size, first.provenance.mtime) == (3000, MTIME)
    assert _read_all(archive) == {"photos/a.jpg": b"A" * 3000, "b.png": b"B"}


def test_compressed_tar_is_found_but_a_plain_gzip_is_not(tmp_path: Path) -> None:
    tgz = _make_tar(tmp_path / "a.bin", [("a.txt", b"a")])
    plain = tmp_path / "photo.jpg.gz"
    plain.write_bytes(gzip.compress(b"\xff\xd8\xff" + os.urandom(3000)))
    assert find_format(tgz, "application/gzip") is TarFormat
    assert find_format(plain, "application/gzip") is None
    assert TarFormat.can_open(_make_tar(tmp_path / "p", [("a", b"a")], "w"), "application/x-tar")
    assert not TarFormat.can_open(tgz, "application/zip")


def test_pax_times_are_kept(tmp_path: Path) -> None:
    info = _info("a.txt", 1)
    info.pax_headers = {"atime": "1600000100.5", "ctime": "1600000200.25"}
    archive = _make_tar(tmp_path / "t.tar", [], "w")
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tf:
        tf.addfile(info, io.BytesIO(b"a"))
    (entry,) = _list(archive)
    assert (entry.provenance.atime, entry.provenance.ctime) == (1600000100.5, 1600000200.25)


@pytest.mark.parametrize("name", ["../evil.jpg", "a/../../evil.jpg", "/etc/evil.jpg"])
def test_unsafe_names_are_skipped_while_good_members_are_read(tmp_path: Path, name: str) -> None:
    archive = _make_tar(
        tmp_path / "u.tgz", [("good1.jpg", b"1"), (name, b"evil"), ("good2.jpg", b"2")]
    )
    entries = _list(archive)
    assert _codes(entries) == [None, SkipCode.UNSAFE_PATH, None]
    assert entries[1].skipped is not None and repr(name) in entries[1].skipped.detail
    assert _read_all(archive) == {"good1.jpg": b"1", "good2.jpg": b"2"}


def test_links_and_devices_are_not_followed(tmp_path: Path) -> None:
    archive = _make_tar(
        tmp_path / "l.tar",
        [
            _info("sym.jpg", kind=tarfile.SYMTYPE, link="/etc/passwd"),
            _info("hard.jpg", kind=tarfile.LNKTYPE, link="real.jpg"),
            _info("tty", kind=tarfile.CHRTYPE),
            _info("pipe", kind=tarfile.FIFOTYPE),
            ("real.jpg", b"real"),
        ],
        "w",
    )
    entries = _list(archive)
    assert _codes(entries) == [SkipCode.UNSUPPORTED] * 4 + [None]
    assert entries[0].skipped is not None and "/etc/passwd" in entries[0].skipped.detail
    assert _read_all(archive) == {"real.jpg": b"real"}


def test_duplicate_names_are_both_kept(tmp_path: Path) -> None:
    archive = _make_tar(tmp_path / "d.tar", [("a.jpg", b"first"), ("a.jpg", b"second")], "w")
    assert _read_all(archive) == {"a.jpg": b"first", "a.jpg#2": b"second"}


def test_truncated_tar_gz_lists_what_it_can_then_is_corrupt(tmp_path: Path) -> None:
    members = [(f"{i}.bin", os.urandom(20_000)) for i in range(4)]
    archive = _make_tar(tmp_path / "cut.tgz", members)
    archive.write_bytes(archive.read_bytes()[:50_000])
    entries = _list(archive)
    assert [e.provenance.path for e in entries[:2]] == ["0.bin", "1.bin"]
    last = entries[-1]
    assert last.skipped is not None and last.skipped.code is SkipCode.ARCHIVE_CORRUPT
    assert last.provenance.chain == ("cut.tgz",)
    streams = TarFormat.open_members(_ref(archive), entries[:1], LIMITS)
    assert [_stream(s).read() for _, s in streams] == [members[0][1]]


def test_truncated_plain_tar_is_corrupt(tmp_path: Path) -> None:
    archive = _make_tar(
        tmp_path / "cut.tar", [("a.bin", os.urandom(5000)), ("b.bin", os.urandom(5000))], "w"
    )
    archive.write_bytes(archive.read_bytes()[:8000])
    entries = _list(archive)
    assert entries[-1].skipped is not None and entries[-1].skipped.code is SkipCode.ARCHIVE_CORRUPT


def test_damaged_gzip_data_is_corrupt_without_raising(tmp_path: Path) -> None:
    archive = _make_tar(
        tmp_path / "bad.tgz", [(f"{i}.txt", b"text %d " % i * 500) for i in range(20)]
    )
    data = bytearray(archive.read_bytes())
    for at in range(len(data) // 2, len(data) // 2 + 40):
        data[at] ^= 0x5A
    archive.write_bytes(bytes(data))
    entries = _list(archive)
    assert entries[-1].skipped is not None and entries[-1].skipped.code is SkipCode.ARCHIVE_CORRUPT


def test_reading_a_member_of_a_damaged_archive_raises_corrupt(tmp_path: Path) -> None:
    archive = _make_tar(tmp_path / "bad.tgz", [("big.txt", os.urandom(200_000))])
    entries = _list(archive)
    data = bytearray(archive.read_bytes())
    archive.write_bytes(bytes(data[: len(data) // 2]))
    streams = TarFormat.open_members(_ref(archive), entries, LIMITS)
    _, stream = next(streams)
    with pytest.raises(ArchiveCorruptError):
        _stream(stream).read()


def test_tar_gz_bomb_is_stopped(tmp_path: Path) -> None:
    archive = _make_tar(
        tmp_path / "bomb.tgz",
        [("ok.txt", b"ok"), ("zeros.bin", bytes(8 * 1024 * 1024)), ("after.txt", b"x")],
    )
    entries = _list(archive)  # terminates without unpacking everything
    assert entries[0].skipped is None
    assert _codes(entries)[1:] == [SkipCode.ARCHIVE_BOMB, SkipCode.ARCHIVE_BOMB]
    assert entries[-1].provenance.path == ""  # the archive itself: the rest is not listed
    assert _read_all(archive) == {"ok.txt": b"ok"}


def test_decompression_is_counted_not_just_declared(tmp_path: Path) -> None:
    # Headers alone declare nothing, yet 4000 of them unpack to 2 MB from 25 kB.
    empties = [_info(f"e{i:05d}") for i in range(4000)]
    archive = _make_tar(tmp_path / "headers.tgz", [*empties, ("last.txt", b"x")])
    strict = Limits(max_archive_ratio=20)
    entries = _list(archive, strict)
    assert entries[-1].provenance.path == ""
    assert entries[-1].skipped is not None and entries[-1].skipped.code is SkipCode.ARCHIVE_BOMB
    assert all(e.skipped is None for e in entries[:-1])
    assert len(entries) < 4000
    lenient = _list(archive)
    assert lenient[-1].provenance.path == "last.txt"
    ((_, reason),) = TarFormat.open_members(_ref(archive), lenient[-1:], strict)
    assert isinstance(reason, SkipReason) and reason.code is SkipCode.ARCHIVE_BOMB


def test_cumulative_size_and_member_caps(tmp_path: Path) -> None:
    archive = _make_tar(tmp_path / "m.tar", [(f"{i}.bin", b"x" * 100_000) for i in range(5)], "w")
    # The third member would pass the cap; reading on past it passes the cap too, so it stops.
    total_capped = _list(archive, Limits(max_archive_total_bytes=250_000))
    assert _codes(total_capped) == [None, None, SkipCode.ARCHIVE_BOMB, SkipCode.ARCHIVE_BOMB]
    assert _codes(_list(archive, Limits(max_file_bytes=99_999))) == [SkipCode.TOO_LARGE] * 5
    capped = _list(archive, Limits(max_archive_members=2))
    assert _codes(capped) == [None, None, SkipCode.ARCHIVE_BOMB]


def test_undecodable_member_names_are_recorded_printably(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.jpg")
    archive = tmp_path / "latin.tar"
    with tarfile.open(archive, "w", format=tarfile.GNU_FORMAT, encoding="latin-1") as tf:
        tf.addfile(
            _info(name.encode("utf-8", "surrogateescape").decode("latin-1"), 1), io.BytesIO(b"x")
        )
    (entry,) = _list(archive)
    assert entry.provenance.path == "caf\\xe9.jpg"
    assert _read_all(archive) == {"caf\\xe9.jpg": b"x"}


def test_nested_archive_is_an_ordinary_member(tmp_path: Path) -> None:
    inner = _make_tar(tmp_path / "inner.tgz", [("deep.jpg", b"deep")])
    outer = _make_tar(tmp_path / "outer.tar", [("inner.tgz", inner.read_bytes())], "w")
    assert _read_all(outer) == {"inner.tgz": inner.read_bytes()}


def test_damaged_header_midway_is_reported_not_silently_ended(tmp_path: Path) -> None:
    archive = _make_tar(tmp_path / "h.tar", [(f"{i}.txt", b"%d" % i * 600) for i in range(4)], "w")
    data = bytearray(archive.read_bytes())
    third_header = 2 * (512 + 1024)
    assert data[third_header : third_header + 5] == b"2.txt"
    data[third_header + 148 : third_header + 156] = b"0000000\x00"  # a wrong checksum
    archive.write_bytes(bytes(data))
    entries = _list(archive)
    assert [e.provenance.path for e in entries[:2]] == ["0.txt", "1.txt"]
    assert _codes(entries)[2:] == [SkipCode.ARCHIVE_CORRUPT]


def test_archives_joined_together_are_reported(tmp_path: Path) -> None:
    first = _make_tar(tmp_path / "a.tar", [("a.txt", b"a")], "w")
    second = _make_tar(tmp_path / "b.tar", [("b.txt", b"b")], "w")
    joined = tmp_path / "joined.tar"
    joined.write_bytes(first.read_bytes() + second.read_bytes())
    entries = _list(joined)
    assert entries[0].provenance.path == "a.txt"
    assert _codes(entries) == [None, SkipCode.ARCHIVE_CORRUPT]
