"""VICS JSON: both envelopes and forms, exporters' spellings, rejections, streaming, writer.

All data is synthetic: random hex hashes, made-up case numbers and file names.
"""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.kit.hashset_files import (
    envelope,
    vics_case,
    vics_media,
    write_vics,
    write_vics_stream,
    write_vics_text,
)
from tests.kit.hashset_kit import HashSetFormatContract
from vidtrace.hashsets import hashset_formats
from vidtrace.hashsets.base import (
    BankEntry,
    HashSetFormatError,
    RejectedRecord,
    detect_format,
)
from vidtrace.hashsets.categories import (
    VERDICTS,
    category_info,
    category_profile,
    is_no_verdict,
    profile_names,
)
from vidtrace.hashsets.vics import VicsCase, VicsFormat, VicsReader, parse_context
from vidtrace.hashsets.vics_values import (
    join_file_path,
    read_bool,
    read_date,
    read_int,
    read_text,
    split_file_path,
)
from vidtrace.hashsets.vics_writer import write_vics_cases, write_vics_media

MD5 = "0123456789abcdef" * 2
SHA1 = "fedcba9876543210fedc" * 2
SHA256 = "ab" * 32
PDQ = "f0" * 32
PHOTODNA_BASE64 = ("QUJD" * 48)[:192]
PHOTODNA_HEX = "0a" * 144


def read_all(path: Path) -> list[BankEntry | RejectedRecord]:
    with VicsFormat.open(path) as reader:
        return list(reader)


def entries_of(path: Path) -> list[BankEntry]:
    found = read_all(path)
    assert all(isinstance(item, BankEntry) for item in found), found
    return [item for item in found if isinstance(item, BankEntry)]


def only_entry(tmp_path: Path, profile: str = "US", **fields: Any) -> BankEntry:
    path = write_vics(tmp_path / "one.json", [vics_media(1, **fields)], profile=profile)
    (entry,) = entries_of(path)
    return entry


# --- registration, sniffing, envelopes ------------------------------------------------------


def test_registered_and_detected(tmp_path: Path) -> None:
    assert hashset_formats.get("vics") is VicsFormat
    for name, kwargs in [
        ("v2.json", {}),
        ("v2-cases.json", {"form": "Cases"}),
        ("v13.json", {"version": "1.3"}),
        ("bom.json", {"bom": True}),
    ]:
        path = write_vics(tmp_path / name, [vics_media(1)], **kwargs)
        assert detect_format(path) is VicsFormat, name


def test_sniff_needs_an_object_with_a_context_key() -> None:
    sniff = VicsFormat.sniff
    assert sniff(Path("x.json"), b'\xef\xbb\xbf \n {"odata.metadata": "x", "value": []}')
    assert sniff(Path("x.json"), b'{"value": [], "@odata.context": "x"}')
    assert not sniff(Path("x.json"), b'{"value": []}')
    assert not sniff(Path("x.json"), b'["@odata.context"]')
    assert not sniff(Path("x.csv"), b"MD5,SHA1\n")


@pytest.mark.parametrize(
    ("version", "form", "profile", "expected_profile"),
    [
        ("2.0", "Media", "US", "US"),
        ("2.0", "Cases", "UK", "UK"),
        ("2.0", "Media", "CUSTOM", "CUSTOM"),
        ("1.1", "Media", "US", "Default"),
        ("1.2", "Media", "US", "Default"),
        ("1.3", "Media", "US", "Default"),
    ],
)
def test_header(
    tmp_path: Path, version: str, form: str, profile: str, expected_profile: str
) -> None:
    path = write_vics(tmp_path / "h.json", [vics_media(1)], version, form, profile)
    with VicsFormat.open(path) as reader:
        assert reader.header.format == "vics"
        assert reader.header.version == version
        assert reader.header.profile == expected_profile
        assert reader.header.source == next(iter(envelope(version, form, profile).values()))
        assert reader.header.extra == {"form": form}
        assert len(list(reader)) == 1


def test_context_urls() -> None:
    url = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Cases"
    assert parse_context(url).profile == "Default"
    assert parse_context(url).form == "Cases"
    bare = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/$metadata#Media"
    assert (parse_context(bare).version, parse_context(bare).profile) == ("2.0", "Default")
    with pytest.raises(HashSetFormatError, match=r"unsupported VICS version 3\.0"):
        parse_context(url.replace("2.0.xml", "3.0.xml"))
    with pytest.raises(HashSetFormatError, match="#Alerts"):
        parse_context(url.replace("#Cases", "#Alerts"))
    with pytest.raises(HashSetFormatError, match="not a VICS context URL"):
        parse_context("http://example.org/$metadata#Media")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"value": []}', "no @odata.context or odata.metadata"),
        ('[{"@odata.context": "x"}]', "not an object"),
        ('{"@odata.context": "' + envelope()["@odata.context"] + '", "value": {}}', "not a list"),
        ('{"@odata.context": "' + envelope()["@odata.context"] + '"}', "no 'value'"),
        ('{"@odata.context": 5, "value": []}', "not text"),
        ('{"@odata.context": "x", "value": []}', "not a VICS context URL"),
        ('{"@odata.context": "x", "val', "malformed JSON"),
        ("", "malformed JSON"),
    ],
)
def test_structural_faults_at_open(tmp_path: Path, text: str, message: str) -> None:
    path = write_vics_text(tmp_path / "bad.json", text)
    with pytest.raises(HashSetFormatError, match=message) as caught:
        VicsFormat.open(path)
    assert caught.value.record == 0


def test_closing_mid_read(tmp_path: Path) -> None:
    path = write_vics(tmp_path / "c.json", [vics_media(n) for n in range(3)], form="Cases")
    reader = VicsFormat.open(path)
    records = iter(reader)
    assert isinstance(next(records), BankEntry)
    reader.close()
    del records  # the suspended generator finishes its clean-up without error


def test_value_before_the_context_key(tmp_path: Path) -> None:
    records = [vics_media(1), vics_media(2)]
    text = json.dumps({"value": records, **envelope("2.0", "Media", "UK")})
    path = write_vics_text(tmp_path / "late.json", text)
    with VicsFormat.open(path) as reader:
        assert reader.header.profile == "UK"
        assert [e.md5 for e in reader if isinstance(e, BankEntry)] == [r["MD5"] for r in records]


# --- Media fields ---------------------------------------------------------------------------


def test_media_fields(tmp_path: Path) -> None:
    entry = only_entry(
        tmp_path,
        MD5=MD5.upper(),
        SHA1=SHA1,
        Category=2,
        VictimIdentified=True,
        OffenderIdentified=False,
        IsDistributed=None,
        Series="Beach",
        Tags="outdoor;summer",
        Comments="made up",
        MediaSize=12345,
        MimeType="image/png",
        PhotoDNA=PHOTODNA_BASE64,
        AlternativeHashes=[
            {"MD5": MD5, "HashName": "PDQ", "HashValue": PDQ.upper()},
            {"MD5": MD5, "HashName": "SHA256", "HashValue": SHA256},
            {"MD5": MD5, "HashName": "xxHash64", "HashValue": "00ff00ff00ff00ff"},
        ],
        Exifs=[
            {"MD5": MD5, "PropertyName": "Make", "PropertyValue": "Canon", "PropertyGroup": "IFD0"},
            {"MD5": MD5, "PropertyName": "Latitude", "PropertyValue": "12 deg 34' 56.78\""},
        ],
        MediaFiles=[
            {"MD5": MD5, "MediaFileID": 1, "FileName": "a.jpg", "FilePath": "C:\\Users\\x\\Pics"},
            {"MD5": MD5, "MediaFileID": 2, "FileName": "b.jpg", "FilePath": "/home/x/b.jpg"},
            {"MD5": MD5, "MediaFileID": 3, "FileName": "c.jpg", "FilePath": None},
        ],
        MediaID=7,
        IsPrecategorized="True",
        RelativeFilePath="Pics\\a.jpg",
    )
    assert entry.md5 == MD5
    assert entry.sha1 == SHA1
    assert entry.sha256 == SHA256
    assert entry.pdq == PDQ
    assert entry.photodna == PHOTODNA_BASE64
    assert entry.category == "2"
    assert entry.category_label == "Child Exploitive / Age Difficult"
    assert (entry.victim_identified, entry.offender_identified, entry.is_distributed) == (
        True,
        False,
        None,
    )
    assert (entry.series, entry.tags, entry.comments) == ("Beach", "outdoor;summer", "made up")
    assert (entry.media_size, entry.mime_type) == (12345, "image/png")
    assert entry.file_paths == ("C:\\Users\\x\\Pics\\a.jpg", "/home/x/b.jpg", "c.jpg")
    assert entry.extra == {
        "MediaID": 7,
        "IsPrecategorized": True,
        "RelativeFilePath": "Pics\\a.jpg",
        "alternative_hashes": [{"HashName": "xxHash64", "HashValue": "00ff00ff00ff00ff"}],
        "exifs": [
            {"PropertyName": "Make", "PropertyValue": "Canon", "PropertyGroup": "IFD0"},
            {"PropertyName": "Latitude", "PropertyValue": "12 deg 34' 56.78\""},
        ],
    }


def test_media_files_with_more_fields_are_kept_whole(tmp_path: Path) -> None:
    rows = [
        {"MD5": MD5, "MediaFileID": 1, "FileName": "a.jpg", "FilePath": "d", "Deleted": True},
        {"MD5": MD5, "MediaFileID": 2, "FileName": "b.jpg", "FilePath": "e"},
    ]
    entry = only_entry(tmp_path, MD5=MD5, MediaFiles=rows)
    assert entry.file_paths == ("d/a.jpg", "e/b.jpg")
    assert entry.extra["media_files"] == [
        {"FileName": "a.jpg", "FilePath": "d", "Deleted": True},
        {"FileName": "b.jpg", "FilePath": "e"},
    ]


@pytest.mark.parametrize("name", ["PDQ", "pdq", "PDQHash", "PDQ Hash", "pdq_hash"])
def test_pdq_hash_names(tmp_path: Path, name: str) -> None:
    rows = [{"HashName": name, "HashValue": PDQ}]
    assert only_entry(tmp_path, AlternativeHashes=rows).pdq == PDQ


@pytest.mark.parametrize("name", ["SHA256", "sha-256", "SHA_256"])
def test_sha256_hash_names(tmp_path: Path, name: str) -> None:
    rows = [{"HashName": name, "HashValue": SHA256.upper()}]
    assert only_entry(tmp_path, AlternativeHashes=rows).sha256 == SHA256


@pytest.mark.parametrize("photodna", [PHOTODNA_BASE64, PHOTODNA_HEX])
def test_photodna_is_carried_verbatim(tmp_path: Path, photodna: str) -> None:
    assert len(photodna) in (192, 288)
    assert only_entry(tmp_path, PhotoDNA=photodna).photodna == photodna
    as_row = only_entry(
        tmp_path, AlternativeHashes=[{"HashName": "PhotoDNA", "HashValue": photodna}]
    )
    assert as_row.photodna == photodna
    assert "alternative_hashes" not in as_row.extra


def test_a_second_different_hash_of_a_kind_stays_in_extra(tmp_path: Path) -> None:
    other = "0e" * 32
    rows = [{"HashName": "PDQ", "HashValue": PDQ}, {"HashName": "PDQ", "HashValue": other}]
    entry = only_entry(tmp_path, AlternativeHashes=rows)
    assert entry.pdq == PDQ
    assert entry.extra["alternative_hashes"] == [{"HashName": "PDQ", "HashValue": other}]


def test_odata_annotations_are_ignored(tmp_path: Path) -> None:
    record = vics_media(3, MD5=MD5)
    record["odata.id"] = f"http://localhost/Media('{MD5}')"
    record["AlternativeHashes@odata.navigationLinkUrl"] = f"Media('{MD5}')/AlternativeHashes"
    record["MediaFiles"][0]["odata.id"] = "http://localhost/MediaFiles(1)"
    path = write_vics(tmp_path / "v13.json", [record], version="1.3")
    (entry,) = entries_of(path)
    assert not any("odata" in key for key in entry.extra)
    assert "media_files" not in entry.extra
    assert entry.file_paths == ("pics/holiday/img_3.jpg",)


# --- exporters' spellings -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("True", True), ("1", True), (1, True), ("false", False), ("0", False)],
)
def test_string_booleans(tmp_path: Path, raw: Any, expected: bool) -> None:
    entry = only_entry(tmp_path, VictimIdentified=raw, IsDistributed=raw)
    assert entry.victim_identified is expected
    assert entry.is_distributed is expected


def test_numbers_as_strings(tmp_path: Path) -> None:
    entry = only_entry(tmp_path, Category="1", MediaSize="2048", MediaID="12")
    assert (entry.category, entry.media_size, entry.extra["MediaID"]) == ("1", 2048, 12)
    assert only_entry(tmp_path, Category="03", MediaSize=2048.0).category == "3"
    assert only_entry(tmp_path, Series=42).series == "42"


def test_dotnet_and_iso_dates(tmp_path: Path) -> None:
    entry = only_entry(tmp_path, DateUpdated="/Date(1700000000000)/")
    assert entry.extra["DateUpdated"] == "2023-11-14T22:13:20+00:00"
    assert read_date("/Date(1700000000000+0100)/", "d") == datetime(
        2023, 11, 14, 23, 13, 20, tzinfo=timezone(timedelta(hours=1))
    )
    assert read_date("2024-03-01T10:00:00.1234567Z", "d") == datetime(
        2024, 3, 1, 10, 0, 0, 123456, tzinfo=UTC
    )
    assert read_date("2024-03-01T10:00:00", "d") == datetime(2024, 3, 1, 10)
    with pytest.raises(ValueError, match="not a date"):
        read_date("yesterday", "SeizureDate")


@pytest.mark.parametrize("category", [None, "", " ", 0, "0"])
def test_no_verdict_categories(tmp_path: Path, category: Any) -> None:
    record = vics_media(1)
    record["Category"] = category
    (entry,) = entries_of(write_vics(tmp_path / "c.json", [record]))
    assert (entry.category, entry.category_label) == (None, None)


def test_is_precategorized_is_not_trusted(tmp_path: Path) -> None:
    entry = only_entry(tmp_path, Category=None, IsPrecategorized=True)
    assert entry.category is None
    assert entry.extra["IsPrecategorized"] is True


def test_same_code_different_profiles(tmp_path: Path) -> None:
    us = only_entry(tmp_path, profile="US", Category=2)
    uk = only_entry(tmp_path, profile="UK", Category=2)
    assert (us.category, uk.category) == ("2", "2")
    assert us.category_label == "Child Exploitive / Age Difficult"
    assert uk.category_label == "Category B"
    assert only_entry(tmp_path, profile="CUSTOM", Category=2).category_label == "Category 2"


def test_unmapped_code_is_kept(tmp_path: Path) -> None:
    entry = only_entry(tmp_path, Category=9)
    assert (entry.category, entry.category_label) == ("9", "Category 9 (unmapped)")


# --- cases ----------------------------------------------------------------------------------


def test_cases_form(tmp_path: Path) -> None:
    first = vics_case(1, SeizureDate="/Date(1700000000000)/", ContactPhone="000")
    second = vics_case(2)
    cases = [
        {**first, "Media": [vics_media(1), vics_media(2)]},
        {**second, "Media": [vics_media(3)]},
    ]
    path = write_vics(tmp_path / "cases.json", [], form="Cases", cases=cases, bom=True)
    with VicsFormat.open(path) as reader:
        entries = [e for e in reader if isinstance(e, BankEntry)]
        assert isinstance(reader, VicsReader)
        assert [e.record for e in entries] == [1, 2, 3]
        assert entries[0].extra["case"] == {
            **{key: first[key] for key in ("CaseID", "CaseNumber", "ContactOrganization")},
            "ContactName": first["ContactName"],
            "SeizureDate": "2023-11-14T22:13:20+00:00",
            "SourceApplicationName": first["SourceApplicationName"],
            "SourceApplicationVersion": first["SourceApplicationVersion"],
        }
        assert entries[2].extra["case"]["CaseNumber"] == second["CaseNumber"]
        assert [case.case_number for case in reader.cases] == ["TEST-0001", "TEST-0002"]
        assert reader.cases[0].seizure_date == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
        assert reader.cases[0].extra == {"ContactPhone": "000"}
        assert reader.cases[1].case_id == second["CaseID"]


def test_case_fields_after_the_media_array(tmp_path: Path) -> None:
    case = vics_case(5)
    cases = [
        {"Media": [vics_media(1)], **case},
        {"CaseNumber": "EARLY", "Media": [vics_media(2)], "ContactName": "Late Field"},
    ]
    path = write_vics(tmp_path / "late.json", [], form="Cases", cases=cases)
    entries = entries_of(path)
    assert entries[0].extra["case"]["CaseNumber"] == case["CaseNumber"]
    assert entries[1].extra["case"] == {"CaseNumber": "EARLY", "ContactName": "Late Field"}


def test_media_records_in_a_cases_file_are_not_lost_quietly(tmp_path: Path) -> None:
    path = write_vics(tmp_path / "mislabelled.json", [], form="Cases", cases=[vics_media(1)])
    with pytest.raises(HashSetFormatError, match="holds Media records"):
        read_all(path)


# --- rejections and faults ------------------------------------------------------------------


def test_rejected_records_are_numbered_and_explained(tmp_path: Path) -> None:
    good = vics_media(1)
    cases = [
        {
            **vics_case(1),
            "Media": [
                good,
                vics_media(2, MD5=None, SHA1=None, AlternativeHashes=None),
                vics_media(3, MD5="not-hex"),
            ],
        },
        {
            **vics_case(2),
            "Media": [
                vics_media(4, MD5={"value": MD5}),
                vics_media(5, Series={"name": "x"}),
                vics_media(6, Category="CAM"),
                vics_media(7, VictimIdentified="maybe"),
                vics_media(8, AlternativeHashes=[{"HashName": "PDQ", "HashValue": "abc"}]),
                "not a record",
                vics_media(9, MD5=None, AlternativeHashes=None),  # SHA1 only: fine
                vics_media(10, Category=-1),
                vics_media(11, Exifs="Make=Canon"),
            ],
        },
    ]
    path = write_vics(tmp_path / "mixed.json", [], form="Cases", cases=cases)
    found = read_all(path)
    assert [item.record for item in found] == list(range(1, 13))
    reasons = {item.record: item.reason for item in found if isinstance(item, RejectedRecord)}
    assert set(reasons) == {2, 3, 4, 5, 6, 7, 8, 9, 11, 12}
    assert "no hash" in reasons[2]
    assert "invalid MD5" in reasons[3]
    assert "MD5 is not a string" in reasons[4]
    assert "Series is not text" in reasons[5]
    assert "Category is not a number" in reasons[6]
    assert "VictimIdentified is not a boolean" in reasons[7]
    assert "invalid PDQ" in reasons[8]
    assert "not an object" in reasons[9]
    assert "out of range" in reasons[11]
    assert "Exifs is not a list" in reasons[12]
    sha1_only = found[9]
    assert isinstance(sha1_only, BankEntry)
    assert (sha1_only.md5, sha1_only.sha1) == (None, cases[1]["Media"][6]["SHA1"])


@pytest.mark.parametrize("form", ["Media", "Cases"])
def test_truncated_json_names_the_record_reached(tmp_path: Path, form: str) -> None:
    path = write_vics(tmp_path / "full.json", [vics_media(n) for n in range(1, 6)], form=form)
    text = path.read_text()
    cut = text.index(vics_media(4)["MD5"]) + 5  # inside the fourth record
    truncated = write_vics_text(tmp_path / "cut.json", text[:cut])
    seen: list[BankEntry | RejectedRecord] = []
    with (
        pytest.raises(HashSetFormatError, match="after record 3") as caught,
        VicsFormat.open(truncated) as reader,
    ):
        seen.extend(reader)
    assert caught.value.record == 3
    assert len(seen) == 3


def test_garbage_after_the_document(tmp_path: Path) -> None:
    path = write_vics(tmp_path / "ok.json", [vics_media(1)])
    path.write_text(path.read_text() + " trailing")
    with pytest.raises(HashSetFormatError, match="after record 1"):
        read_all(path)


# --- streaming ------------------------------------------------------------------------------

_PEAK_RSS = """
import resource, sys
from pathlib import Path
from vidtrace.hashsets.vics import VicsFormat
reader = VicsFormat.open(Path(sys.argv[1]))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
count = sum(1 for _ in reader)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(count, (after - before) * (1 if sys.platform == "darwin" else 1024))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="resource is Unix-only")
@pytest.mark.parametrize(("form", "count"), [("Media", 200_000), ("Cases", 100_000)])
def test_reading_streams(tmp_path: Path, form: str, count: int) -> None:
    """Peak memory stays flat however big the file: a fraction of its size here."""
    path = write_vics_stream(tmp_path / "big.json", count, form=form)
    size = path.stat().st_size
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    read, growth = map(int, done.stdout.split())
    assert read == count
    assert growth < size / 8, f"peak RSS grew {growth} bytes reading {size} bytes"


# --- categories -----------------------------------------------------------------------------


def test_category_table() -> None:
    assert {"US", "UK", "Default", "CUSTOM", "icse"} <= set(profile_names())
    assert category_info("US", "1").verdict == "illegal"
    assert category_info("UK", "3").verdict == "illegal"
    assert category_info("UK", "4").verdict == "of-interest"
    assert category_info("US", "5").verdict == "non-pertinent"
    assert category_info("uk", "01").label == "Category A"
    assert category_profile("CUSTOM") is category_profile("Default")
    assert category_profile("NZ") is category_profile(None) is category_profile("Default")
    assert category_info("icse", "baseline").label == "ICSE baseline"
    assert category_info("icse", "icse") == category_info("ICSE", "ICSE")
    unmapped = category_info("US", "7")
    assert (unmapped.label, unmapped.verdict, unmapped.mapped) == (
        "Category 7 (unmapped)",
        None,
        False,
    )
    assert is_no_verdict("US", "0") and is_no_verdict("UK", " ") and is_no_verdict("US", None)
    assert not is_no_verdict("US", "7")
    assert not is_no_verdict("icse", "0")


def test_category_data_is_documented_and_valid() -> None:
    path = Path(category_profile.__code__.co_filename).with_name("categories.json")
    table = json.loads(path.read_text())
    assert "vendor documentation" in table["_note"]
    for name in table["profiles"]:
        for info in category_profile(name).codes.values():
            assert info.verdict is None or info.verdict in VERDICTS


# --- value helpers --------------------------------------------------------------------------


def test_value_readers() -> None:
    assert read_bool(" TRUE ", "f") is True and read_bool("", "f") is None
    with pytest.raises(ValueError, match="f is not a boolean"):
        read_bool(2, "f")
    assert read_int("12", "n") == 12 and read_int("12.0", "n") == 12 and read_int(None, "n") is None
    for bad in ("1.5", "twelve", True, [1]):
        with pytest.raises(ValueError, match="not a whole number"):
            read_int(bad, "n")
    assert read_text(1.5, "t") == "1.5"
    with pytest.raises(ValueError, match="not text"):
        read_text(["a"], "t")


@pytest.mark.parametrize(
    "path",
    [
        "a.jpg",
        "dir/a.jpg",
        "/a.jpg",
        "C:\\Users\\x\\a.jpg",
        "C:\\x/y\\a.jpg",
        "a.jpg/a.jpg",
        "dir/",
        "\\\\server\\share\\b c.png",
    ],
)
def test_file_paths_split_and_join_back(path: str) -> None:
    folder, name = split_file_path(path)
    assert join_file_path(folder, name) == path


def test_file_path_joining() -> None:
    assert join_file_path("C:\\Pics", "a.jpg") == "C:\\Pics\\a.jpg"
    assert join_file_path("pics/", "a.jpg") == "pics/a.jpg"
    assert join_file_path("pics/a.jpg", "a.jpg") == "pics/a.jpg"
    assert join_file_path(None, None) is None


# --- writer ---------------------------------------------------------------------------------

READER_ADDS = {"case", "MediaID", "IsPrecategorized"}


def comparable(entry: BankEntry) -> BankEntry:
    extra = {key: value for key, value in entry.extra.items() if key not in READER_ADDS}
    return dataclasses.replace(entry, record=0, extra=extra)


def sample_entries(profile: str) -> list[BankEntry]:
    return [
        BankEntry(
            record=1,
            md5=MD5,
            sha1=SHA1,
            sha256=SHA256,
            pdq=PDQ,
            photodna=PHOTODNA_HEX,
            category="1",
            category_label=category_info(profile, "1").label,
            victim_identified=True,
            offender_identified=False,
            is_distributed=True,
            series="Series A",
            tags="t1;t2",
            comments="synthetic",
            media_size=4096,
            mime_type="image/jpeg",
            file_paths=("C:\\Evidence\\a.jpg", "C:\\Evidence\\copy\\a.jpg"),
            extra={
                "exifs": [{"PropertyName": "Make", "PropertyValue": "Canon"}],
                "alternative_hashes": [{"HashName": "xxHash64", "HashValue": "0011"}],
                "DateUpdated": "2024-01-02T03:04:05+00:00",
                "RelativeFilePath": "Evidence\\a.jpg",
            },
        ),
        BankEntry(record=2, md5="11" * 16, file_paths=("x/y.png",)),
        BankEntry(
            record=3,
            md5="22" * 16,
            category="9",
            category_label="Category 9 (unmapped)",
            file_paths=("d/e.jpg",),
            extra={
                "media_files": [
                    {"FileName": "e.jpg", "FilePath": "d", "Deleted": True, "PhysicalLocation": 7}
                ]
            },
        ),
    ]


def test_cases_round_trip(tmp_path: Path) -> None:
    case = VicsCase(
        case_number="TEST-42",
        contact_organization="Example Unit",
        contact_name="B. Tester",
        seizure_date=datetime(2024, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=2))),
        extra={"ContactEmail": "tester@example.org"},
    )
    entries = sample_entries("UK")
    without_md5 = BankEntry(record=4, sha1=SHA1)
    out = io.BytesIO()
    assert write_vics_cases(out, case, [*entries, without_md5], profile="UK") == 3
    path = tmp_path / "export.json"
    path.write_bytes(out.getvalue())
    assert detect_format(path) is VicsFormat
    with VicsFormat.open(path) as reader:
        assert (reader.header.profile, reader.header.extra["form"]) == ("UK", "Cases")
        back = entries_of_reader(reader)
        assert reader.cases == [case]
    assert [comparable(entry) for entry in back] == [comparable(entry) for entry in entries]
    assert [entry.extra["MediaID"] for entry in back] == [1, 2, 3]
    assert [entry.extra["IsPrecategorized"] for entry in back] == [True, False, True]
    assert back[0].extra["case"]["CaseNumber"] == "TEST-42"


def entries_of_reader(reader: Any) -> list[BankEntry]:
    found = list(reader)
    assert all(isinstance(item, BankEntry) for item in found), found
    return found


def test_media_round_trip(tmp_path: Path) -> None:
    entries = sample_entries("US")
    out = io.BytesIO()
    assert write_vics_media(out, entries, profile="US") == 3
    path = tmp_path / "media.json"
    path.write_bytes(out.getvalue())
    with VicsFormat.open(path) as reader:
        assert reader.header.extra["form"] == "Media"
        back = entries_of_reader(reader)
    assert [comparable(entry) for entry in back] == [comparable(entry) for entry in entries]
    assert "case" not in back[0].extra


def test_an_import_survives_export(tmp_path: Path) -> None:
    """What the reader made of an exporter's file comes back the same from our export."""
    records = [
        vics_media(n, VictimIdentified="True", MediaSize=str(n * 100), Category=n % 6)
        for n in range(1, 8)
    ]
    source = write_vics(tmp_path / "in.json", records, form="Cases", profile="US")
    with VicsFormat.open(source) as reader:
        imported = entries_of_reader(reader)
        (case,) = reader.cases
    out = io.BytesIO()
    write_vics_cases(out, case, imported, profile="US")
    again = tmp_path / "again.json"
    again.write_bytes(out.getvalue())
    with VicsFormat.open(again) as reader:
        back = entries_of_reader(reader)
        assert reader.cases == [case]
    assert [comparable(entry) for entry in back] == [comparable(entry) for entry in imported]


def test_writer_refuses_what_vics_cannot_say() -> None:
    with pytest.raises(ValueError, match="profile"):
        write_vics_media(io.BytesIO(), [], profile="US/../x")
    with pytest.raises(ValueError, match="UUID"):
        write_vics_cases(io.BytesIO(), VicsCase(case_id=""), [])


def test_writer_streams_record_by_record() -> None:
    class Recorder(io.BytesIO):
        writes_before_entries_ran_out = 0

    out = Recorder()

    def entries() -> Any:
        for number in range(3):
            yield BankEntry(record=number + 1, md5=f"{number:032x}")
            out.writes_before_entries_ran_out = len(out.getvalue())

    write_vics_media(out, entries())
    assert 0 < out.writes_before_entries_ran_out < len(out.getvalue())
    assert out.getvalue().count(b'"MD5"') == 3


# --- schema ---------------------------------------------------------------------------------

EDM = "{http://docs.oasis-open.org/odata/ns/edm}"


def load_schema(shared_data: Path) -> dict[str, dict[str, Any]]:
    """Entity name -> {"key": [...], "props": {name: (type, nullable)}, "nav": {name: type}}."""
    root = ET.parse(shared_data / "vics" / "ProjectVicDataModel.2.0.xml").getroot()
    entities: dict[str, dict[str, Any]] = {}
    for entity in root.iter(f"{EDM}EntityType"):
        entities[entity.attrib["Name"]] = {
            "key": [ref.attrib["Name"] for ref in entity.iter(f"{EDM}PropertyRef")],
            "props": {
                prop.attrib["Name"]: (prop.attrib["Type"], prop.attrib.get("Nullable") != "false")
                for prop in entity.findall(f"{EDM}Property")
            },
            "nav": {
                nav.attrib["Name"]: nav.attrib["Type"]
                for nav in entity.findall(f"{EDM}NavigationProperty")
            },
        }
    return entities


def fits(value: Any, edm_type: str) -> bool:
    if edm_type == "Edm.Boolean":
        return isinstance(value, bool)
    if edm_type in ("Edm.Int32", "Edm.Int64", "Edm.Byte"):
        ok = isinstance(value, int) and not isinstance(value, bool)
        return ok and (edm_type != "Edm.Byte" or 0 <= value <= 255)
    if edm_type == "Edm.Guid":
        return isinstance(value, str) and str(uuid.UUID(value)) == value
    if edm_type == "Edm.DateTimeOffset":
        return isinstance(value, str) and datetime.fromisoformat(value).tzinfo is not None
    return isinstance(value, str)


def check_against_schema(obj: dict[str, Any], entity: str, schema: dict[str, Any]) -> int:
    """Assert ``obj`` is a valid ``entity``; return how many objects were checked."""
    spec = schema[entity]
    for key in spec["key"]:
        assert obj.get(key) is not None, f"{entity} key {key} missing"
    checked = 1
    for name, value in obj.items():
        if name in spec["nav"]:
            child = spec["nav"][name].removeprefix("Collection(").removesuffix(")")
            child = child.removeprefix("CEModel.")
            assert isinstance(value, list)
            for row in value:
                checked += check_against_schema(row, child, schema)
            continue
        assert name in spec["props"], f"{entity} has no property {name}"
        edm_type, nullable = spec["props"][name]
        if value is None:
            assert nullable, f"{entity}.{name} is not nullable"
        else:
            assert fits(value, edm_type), f"{entity}.{name}={value!r} is not {edm_type}"
    return checked


def test_writer_output_fits_the_schema(shared_data: Path) -> None:
    schema = load_schema(shared_data)
    out = io.BytesIO()
    case = VicsCase(case_number="TEST-1", seizure_date=datetime(2024, 1, 1), extra={"X": 1})
    write_vics_cases(out, case, sample_entries("Default"))
    document = json.loads(out.getvalue())
    assert document["@odata.context"].endswith("/2.0.xml/Default/$metadata#Cases")
    (case_object,) = document["value"]
    assert check_against_schema(case_object, "Case", schema) > 10
    entities_seen = {
        name
        for media in case_object["Media"]
        for name in ("AlternativeHashes", "Exifs", "MediaFiles")
        if media[name]
    }
    assert entities_seen == {"AlternativeHashes", "Exifs", "MediaFiles"}
    media_document = io.BytesIO()
    write_vics_media(media_document, sample_entries("US"), profile="US")
    for media in json.loads(media_document.getvalue())["value"]:
        check_against_schema(media, "Media", schema)


class TestVicsContract(HashSetFormatContract):
    format = VicsFormat

    def write_sample(self, path: Path, count: int) -> Path:
        records = [vics_media(seed) for seed in range(count - 1)] + [vics_media(99, MD5="zz")]
        return write_vics(path, records)
