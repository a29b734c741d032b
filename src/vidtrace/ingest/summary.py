"""What an ingest found, counted from the store so a resumed run reports the whole evidence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Engine, exists, func, select

from vidtrace.matching.match_summary import share
from vidtrace.store.models import Media, Occurrence, SkippedFile


@dataclass
class SkippedFileReport:
    path: str
    code: str
    detail: str


@dataclass
class IngestSummary:
    case: str
    sources: list[str]
    files_seen: int = 0
    unique_media: int = 0
    duplicates: int = 0
    media_by_kind: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    skipped_by_reason: dict[str, int] = field(default_factory=dict)
    skipped_files: list[SkippedFileReport] = field(default_factory=list)
    # Known material in the whole case, after matching against the banks:
    banks: int = 0
    case_media: int = 0
    precategorised: int = 0
    known_good: int = 0
    # This run only:
    files_processed: int = 0
    files_already_done: int = 0
    new_media: int = 0
    bytes_read: int = 0
    seconds: float = 0.0

    @property
    def files_per_second(self) -> float:
        return self.files_processed / self.seconds if self.seconds else 0.0

    @property
    def mb_per_second(self) -> float:
        return self.bytes_read / 1e6 / self.seconds if self.seconds else 0.0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["files_per_second"] = round(self.files_per_second, 2)
        data["mb_per_second"] = round(self.mb_per_second, 2)
        data["seconds"] = round(self.seconds, 3)
        return data

    def to_text(self) -> str:
        lines = [
            f"Ingest of case {self.case!r}",
            f"  files seen            {self.files_seen}",
            f"  binary-unique media   {self.unique_media}",
            f"  duplicates            {self.duplicates}",
            "  media per kind        "
            + (", ".join(f"{k} {n}" for k, n in sorted(self.media_by_kind.items())) or "none"),
            f"  files skipped         {self.skipped}",
        ]
        if self.banks:
            lines.insert(
                5,
                f"  pre-categorised       {share(self.precategorised, self.case_media)},"
                f" {self.known_good} known-good"
                f" ({self.banks} bank{'s' if self.banks != 1 else ''})",
            )
        for code, count in sorted(self.skipped_by_reason.items()):
            lines.append(f"    {code:<22}{count}")
        for report in self.skipped_files[:20]:
            lines.append(f"      {report.path}: {report.code} {report.detail}".rstrip())
        if len(self.skipped_files) > 20:
            lines.append(f"      ... {len(self.skipped_files) - 20} more (see --json)")
        lines.append(
            f"  this run: {self.files_processed} files read,"
            f" {self.files_already_done} already done,"
            f" {self.new_media} new media, {self.bytes_read / 1e6:.1f} MB in {self.seconds:.1f} s"
            f" ({self.files_per_second:.1f} files/s, {self.mb_per_second:.1f} MB/s)"
        )
        return "\n".join(lines)


def count_sources(
    engine: Engine, summary: IngestSummary, source_ids: Sequence[int]
) -> IngestSummary:
    """Fill the whole-evidence counts of ``summary`` for ``source_ids``."""
    in_sources = Occurrence.source_id.in_(source_ids)
    with engine.connect() as conn:
        occurrences = conn.scalar(select(func.count()).where(in_sources)) or 0
        summary.unique_media = (
            conn.scalar(
                select(func.count(func.distinct(Occurrence.media_sha256))).where(in_sources)
            )
            or 0
        )
        unique = select(Occurrence.media_sha256).where(in_sources).distinct().subquery()
        kinds = conn.execute(
            select(Media.kind, func.count())
            .join(unique, unique.c.media_sha256 == Media.sha256)
            .group_by(Media.kind)
        )
        summary.media_by_kind = {kind: count for kind, count in kinds}
        skips = conn.execute(
            select(SkippedFile.path, SkippedFile.code, SkippedFile.detail)
            .where(SkippedFile.source_id.in_(source_ids))
            .order_by(SkippedFile.path)
        ).all()
        # Skipped files with no occurrence (unreadable, empty, unsafe...) are still files seen.
        recorded = exists().where(
            Occurrence.source_id == SkippedFile.source_id, Occurrence.path == SkippedFile.path
        )
        unrecorded = (
            conn.scalar(
                select(func.count())
                .select_from(SkippedFile)
                .where(SkippedFile.source_id.in_(source_ids), ~recorded)
            )
            or 0
        )
    summary.skipped_files = [SkippedFileReport(path, code, detail) for path, code, detail in skips]
    summary.skipped = len(skips)
    summary.skipped_by_reason = {}
    for report in summary.skipped_files:
        summary.skipped_by_reason[report.code] = summary.skipped_by_reason.get(report.code, 0) + 1
    summary.files_seen = occurrences + unrecorded
    summary.duplicates = occurrences - summary.unique_media
    return summary
