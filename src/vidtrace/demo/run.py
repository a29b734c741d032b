"""``vidtrace demo``: build the synthetic benign evidence, then ingest each case."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from vidtrace.bootstrap import bootstrap
from vidtrace.config import Settings
from vidtrace.demo.accounts import set_up_demo_accounts
from vidtrace.demo.banks import BANK_NAME
from vidtrace.demo.builder import build_demo_evidence
from vidtrace.demo.country_check import check_demo_countries
from vidtrace.demo.series_check import check_demo_series, truth_overlaps
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
    logins = set_up_demo_accounts(app, [(case.name, case.agency) for case in manifest.cases])
    media = app.media().list()
    known = sum(1 for item in media if item["known"])
    grouped = app.grouper().run()
    overlaps = app.overlaps().report()
    groupable = {
        m["sha256"] for m in media if m["kind"] in ("image", "video") and not m["known_good"]
    }
    check = check_demo_series(
        manifest.ground_truth, app.media().located(), app.series().series_of_media(), groupable
    )
    truth = truth_overlaps(manifest.ground_truth)
    print("reading the media for clues to the country of production ...", file=sys.stderr)
    clues = app.clue_runner(background=False).run()
    countries = check_demo_countries(
        manifest.ground_truth,
        app.media().located(),
        app.series().series_of_media(),
        app.country_assessor().rank_series,
        known={m["sha256"] for m in media if m["known"]},
    )
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
                "grouping": grouped.to_json(),
                "overlapping_series": len(overlaps["series"]),
                "binaries_in_several_cases": overlaps["media"]["binaries_in_several_cases"],
                "series_check": check.to_json(),
                "ground_truth_series": truth,
                "clues": clues.to_json(),
                "country_check": countries.to_json(),
                "logins": [login.to_json() for login in logins],
            },
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        print(f"demo ready: {len(media)} binary-unique media in {len(summaries)} cases")
        print(f"  known material: {share(known, len(media))} pre-categorised by the demo bank")
        print(
            f"  series:       {grouped.series} series hold {grouped.media_in_series} media;"
            f" {len(overlaps['series'])} overlap between cases or agencies;"
            f" {overlaps['media']['binaries_in_several_cases']} binaries are in several cases"
        )
        print(
            f"  ground truth: {truth['series']} series, {truth['in_several_cases']} of them in"
            f" several cases; grouping BCubed F1 {check.bcubed.f1:.3f}"
            f" (precision {check.bcubed.precision:.3f}, recall {check.bcubed.recall:.3f}),"
            f" {check.false_merges} false merges"
        )
        print(f"  clues:        {clues.to_text().splitlines()[1].split(':', 1)[1].strip()}")
        print(f"  countries:    {countries.to_text()}")
        for name, why in clues.unavailable.items():
            print(f"  not read:     {name}: {why}; install it, then `vidtrace clues extract`")
        for login in logins:
            print(f"  login:        {login.name} / {login.password} ({login.role.value})")
        print(f"  workspace:    {settings.workspace}")
        print(f"  truth file:   {manifest.ground_truth}")
        print(f"  try: vidtrace --workspace {settings.workspace} series list")
        print(f"       vidtrace --workspace {settings.workspace} overlaps")
        print(f"       vidtrace --workspace {settings.workspace} country SERIES_ID")
    app.close()
    return 0
