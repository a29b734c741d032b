"""ICSE CSV: INTERPOL's database columns, one row per media item."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO, cast

from vidtrace.export.base import Exporter, ExportSummary, atomic_output, exporters
from vidtrace.export.case_entries import case_entries
from vidtrace.hashsets.icse import write_icse_csv


class IcseExporter(Exporter):
    name = "icse"
    description = "INTERPOL ICSE CSV (MD5; SHA1; PhotoDNA; Image ID; ...; Baseline)"

    def export(self, case: str, path: Path) -> ExportSummary:
        found = self.case_id(case)
        with atomic_output(path, binary=False) as out:
            records = write_icse_csv(cast(TextIO, out), case_entries(self.engine, found))
        return ExportSummary(self.name, case, path, records)


exporters.register(IcseExporter)
