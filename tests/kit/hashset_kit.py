"""The contract every hash-set format meets, as a base test class.

A format's test module subclasses ``HashSetFormatContract``, sets ``format`` and implements
``write_sample(path, count)`` (a valid file of ``count`` records, the first ``count - 1`` good and
the last one bad: e.g. an invalid MD5); it gets these checks for free::

    class TestIcseContract(HashSetFormatContract):
        format = IcseFormat

        def write_sample(self, path: Path, count: int) -> Path: ...
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

import pytest

import vidtrace.hashsets  # noqa: F401  (registers every format)
from vidtrace.hashsets.base import (
    SNIFF_BYTES,
    BankEntry,
    HashSetFormat,
    RejectedRecord,
    detect_format,
    hashset_formats,
)

HEX = re.compile(r"[0-9a-f]+")


class HashSetFormatContract:
    format: ClassVar[type[HashSetFormat]]
    records: ClassVar[int] = 5

    def write_sample(self, path: Path, count: int) -> Path:
        raise NotImplementedError("a format test writes a sample file")

    @pytest.fixture
    def sample(self, tmp_path: Path) -> Path:
        return self.write_sample(tmp_path / "sample", self.records)

    def test_is_registered_under_its_name(self) -> None:
        assert hashset_formats.get(self.format.name) is self.format
        assert self.format.description

    def test_sniffs_its_own_files_and_detection_picks_it(self, sample: Path) -> None:
        assert self.format.sniff(sample, sample.read_bytes()[:SNIFF_BYTES])
        assert detect_format(sample) is self.format

    def test_other_formats_do_not_claim_its_files(self, sample: Path) -> None:
        head = sample.read_bytes()[:SNIFF_BYTES]
        others = [f.name for f in hashset_formats if f is not self.format and f.sniff(sample, head)]
        assert others == []

    def test_reads_every_record_once_and_rejects_the_bad_one(self, sample: Path) -> None:
        with self.format.open(sample) as reader:
            assert reader.header.format == self.format.name
            items = list(reader)
        assert [item.record for item in items] == list(range(1, self.records + 1))
        assert all(isinstance(item, BankEntry) for item in items[:-1])
        assert isinstance(items[-1], RejectedRecord) and items[-1].reason

    def test_hashes_are_normalised_lower_case_hex(self, sample: Path) -> None:
        with self.format.open(sample) as reader:
            entries = [item for item in reader if isinstance(item, BankEntry)]
        for entry in entries:
            assert entry.hashes(), f"record {entry.record} carries no hash"
            for kind, value in entry.hashes().items():
                assert HEX.fullmatch(value), (kind, value)
