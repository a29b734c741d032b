"""Zip members listed and streamed in place; hostile zips become skipped entries."""

from __future__ import annotations

import calendar
import io
import os
import struct
import warnings
import zipfile
from pathlib import Path
from typing import BinaryIO

import pytest

from vidtrace.config import Limits
from vidtrace.domain.provenance import Provenance
from vidtrace.domain.skip import SkipCode, SkipReason
from vidtrace.sources.archive import ArchiveBombError, ArchiveCorruptError, find_format
from vidtrace.sources.base import ContainerRef, SourceEntry
from vidtrace.sources.zip import ZipFormat

LIMITS = Limits()


def _make_zip(
    path: Path, members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED
) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are written on purpose
        with zipfile.ZipFile(path, "w", compression=method) as zf:
            for name, data in members:
                info = zipfile.ZipInfo(name, date_time=(2021, 3, 4, 5, 6, 8))
                info.compress_type = method
                zf.writestr(info, data)
    return path


def _ref(path: Path) -> ContainerRef:
    return ContainerRef(fs_path=str(path), chain=(path.name,), format="zip")


def _list(path: Path, limits: Limits = LIMITS) -> list[SourceEntry]:
    return list(ZipFormat.list_members(_ref(path), limits))


def _stream(value: BinaryIO | SkipReason) -> BinaryIO:
    assert not isinstance(value, SkipReason), value
    return value


def _reason(value: BinaryIO | SkipReason) -> SkipReason:
    assert isinstance(value, SkipReason), value
    return value


def _read_all(path: Path, limits: Limits = LIMITS) -> dict[str, bytes]:
    entries = _list(path, limits)
    return {
        entry.provenance.path: stream.read()
        for entry, stream in ZipFormat.open_members(_ref(path), entries, limits)
        if not isinstance(stream, SkipReason)
    }


def _patch_headers(
    path: Path, name: bytes, offset_local: int, offset_central: int, value: bytes
) -> None:
    """Overwrite one field of a member's local and central headers."""
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", offset_local), (b"PK\x01\x02", offset_central)):
        at = data.find(signature)
        while at >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                data[at + offset : at + offset + len(value)] = value
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))


def test_members_are_listed_and_read(tmp_path: Path) -> None:
    archive = _make_zip(
        tmp_path / "case.zip",
        [("photos/a.jpg", b"A" * 100), ("b.png", b"B" * 10), ("photos/", b"")],
    )
    entries = _list(archive)
    assert [e.provenance.path for e in entries] == ["photos/a.jpg", "b.png"]  # no directories
    first = entries[0]
    assert first.skipped is None and first.fs_path is None
    assert (first.container, first.member, first.declared_size) == (
        _ref(archive),
        "photos/a.jpg",
        100,
    )
    assert first.provenance.chain == ("case.zip",)
    assert first.provenance.size == 100
    assert first.provenance.mtime == calendar.timegm((2021, 3, 4, 5, 6, 8, 0, 0, 0))
    assert _read_all(archive) == {"photos/a.jpg": b"A" * 100, "b.png": b"B" * 10}


@pytest.mark.parametrize(
    "method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]
)
def test_every_common_compression_method_reads_back(tmp_path: Path, method: int) -> None:
    payload = os.urandom(70_000) + bytes(70_000)
    archive = _make_zip(tmp_path / "m.zip", [("a.bin", payload), ("b.bin", b"b")], method)
    assert _read_all(archive) == {"a.bin": payload, "b.bin": b"b"}


def test_stored_member_with_a_lying_size_raises(tmp_path: Path) -> None:
    archive = _make_zip(tmp_path / "s.zip", [("liar.bin", os.urandom(200_000))], zipfile.ZIP_STORED)
    _patch_headers(archive, b"liar.bin", 22, 24, struct.pack("<I", 10))
    streams = ZipFormat.open_members(_ref(archive), _list(archive), LIMITS)
    _, liar = next(streams)
    with pytest.raises(ArchiveBombError):
        _stream(liar).read()


def test_zip_is_found_by_mime(tmp_path: Path) -> None:
    archive = _make_zip(tmp_path / "x.bin", [("a", b"a")])
    assert find_format(archive, "application/zip") is ZipFormat
    assert find_format(archive, "image/jpeg") is None


def test_streams_come_in_archive_order_for_a_subset(tmp_path: Path) -> None:
    archive = _make_zip(tmp_path / "c.zip", [(f"{i}.txt", bytes([65 + i]) * 3) for i in range(5)])
    entries = _list(archive)
    wanted = [entries[3], entries[1]]
    streams = ZipFormat.open_members(_ref(archive), wanted, LIMITS)
    got = [(e.provenance.path, _stream(s).read()) for e, s in streams]
    assert got == [("1.txt", b"BBB"), ("3.txt", b"DDD")]


@pytest.mark.parametrize(
    "name",
    [
        "../evil.jpg",
        "a/../../evil.jpg",
        "/abs.jpg",
        "C:\\x.jpg",
        "c:x.jpg",
        "\\\\server\\share\\x.jpg",
        "..\\evil.jpg",
    ],
)
def test_unsafe_names_are_skipped_while_good_members_are_read(tmp_path: Path, name: str) -> None:
    archive = _make_zip(
        tmp_path / "u.zip", [("good1.jpg", b"1"), (name, b"evil"), ("good2.jpg", b"2")]
    )
    entries = _list(archive)
    bad = [e for e in entries if e.skipped]
    assert len(bad) == 1
    assert bad[0].skipped is not None and bad[0].skipped.code is SkipCode.UNSAFE_PATH
    assert repr(name) in bad[0].skipped.detail
    assert _read_all(archive) == {"good1.jpg": b"1", "good2.jpg": b"2"}


def test_nul_in_a_name_is_unsafe(tmp_path: Path) -> None:
    archive = _make_zip(tmp_path / "n.zip", [("nulXname.jpg", b"x"), ("ok.jpg", b"y")])
    _patch_headers(archive, b"nulXname", 30, 46, b"nul\x00")  # rewrites the name bytes in place
    entries = _list(archive)
    assert entries[0].skipped is not None and entries[0].skipped.code is SkipCode.UNSAFE_PATH
    assert "NUL" in entries[0].skipped.detail
    assert _read_all(archive) == {"ok.jpg": b"y"}


def test_backslash_names_become_posix_paths(tmp_path: Path) -> None:
    archive = _make_zip(tmp_path / "w.zip", [("dir\\sub\\a.jpg", b"a")])
    (entry,) = _list(archive)
    assert entry.provenance.path == "dir/sub/a.jpg"
    assert entry.member == "dir\\sub\\a.jpg"
    assert _read_all(archive) == {"dir/sub/a.jpg": b"a"}


def test_high_ratio_member_is_a_bomb(tmp_path: Path) -> None:
    archive = _make_zip(
        tmp_path / "bomb.zip", [("ok.txt", b"fine"), ("zeros.bin", bytes(4 * 1024 * 1024))]
    )
    entries = _list(archive)
    bomb = entries[1].skipped
    assert bomb is not None and bomb.code is SkipCode.ARCHIVE_BOMB and "ratio" in bomb.detail
    assert _read_all(archive) == {"ok.txt": b"fine"}


def test_small_members_may_compress_well(tmp_path: Path) -> None:
    archive = _make_zip(tmp_path / "small.zip", [("zeros.bin", bytes(512 * 1024))])
    assert _list(archive)[0].skipped is None


def test_cumulative_size_is_capped(tmp_path: Path) -> None:
    archive = _make_zip(
        tmp_path / "many.zip",
        [(f"{i}.bin", os.urandom(1000)) for i in range(5)],
        zipfile.ZIP_STORED,
    )
    entries = _list(archive, Limits(max_archive_total_bytes=2500))
    codes = [e.skipped.code if e.skipped else None for e in entries]
    assert codes == [
        None,
        None,
        SkipCode.ARCHIVE_BOMB,
        SkipCode.ARCHIVE_BOMB,
        SkipCode.ARCHIVE_BOMB,
    ]


def test_too_many_members_is_a_bomb(tmp_path: Path) -> None:
    archive = _make_zip(tmp_path / "many.zip", [(f"{i}.txt", b"x") for i in range(5)])
    (entry,) = _list(archive, Limits(max_archive_members=3))
    assert entry.skipped is not None and entry.skipped.code is SkipCode.ARCHIVE_BOMB
    assert entry.provenance.chain == ("many.zip",)


def test_member_larger_than_the_file_limit(tmp_path: Path) -> None:
    archive = _make_zip(tmp_path / "big.zip", [("big.bin", os.urandom(100)), ("small.bin", b"s")])
    entries = _list(archive, Limits(max_file_bytes=50))
    assert entries[0].skipped is not None and entries[0].skipped.code is SkipCode.TOO_LARGE
    assert entries[1].skipped is None


def test_lying_size_header_raises_when_read_beyond(tmp_path: Path) -> None:
    payload = os.urandom(300 * 1024)
    archive = _make_zip(tmp_path / "liar.zip", [("liar.bin", payload), ("ok.bin", b"ok")])
    _patch_headers(archive, b"liar.bin", 22, 24, struct.pack("<I", 1000))  # file_size fields
    entries = _list(archive)
    assert entries[0].declared_size == 1000 and entries[0].skipped is None
    streams = ZipFormat.open_members(_ref(archive), entries, LIMITS)
    _, liar = next(streams)
    with pytest.raises(ArchiveBombError) as caught:
        _stream(liar).read()
    assert caught.value.reason.code is SkipCode.ARCHIVE_BOMB
    entry, ok = next(streams)
    assert entry.provenance.path == "ok.bin" and _stream(ok).read() == b"ok"


def test_damaged_member_data_raises_corrupt(tmp_path: Path) -> None:
    archive = _make_zip(tmp_path / "crc.zip", [("a.txt", b"hello world " * 50)])
    data = bytearray(archive.read_bytes())
    data[30 + len("a.txt") + 5] ^= 0xFF  # inside the compressed data
    archive.write_bytes(bytes(data))
    entries = _list(archive)
    streams = ZipFormat.open_members(_ref(archive), entries, LIMITS)  # keep it: streams die with it
    _, stream = next(streams)
    with pytest.raises(ArchiveCorruptError) as caught:
        _stream(stream).read()
    assert caught.value.reason.code is SkipCode.ARCHIVE_CORRUPT


def test_truncated_zip_is_corrupt_without_raising(tmp_path: Path) -> None:
    archive = _make_zip(tmp_path / "cut.zip", [("a.txt", os.urandom(5000)), ("b.txt", b"b")])
    archive.write_bytes(archive.read_bytes()[:3000])
    (entry,) = _list(archive)
    assert entry.skipped is not None and entry.skipped.code is SkipCode.ARCHIVE_CORRUPT
    assert entry.provenance.chain == ("cut.zip",)


def test_garbage_after_zip_magic_is_corrupt(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04" + os.urandom(2000))
    (entry,) = _list(junk)
    assert entry.skipped is not None and entry.skipped.code is SkipCode.ARCHIVE_CORRUPT
    assert list(ZipFormat.open_members(_ref(junk), [entry], LIMITS)) == []


def test_corrupt_zip_answers_open_requests_with_reasons(tmp_path: Path) -> None:
    archive = _make_zip(tmp_path / "gone.zip", [("a.txt", b"a")])
    entries = _list(archive)
    archive.write_bytes(b"PK\x03\x04 now broken")
    ((entry, reason),) = ZipFormat.open_members(_ref(archive), entries, LIMITS)
    assert entry is entries[0]
    assert _reason(reason).code is SkipCode.ARCHIVE_CORRUPT


def test_encrypted_member_is_unsupported(tmp_path: Path) -> None:
    archive = _make_zip(tmp_path / "enc.zip", [("secret.jpg", b"s"), ("open.jpg", b"o")])
    _patch_headers(archive, b"secret.jpg", 6, 8, b"\x01\x00")  # general purpose flag: encrypted
    entries = _list(archive)
    assert entries[0].skipped is not None and entries[0].skipped.code is SkipCode.UNSUPPORTED
    assert "encrypted" in entries[0].skipped.detail
    assert _read_all(archive) == {"open.jpg": b"o"}


def test_unknown_compression_method_is_unsupported(tmp_path: Path) -> None:
    archive = _make_zip(tmp_path / "m.zip", [("odd.bin", b"odd")])
    _patch_headers(archive, b"odd.bin", 8, 10, struct.pack("<H", 99))
    (entry,) = _list(archive)
    assert entry.skipped is not None and entry.skipped.code is SkipCode.UNSUPPORTED


def test_duplicate_names_are_both_kept(tmp_path: Path) -> None:
    archive = _make_zip(tmp_path / "dup.zip", [("a.jpg", b"first"), ("a.jpg", b"second")])
    entries = _list(archive)
    assert [e.provenance.path for e in entries] == ["a.jpg", "a.jpg#2"]
    assert [e.member for e in entries] == ["a.jpg", "a.jpg"]
    assert _read_all(archive) == {"a.jpg": b"first", "a.jpg#2": b"second"}


def test_nested_zip_is_an_ordinary_member(tmp_path: Path) -> None:
    inner = _make_zip(tmp_path / "inner.zip", [("deep.jpg", b"deep")])
    outer = _make_zip(tmp_path / "outer.zip", [("inner.zip", inner.read_bytes())])
    (entry,) = _list(outer)
    assert entry.provenance.path == "inner.zip" and entry.skipped is None
    read = _read_all(outer)["inner.zip"]
    with zipfile.ZipFile(io.BytesIO(read)) as zf:
        assert zf.read("deep.jpg") == b"deep"


def test_empty_zip_lists_nothing(tmp_path: Path) -> None:
    archive = _make_zip(tmp_path / "empty.zip", [])
    assert _list(archive) == []


def test_member_not_found_is_reported(tmp_path: Path) -> None:
    archive = _make_zip(tmp_path / "a.zip", [("a.txt", b"a")])
    (entry,) = _list(archive)
    ghost = SourceEntry(
        Provenance(("a.zip",), "ghost.txt"), container=_ref(archive), member="ghost.txt"
    )
    (real, _), (got, reason) = ZipFormat.open_members(_ref(archive), [ghost, entry], LIMITS)
    assert real is entry
    assert got is ghost and _reason(reason).code is SkipCode.ARCHIVE_CORRUPT


def test_many_small_well_compressed_members_are_a_bomb_together(tmp_path: Path) -> None:
    members = [(f"{i}.bin", bytes(512 * 1024)) for i in range(8)]  # each alone is allowed
    archive = _make_zip(tmp_path / "spread.zip", [("first.txt", b"first"), *members])
    entries = _list(archive)
    assert entries[0].skipped is None and entries[1].skipped is None
    last = entries[-1].skipped
    assert last is not None and last.code is SkipCode.ARCHIVE_BOMB
    assert "archive would unpack" in last.detail
