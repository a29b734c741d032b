"""VICS 2.0, the ``#Cases`` form, with our PDQ under AlternativeHashes."""

from __future__ import annotations

import uuid
from pathlib import Path

from vidtrace import __version__
from vidtrace.export.base import Exporter, ExportSummary, atomic_output, exporters
from vidtrace.export.case_entries import case_entries, verdict_profile
from vidtrace.hashsets.vics_writer import VicsCase, write_vics_cases

# A stable CaseID per workspace case, so exporting twice describes the same case.
CASE_NAMESPACE = uuid.UUID("5d3f1f5e-6c0b-4a54-9b8e-7a1d2c3e4f50")


class VicsExporter(Exporter):
    name = "vics"
    description = "Project VIC VICS 2.0 JSON (#Cases), PDQ in AlternativeHashes"

    def export(self, case: str, path: Path) -> ExportSummary:
        found = self.case_id(case)
        header = VicsCase(
            case_id=str(uuid.uuid5(CASE_NAMESPACE, case)),
            case_number=case,
            contact_organization=None,
            contact_name=None,
            seizure_date=None,
            source_application_name="vidtrace",
            source_application_version=__version__,
        )
        profile = verdict_profile(self.engine, found) or "Default"
        with atomic_output(path, binary=True) as out:
            records = write_vics_cases(out, header, case_entries(self.engine, found), profile)
        return ExportSummary(self.name, case, path, records)


exporters.register(VicsExporter)
