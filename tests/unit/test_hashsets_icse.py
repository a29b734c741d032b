"""ICSE CSV: any delimiter, BOM, column order and boolean spelling in; the same entries out."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.kit.hashset_kit import HashSetFormatContract
from tests.kit.icse_files import ICSE_COLUMNS, icse_row, write_icse_csv
from tests.kit.nsrl_files import nsrl_rows, write_nsrl_v2
from vidtrace.hashsets import hashset_formats
from vidtrace.hashsets.base import (
    SNIFF_BYTES,
    BankEntry,
    HashSetFormatError,
    RejectedRecord,
    detect_format,
)
from vidtrace.hashsets.categories import category_info
from vidtrace.hashsets.icse import COLUMNS, IcseFormat, parse_yes_no
from vidtrace.hashsets.icse import write_icse_csv as write_entries

MD5 = "0123456789ABCDEF" * 2
SHA1 = "FEDCBA9876543210FEDC" * 2


def read_all(path: Path) -> list[BankEntry | RejectedRecord]:
    with IcseFormat.open(path) as reader:
        return list(reader)


def only_entry(path: Path) -> BankEntry:
    (entry,) = read_all(path)
    assert isinstance(entry, BankEntry), entry
    return entry


def test_registered_and_columns_pinned() -> None:
    assert hashset_formats.get("icse") is IcseFormat
    assert IcseFormat.default_bank_type == "known"
    assert COLUMNS == ICSE_COLUMNS


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_a_full_row_maps_to_an_entry(tmp_path: Path, delimiter: str) -> None:
    row = icse_row(
        MD5=MD5,
        SHA1=SHA1,
        PhotoDNA="AAEC,AwQF/+8=",
        **{
            "Image ID": "IMG-42",
            "Is distributed": "Yes",
            "Victim identified": "No",
            "Offender identified": "",
            "Series name": "Blue room; part 2",
            "Number of submissions": "7",
            "File Available": "Yes",
            "Media Type": "Video",
            "Baseline": "No",
        },
    )
    path = write_icse_csv(tmp_path / "icse.csv", [row], delimiter)
    with IcseFormat.open(path) as reader:
        assert reader.header.format == "icse"
        assert reader.header.extra["delimiter"] == delimiter
        entries = list(reader)
    assert entries == [
        BankEntry(
            record=1,
            md5=MD5.lower(),
            sha1=SHA1.lower(),
            photodna="AAEC,AwQF/+8=",
            category="icse",
            category_label=category_info("icse", "icse").label,
            victim_identified=False,
            offender_identified=None,
            is_distributed=True,
            series="Blue room; part 2",
            extra={
                "image_id": "IMG-42",
                "submissions": 7,
                "file_available": True,
                "media_type": "Video",
                "baseline": False,
            },
        )
    ]


def test_baseline_rows_get_the_baseline_category(tmp_path: Path) -> None:
    entry = only_entry(write_icse_csv(tmp_path / "icse.csv", [icse_row(Baseline="Yes")]))
    assert entry.category == "baseline"
    assert entry.category_label == category_info("icse", "baseline").label
    assert entry.extra["baseline"] is True


def test_bom_lf_line_ends_and_odd_headers(tmp_path: Path) -> None:
    columns = [" md5 ", "BASELINE", "sha1", *(c.lower() for c in ICSE_COLUMNS[2:11]), "Notes"]
    row = list(icse_row(MD5=MD5, Baseline="Y").values())
    row = [row[0], "Y", *row[1:11], "checked by unit 3"]
    path = write_icse_csv(tmp_path / "icse.csv", [row], columns=columns, bom=True, line_end="\n")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf md5 ;BASELINE;")
    assert detect_format(path) is IcseFormat
    entry = only_entry(path)
    assert entry.md5 == MD5.lower() and entry.category == "baseline"
    assert entry.extra["other_columns"] == {"Notes": "checked by unit 3"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Yes", True),
        ("yes", True),
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("Y", True),
        ("No", False),
        ("false", False),
        ("0", False),
        ("n", False),
        ("", None),
        ("  ", None),
    ],
)
def test_boolean_spellings(tmp_path: Path, text: str, value: bool | None) -> None:
    assert parse_yes_no(text) is value
    row = icse_row(**{"Victim identified": text})
    assert only_entry(write_icse_csv(tmp_path / "i.csv", [row])).victim_identified is value


def test_missing_columns_are_named(tmp_path: Path) -> None:
    columns = [c for c in ICSE_COLUMNS if c not in ("Image ID", "Baseline")]
    path = write_icse_csv(tmp_path / "icse.csv", [icse_row()], columns=columns)
    with pytest.raises(HashSetFormatError) as caught:
        IcseFormat.open(path)
    assert caught.value.record == 1
    assert "missing columns: Image ID, Baseline" in caught.value.message


def test_empty_file_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "icse.csv"
    path.write_bytes(b"")
    with pytest.raises(HashSetFormatError, match="missing columns: MD5, SHA1"):
        IcseFormat.open(path)


def test_bad_rows_are_rejected_with_their_numbers(tmp_path: Path) -> None:
    rows: list[dict[str, str] | list[str]] = [
        icse_row(1),
        ["only", "three", "fields"],
        icse_row(2, MD5="XYZ"),
        icse_row(3, MD5="", SHA1=""),
        icse_row(4, Baseline="maybe"),
        icse_row(5, **{"Number of submissions": "many"}),
        icse_row(6, **{"Number of submissions": "-3"}),
        icse_row(7, SHA1=""),
    ]
    entries = read_all(write_icse_csv(tmp_path / "icse.csv", rows))
    assert entries[1:7] == [
        RejectedRecord(2, "expected 12 fields, found 3"),
        RejectedRecord(3, "invalid MD5 'XYZ'"),
        RejectedRecord(4, "neither MD5 nor SHA1"),
        RejectedRecord(5, "Baseline: not a yes/no value: 'maybe'"),
        RejectedRecord(6, "Number of submissions: not a whole number: 'many'"),
        RejectedRecord(7, "Number of submissions: not a whole number: '-3'"),
    ]
    assert [e.record for e in entries if isinstance(e, BankEntry)] == [1, 8]
    last = entries[7]
    assert isinstance(last, BankEntry) and last.sha1 is None and last.md5


def test_a_line_that_is_not_utf8_rejects_only_its_record(tmp_path: Path) -> None:
    path = write_icse_csv(tmp_path / "icse.csv", [icse_row(1)])
    with open(path, "ab") as out:
        out.write(";".join(icse_row(2, **{"Series name": "Caf\xe9"}).values()).encode("cp1252"))
        out.write(b"\r\n" + ";".join(icse_row(3).values()).encode() + b"\r\n")
    entries = read_all(path)
    assert entries[1] == RejectedRecord(2, "not UTF-8 text (save the file as UTF-8)")
    assert [e.record for e in entries if isinstance(e, BankEntry)] == [1, 3]


def test_a_header_that_is_not_utf8_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "icse.csv"
    path.write_bytes(";".join(ICSE_COLUMNS).encode() + b";Not\xe9s\r\n")
    with pytest.raises(HashSetFormatError, match="not UTF-8") as caught:
        IcseFormat.open(path)
    assert caught.value.record == 1


def test_sniff_is_specific(tmp_path: Path) -> None:
    icse = write_icse_csv(tmp_path / "icse.csv", [icse_row()], "\t")
    nsrl = write_nsrl_v2(tmp_path / "NSRLFile.txt", nsrl_rows(1))
    vics = tmp_path / "vics.json"
    record = f'{{"MD5":"{MD5}","Image ID":1,"Baseline":1}}'
    vics.write_text(f'{{"odata.metadata":"x","value":[{record}]}}')

    def sniff(path: Path) -> bool:
        return IcseFormat.sniff(path, path.read_bytes()[:SNIFF_BYTES])

    assert sniff(icse)
    assert not sniff(nsrl) and not sniff(vics)
    assert detect_format(icse) is IcseFormat


# --- writing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_round_trip_gives_the_same_entries(tmp_path: Path, delimiter: str) -> None:
    rows = [
        icse_row(1, PhotoDNA="AAEC,AwQF/+8=;x\ty", Baseline="Yes"),
        icse_row(2, **{"Series name": 'The "red"; series, part\t2', "Media Type": "Video"}),
        {"MD5": MD5},  # everything else empty
        {"SHA1": SHA1, "Baseline": "No", "File Available": "No"},
    ]
    first = read_all(write_icse_csv(tmp_path / "in.csv", rows))
    assert all(isinstance(e, BankEntry) for e in first)
    path = tmp_path / "out.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        assert write_entries(out, (e for e in first if isinstance(e, BankEntry)), delimiter) == 4
    assert path.read_text(encoding="utf-8").splitlines()[0] == delimiter.join(ICSE_COLUMNS)
    again = read_all(path)
    assert again == first  # records are numbered alike here, so whole entries compare equal
    assert isinstance(again[2], BankEntry) and again[2].extra == {}
    assert again[2].photodna is None and again[2].series is None


def test_writer_takes_entries_from_other_formats() -> None:
    entries = [
        BankEntry(record=1, md5=MD5.lower(), category="baseline", mime_type="image/jpeg"),
        BankEntry(record=2, sha256="ab" * 32),  # nothing ICSE can match on: left out
        BankEntry(record=3, sha1=SHA1.lower(), is_distributed=False, extra={"baseline": False}),
    ]
    out = io.StringIO(newline="")
    assert write_entries(out, entries) == 2
    lines = out.getvalue().split("\r\n")
    assert lines[1] == f"{MD5.lower()};;;;;;;;;;Image;Yes"
    assert lines[2] == f";{SHA1.lower()};;;No;;;;;;;No"


def test_writer_refuses_other_delimiters() -> None:
    with pytest.raises(ValueError, match="delimiter"):
        write_entries(io.StringIO(), [], "|")


class TestIcseContract(HashSetFormatContract):
    format = IcseFormat

    def write_sample(self, path: Path, count: int) -> Path:
        rows = [icse_row(seed) for seed in range(count - 1)] + [icse_row(99, MD5="not hex")]
        return write_icse_csv(path, rows)
