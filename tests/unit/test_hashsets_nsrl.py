"""NSRL RDS: v3 SQLite releases and v2 NSRLFile.txt, streamed into known-good entries."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from tests.kit.hashset_kit import HashSetFormatContract
from tests.kit.icse_files import icse_row, write_icse_csv
from tests.kit.nsrl_files import NsrlRow, build_rds_v3, nsrl_rows, write_nsrl_v2
from vidtrace.hashsets import hashset_formats
from vidtrace.hashsets.base import (
    SNIFF_BYTES,
    BankEntry,
    HashSetFormatError,
    RejectedRecord,
    detect_format,
)
from vidtrace.hashsets.nsrl import NsrlFormat

SHA256 = "AB" * 32
SHA1 = "CD" * 20
MD5 = "EF" * 16


def read_all(path: Path) -> list[BankEntry | RejectedRecord]:
    with NsrlFormat.open(path) as reader:
        return list(reader)


def test_registered_as_known_good() -> None:
    assert hashset_formats.get("nsrl") is NsrlFormat
    assert NsrlFormat.default_bank_type == "known-good"


# --- RDS v3 -----------------------------------------------------------------------------------


def test_v3_file_view_rows_become_lower_case_entries(tmp_path: Path) -> None:
    row = NsrlRow(SHA256, SHA1, MD5, crc32="0A1B2C3D", file_name="kernel32.dll", file_size=4096)
    path = build_rds_v3(tmp_path / "rds.db", [row])
    with NsrlFormat.open(path) as reader:
        assert reader.header.format == "nsrl"
        assert reader.header.version == "RDS v3 2024.03.1"
        assert reader.header.source == "NSRL Modern RDS (minimal)"
        assert reader.header.extra["layout"] == "v3"
        assert reader.header.extra["build_set"] == "Modern"
        entries = list(reader)
    assert entries == [
        BankEntry(
            record=1,
            md5=MD5.lower(),
            sha1=SHA1.lower(),
            sha256=SHA256.lower(),
            media_size=4096,
            file_paths=("kernel32.dll",),
            extra={"crc32": "0a1b2c3d", "package_id": 1},
        )
    ]
    assert entries[0].category is None


def test_v3_without_version_table_and_with_file_as_table(tmp_path: Path) -> None:
    rows = list(nsrl_rows(3))
    path = build_rds_v3(tmp_path / "rds.db", rows, version=None, file_as_view=False)
    with NsrlFormat.open(path) as reader:
        assert reader.header.version == "RDS v3"
        entries = list(reader)
    assert [e.sha1 for e in entries if isinstance(e, BankEntry)] == [r.sha1.lower() for r in rows]
    assert [e.record for e in entries] == [1, 2, 3]


def test_v3_column_names_match_in_any_case(tmp_path: Path) -> None:
    rows = list(nsrl_rows(2))
    path = build_rds_v3(tmp_path / "rds.db", rows, upper_case_columns=True)
    entries = read_all(path)
    assert [(e.md5, e.media_size) for e in entries if isinstance(e, BankEntry)] == [
        (r.md5.lower(), r.file_size) for r in rows
    ]


def test_v3_optional_columns_may_be_absent(tmp_path: Path) -> None:
    path = build_rds_v3(
        tmp_path / "rds.db", nsrl_rows(1), omit_columns=("crc32", "file_name", "package_id")
    )
    (entry,) = read_all(path)
    assert isinstance(entry, BankEntry)
    assert entry.file_paths == () and entry.extra == {}


def test_v3_without_file_is_a_format_error(tmp_path: Path) -> None:
    path = build_rds_v3(tmp_path / "rds.db", nsrl_rows(1), with_file=False)
    with pytest.raises(HashSetFormatError, match="FILE") as caught:
        NsrlFormat.open(path)
    assert caught.value.record == 0
    assert not NsrlFormat.sniff(path, path.read_bytes()[:SNIFF_BYTES])


def test_v3_damaged_database_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "rds.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 8)
    assert not NsrlFormat.sniff(path, path.read_bytes())
    with pytest.raises(HashSetFormatError, match=r"rds\.db") as caught:
        NsrlFormat.open(path)
    assert caught.value.record == 0


def test_v3_missing_hash_columns_are_named(tmp_path: Path) -> None:
    path = build_rds_v3(tmp_path / "rds.db", nsrl_rows(1), omit_columns=("sha1", "md5"))
    with pytest.raises(HashSetFormatError, match="sha1, md5") as caught:
        NsrlFormat.open(path)
    assert caught.value.record == 0


def test_v3_bad_hashes_are_rejected_and_reading_goes_on(tmp_path: Path) -> None:
    rows = [
        NsrlRow(SHA256, SHA1, MD5),
        NsrlRow("ZZ" * 32, SHA1, MD5),
        NsrlRow(SHA256, SHA1[:-2], MD5),
        NsrlRow("", "", ""),
        NsrlRow("", SHA1, ""),
    ]
    entries = read_all(build_rds_v3(tmp_path / "rds.db", rows))
    assert [type(e).__name__ for e in entries] == [
        "BankEntry",
        "RejectedRecord",
        "RejectedRecord",
        "RejectedRecord",
        "BankEntry",
    ]
    assert entries[1] == RejectedRecord(2, f"invalid SHA256 {'ZZ' * 32!r}")
    assert isinstance(entries[2], RejectedRecord) and "SHA1" in entries[2].reason
    assert entries[3] == RejectedRecord(4, "no hash")
    assert isinstance(entries[4], BankEntry) and entries[4].hashes() == {"sha1": SHA1.lower()}


def test_v3_streams_many_rows_quickly(tmp_path: Path) -> None:
    path = build_rds_v3(tmp_path / "rds.db", nsrl_rows(50_000, seed=7))
    started = time.perf_counter()
    count = 0
    with NsrlFormat.open(path) as reader:
        for entry in reader:
            assert isinstance(entry, BankEntry)
            count += 1
    assert count == 50_000
    assert entry.record == 50_000
    assert time.perf_counter() - started < 5  # about 0.1 s on a laptop


def test_v3_is_opened_read_only(tmp_path: Path) -> None:
    path = build_rds_v3(tmp_path / "rds.db", nsrl_rows(1))
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        assert len(read_all(path)) == 1
    finally:
        path.chmod(0o644)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rds.db"]


def test_v3_path_with_uri_characters(tmp_path: Path) -> None:
    folder = tmp_path / "RDS 2024 #1 ?x%20"
    folder.mkdir()
    path = build_rds_v3(folder / "rds.db", nsrl_rows(2))
    assert detect_format(path) is NsrlFormat
    assert len(read_all(path)) == 2


# --- RDS v2 -----------------------------------------------------------------------------------


def test_v2_quoted_upper_case_values_are_normalised(tmp_path: Path) -> None:
    row = NsrlRow(SHA256, SHA1, MD5, crc32="0A1B2C3D", file_name="notepad.exe", package_id=1234)
    path = write_nsrl_v2(tmp_path / "NSRLFile.txt", [row])
    assert path.read_text().splitlines()[1].startswith(f'"{SHA1}","{MD5}","0A1B2C3D"')
    with NsrlFormat.open(path) as reader:
        assert reader.header.version == "RDS v2"
        entries = list(reader)
    assert entries == [
        BankEntry(
            record=1,
            md5=MD5.lower(),
            sha1=SHA1.lower(),
            media_size=1024,
            file_paths=("notepad.exe",),
            extra={"crc32": "0a1b2c3d", "product_code": 1234, "os_code": "358"},
        )
    ]


def test_v2_with_bom_and_special_code(tmp_path: Path) -> None:
    row = NsrlRow(SHA256, SHA1, MD5, special_code="M")
    path = write_nsrl_v2(tmp_path / "NSRLFile.txt", [row], bom=True)
    assert detect_format(path) is NsrlFormat
    (entry,) = read_all(path)
    assert isinstance(entry, BankEntry) and entry.extra["special_code"] == "M"


def test_v2_wrong_header_names_expected_and_found(tmp_path: Path) -> None:
    header = ("SHA-1", "MD5", "CRC32", "FileName", "FileSize", "ProductCode")
    path = write_nsrl_v2(tmp_path / "NSRLFile.txt", nsrl_rows(1), header=header)
    with pytest.raises(HashSetFormatError) as caught:
        NsrlFormat.open(path)
    assert caught.value.record == 1
    assert "expected columns SHA-1, MD5, CRC32" in caught.value.message
    assert "OpSystemCode" in caught.value.message
    assert "found SHA-1, MD5, CRC32, FileName, FileSize, ProductCode" in caught.value.message


def test_v2_bad_rows_are_rejected_with_their_numbers(tmp_path: Path) -> None:
    good = list(nsrl_rows(2))
    rows: list[NsrlRow | list[str]] = [
        good[0],
        [SHA1, MD5, "0A1B2C3D", "short.dll"],
        [SHA1[:-1] + "G", MD5, "", "bad.dll", "1", "1", "358", ""],
        [SHA1, MD5, "", "size.dll", "big", "1", "358", ""],
        ["", "", "", "nohash.dll", "1", "1", "358", ""],
        good[1],
    ]
    entries = read_all(write_nsrl_v2(tmp_path / "NSRLFile.txt", rows))
    assert entries[1:5] == [
        RejectedRecord(2, "expected 8 fields, found 4"),
        RejectedRecord(3, f"invalid SHA1 {SHA1[:-1] + 'G'!r}"),
        RejectedRecord(4, "invalid FileSize 'big'"),
        RejectedRecord(5, "no SHA-1 or MD5"),
    ]
    assert [e.record for e in entries if isinstance(e, BankEntry)] == [1, 6]
    assert isinstance(entries[5], BankEntry) and entries[5].sha1 == good[1].sha1.lower()


def test_v2_trailing_blank_line_is_not_a_record(tmp_path: Path) -> None:
    path = write_nsrl_v2(tmp_path / "NSRLFile.txt", nsrl_rows(2))
    with open(path, "a", encoding="utf-8", newline="") as out:
        out.write("\r\n")
    assert [e.record for e in read_all(path)] == [1, 2]


# --- detection ---------------------------------------------------------------------------------


def _vics_json(path: Path) -> Path:
    report = {
        "odata.metadata": "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US",
        "value": [{"MD5": MD5, "SHA1": SHA1, "Category": 1, "Media": []}],
    }
    path.write_text(json.dumps(report), encoding="utf-8")
    return path


def test_sniff_tells_the_layouts_from_each_other_and_from_other_formats(tmp_path: Path) -> None:
    v3 = build_rds_v3(tmp_path / "rds.db", nsrl_rows(2))
    v2 = write_nsrl_v2(tmp_path / "NSRLFile.txt", nsrl_rows(2))
    icse = write_icse_csv(tmp_path / "icse.csv", [icse_row(1)])
    vics = _vics_json(tmp_path / "vics.json")
    other_sqlite = tmp_path / "other.db"
    conn = sqlite3.connect(other_sqlite)
    conn.execute("CREATE TABLE media (sha1 TEXT)")
    conn.close()

    def sniff(path: Path) -> bool:
        return NsrlFormat.sniff(path, path.read_bytes()[:SNIFF_BYTES])

    assert sniff(v3) and sniff(v2)
    assert not sniff(icse) and not sniff(vics) and not sniff(other_sqlite)
    assert detect_format(v3) is NsrlFormat
    assert detect_format(v2) is NsrlFormat
    assert detect_format(icse).name == "icse"
    try:
        vics_format = detect_format(vics).name
    except HashSetFormatError:
        vics_format = "unknown"  # before the VICS format is registered
    assert vics_format in ("vics", "unknown")
    with pytest.raises(HashSetFormatError, match="not a recognised hash-set format"):
        detect_format(other_sqlite)


class TestNsrlV2Contract(HashSetFormatContract):
    format = NsrlFormat

    def write_sample(self, path: Path, count: int) -> Path:
        rows: list[object] = list(nsrl_rows(count - 1))
        rows.append(("XYZ", "not-hex", "", "bad.dll", "1", "1", "1", ""))
        return write_nsrl_v2(path, rows)  # type: ignore[arg-type]


class TestNsrlV3Contract(HashSetFormatContract):
    format = NsrlFormat

    def write_sample(self, path: Path, count: int) -> Path:
        rows = [*nsrl_rows(count - 1), NsrlRow(sha256="zz" * 32, sha1="A" * 40, md5="B" * 32)]
        return build_rds_v3(path, rows)
