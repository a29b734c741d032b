"""ICSE CSV: INTERPOL's database columns, one row per media item."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO, cast

from vidtrace.export.base import Exporter, ExportSummary, UnknownCaseError, atomic_output, exporters
from vidtrace.export.case_entries import case_entries, case_id
from vidtrace.hashsets.icse import write_icse_csv


class IcseExporter(Exporter):
    name = "icse"
    description = "INTERPOL ICSE CSV (MD5; SHA1; PhotoDNA; Image ID; ...; Baseline)"

    def export(self, case: str, path: Path) -> ExportSummary:
        found = case_id(self.engine, case)
        if found is None:
            raise UnknownCaseError(f"no case named {case!r}")
        with atomic_output(path, binary=False) as out:
            records = write_icse_csv(cast(TextIO, out), case_entries(self.engine, found))
        return ExportSummary(self.name, case, path, records)


exporters.register(IcseExporter)
