"""``vidtrace hashset import``: stream a hash-set file into a bank, all or nothing.

The whole import is one transaction: a structural fault (truncated JSON, a missing column, a
wrong header) raises ``HashSetFormatError`` naming the record, and nothing is stored; a bank
being replaced stays as it was. Bad records are rejected one by one, counted with their
reasons and record numbers, and reported; ``strict`` turns the first one into a fault.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from vidtrace.domain.known import DEFAULT_PDQ_THRESHOLD, BankType
from vidtrace.hashsets.base import (
    BankEntry,
    HashSetFormat,
    HashSetFormatError,
    RejectedRecord,
    detect_format,
    hashset_formats,
)
from vidtrace.matching.bank_index import BankPdqIndex
from vidtrace.store.banks import BankRepository

INSERT_BATCH = 5_000
KEPT_REJECTIONS = 1_000  # record numbers and reasons kept in full; beyond, counts only


class BankExistsError(ValueError):
    pass


@dataclass
class ImportSummary:
    bank: str
    format: str
    bank_type: str
    file: str
    version: str | None = None
    profile: str | None = None
    records_read: int = 0
    imported: int = 0
    rejected: int = 0
    with_pdq: int = 0
    rejected_by_reason: Counter[str] = field(default_factory=Counter)
    rejections: list[RejectedRecord] = field(default_factory=list)
    seconds: float = 0.0

    def reject(self, rejection: RejectedRecord) -> None:
        self.rejected += 1
        self.rejected_by_reason[reason_kind(rejection.reason)] += 1
        if len(self.rejections) < KEPT_REJECTIONS:
            self.rejections.append(rejection)

    def to_json(self) -> dict[str, Any]:
        return {
            "bank": self.bank,
            "format": self.format,
            "type": self.bank_type,
            "file": self.file,
            "version": self.version,
            "profile": self.profile,
            "records_read": self.records_read,
            "imported": self.imported,
            "rejected": self.rejected,
            "with_pdq": self.with_pdq,
            "rejected_by_reason": dict(self.rejected_by_reason),
            "rejections": [{"record": r.record, "reason": r.reason} for r in self.rejections],
            "seconds": round(self.seconds, 3),
        }

    def to_text(self) -> str:
        lines = [
            f"Imported {self.file} as bank {self.bank!r} ({self.format}"
            + (f" {self.version}" if self.version else "")
            + (f", profile {self.profile}" if self.profile else "")
            + f", type {self.bank_type})",
            f"  records read   {self.records_read}",
            f"  imported       {self.imported} ({self.with_pdq} with PDQ)",
            f"  rejected       {self.rejected}",
        ]
        for reason, count in self.rejected_by_reason.most_common():
            lines.append(f"    {reason:<40} {count}")
        for rejection in self.rejections[:10]:
            lines.append(f"      record {rejection.record}: {rejection.reason}")
        if self.rejected > 10:
            lines.append(f"      ... {self.rejected - 10} more (see --json)")
        lines.append(f"  in {self.seconds:.1f} s; run `vidtrace match` to match media against it")
        return "\n".join(lines)


def reason_kind(reason: str) -> str:
    """A reason without its specifics, for counting: "invalid MD5 'zz'" -> "invalid MD5"."""
    return re.split(r"[:'\"(]", reason, maxsplit=1)[0].strip() or reason


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class BankImporter:
    def __init__(self, engine: Engine, banks: BankRepository, index: BankPdqIndex) -> None:
        self.engine = engine
        self.banks = banks
        self.index = index

    def run(
        self,
        path: Path,
        name: str,
        format_name: str | None = None,
        bank_type: BankType | None = None,
        pdq_threshold: int = DEFAULT_PDQ_THRESHOLD,
        replace: bool = False,
        strict: bool = False,
    ) -> ImportSummary:
        fmt: type[HashSetFormat] = (
            hashset_formats.get(format_name) if format_name else detect_format(path)
        )
        started = time.monotonic()
        kind = bank_type or BankType(fmt.default_bank_type)
        summary = ImportSummary(bank=name, format=fmt.name, bank_type=kind.value, file=str(path))
        with fmt.open(path) as reader, self.engine.begin() as conn:
            existing = self.banks.bank_id(conn, name)
            if existing is not None and not replace:
                raise BankExistsError(f"bank {name!r} exists; give --replace to replace it")
            if existing is not None:
                self.banks.drop(conn, existing)
            header = reader.header
            summary.version, summary.profile = header.version, header.profile
            bank_id = self.banks.create(
                conn,
                name=name,
                format=fmt.name,
                bank_type=kind.value,
                pdq_threshold=pdq_threshold,
                source=header.source,
                version=header.version,
                profile=header.profile,
                file_name=str(path),
                file_sha256=file_sha256(path),
                meta=header.extra,
            )
            batch: list[BankEntry] = []
            for item in reader:
                summary.records_read += 1
                if isinstance(item, RejectedRecord):
                    if strict:
                        raise HashSetFormatError(item.record, item.reason)
                    summary.reject(item)
                    continue
                batch.append(item)
                summary.imported += 1
                summary.with_pdq += item.pdq is not None
                if len(batch) >= INSERT_BATCH:
                    self.banks.add_entries(conn, bank_id, batch)
                    batch = []
            self.banks.add_entries(conn, bank_id, batch)
            self.banks.finish(
                conn,
                bank_id,
                records_read=summary.records_read,
                entries=summary.imported,
                rejected=summary.rejected,
                rejections={
                    "by_reason": dict(summary.rejected_by_reason),
                    "records": [[r.record, r.reason] for r in summary.rejections],
                },
                meta={**header.extra, **reader.bank_meta()},
            )
        if existing is not None:
            self.index.rebuild()
        else:
            self.index.sync()
        summary.seconds = time.monotonic() - started
        return summary
