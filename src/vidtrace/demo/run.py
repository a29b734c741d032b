"""``vidtrace demo``: build the synthetic benign evidence, then ingest each case."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from vidtrace.bootstrap import bootstrap
from vidtrace.config import Settings
from vidtrace.demo.banks import BANK_NAME
from vidtrace.demo.builder import build_demo_evidence
from vidtrace.ingest.progress import BarProgress, SilentProgress
from vidtrace.matching.match_summary import share


def run_demo(settings: Settings, evidence_dir: Path, as_json: bool = False) -> int:
    print(f"building the synthetic demo evidence in {evidence_dir} ...", file=sys.stderr)
    manifest = build_demo_evidence(evidence_dir, replace=True)
    app = bootstrap(settings)
    imported = app.importer().run(manifest.bank, BANK_NAME, replace=True)
    if not as_json:
        print(imported.to_text().rsplit("\n", 1)[0] + "\n")
    summaries = []
    for case in manifest.cases:
        progress = BarProgress(case.name) if sys.stderr.isatty() else SilentProgress()
        summary = app.ingest_runner(progress).run(
            case.evidence, case.name, case.agency, case.country
        )
        summaries.append(summary)
        if not as_json:
            print(summary.to_text() + "\n")
    media = app.media().list()
    known = sum(1 for item in media if item["known"])
    if as_json:
        json.dump(
            {
                "evidence": str(evidence_dir),
                "ground_truth": str(manifest.ground_truth),
                "workspace": str(settings.workspace),
                "cases": [s.to_json() for s in summaries],
                "media": len(media),
                "bank": imported.to_json(),
                "precategorised": known,
            },
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        print(f"demo ready: {len(media)} binary-unique media in {len(summaries)} cases")
        print(f"  known material: {share(known, len(media))} pre-categorised by the demo bank")
        print(f"  workspace:    {settings.workspace}")
        print(f"  ground truth: {manifest.ground_truth}")
        print(f"  try: vidtrace --workspace {settings.workspace} media list --json")
    app.close()
    return 0
