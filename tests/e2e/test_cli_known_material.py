"""The issue's acceptance check, through the command line: a VICS bank built from the shared PDQ
images' MD5s and PDQs pre-categorises exactly those media (and their rotated, flipped and edited
copies, through dihedral PDQ) after ingest; exports re-import; bad files fail cleanly."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.kit.hashset_files import write_vics
from vidtrace.signals.pdq import hamming

# The bank: the reference PDQ (expected-pdq.csv) and the MD5 of these files.
IN_BANK = (
    "reg-test-input/dih/bridge-1-original.jpg",
    "misc-images/c.png",
    "reg-test-input/labelme-subset/q0122.jpg",
    "reg-test-input/labelme-subset/q0003.jpg",  # PDQ quality 3: found by MD5 alone
)
# The same bridge photo, edited, re-encoded, rotated or flipped: found through PDQ.
BRIDGE_FAMILY = ("bridge-mods/", "misc-images/modes/", "reg-test-input/dih/")
PERCEPTUAL_ONLY = "misc-images/wee.jpg"  # in the bank by PDQ only, under another MD5


def _run(workspace: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VIDTRACE_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "vidtrace", "--workspace", str(workspace), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def _reference_pdq(pdq_dir: Path) -> dict[str, str]:
    with open(pdq_dir / "expected-pdq.csv", newline="") as handle:
        return {row["path"]: row["pdq_hex"] for row in csv.DictReader(handle)}


def test_shared_pdq_images_are_precategorised_exactly(
    shared_data: Path, database_url: str, tmp_path: Path
) -> None:
    pdq_dir = shared_data / "pdq"
    reference = _reference_pdq(pdq_dir)
    records = [
        {
            "MD5": hashlib.md5((pdq_dir / path).read_bytes()).hexdigest(),
            "Category": 1,
            "Series": "Bridge" if "bridge" in path else None,
            "AlternativeHashes": [{"HashName": "PDQ", "HashValue": reference[path]}],
        }
        for path in IN_BANK
    ]
    records.append(
        {
            "MD5": "f" * 32,
            "Category": "1",
            "AlternativeHashes": [{"HashName": "pdq", "HashValue": reference[PERCEPTUAL_ONLY]}],
        }
    )
    bank = tmp_path / "shared-pdq.json"
    write_vics(bank, records, profile="US")
    ws = tmp_path / "ws"

    imported = _run(
        ws, database_url, "hashset", "import", str(bank), "--name", "PDQ refs", "--json"
    )
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["with_pdq"] == 5
    ingested = _run(ws, database_url, "ingest", str(pdq_dir), "--case", "Shared", "--workers", "2")
    assert ingested.returncode == 0, ingested.stderr
    assert "pre-categorised" in ingested.stdout

    listed = _run(ws, database_url, "media", "list", "--json")
    listing = json.loads(listed.stdout)
    media = {place["path"]: m for m in listing for place in m["occurrences"]}
    expected = set(IN_BANK) | {PERCEPTUAL_ONLY}
    expected |= {
        p for p in media if p.startswith(BRIDGE_FAMILY) and p.endswith((".jpg", ".png", ".webp"))
    }
    assert {p for p, m in media.items() if m["known"]} == expected
    # The rotated copy is found only because its rotations are searched too.
    rotated = media["reg-test-input/dih/bridge-3-rotate-180.jpg"]
    [match] = rotated["matches"]
    assert match["kind"] == "pdq" and match["dihedral"] != "original"
    assert match["distance"] <= 16 and match["series"] == "Bridge"
    assert hamming(rotated["pdq"], reference["reg-test-input/dih/bridge-1-original.jpg"]) > 31
    assert {m["kind"] for m in media["reg-test-input/labelme-subset/q0003.jpg"]["matches"]} == {
        "md5"
    }

    matched = _run(ws, database_url, "match", "--json")
    report = json.loads(matched.stdout)
    known = sum(m["known"] for m in listing)
    assert report["precategorised"] == known and report["media"] == len(listing)
    text = _run(ws, database_url, "match").stdout
    percent = 100.0 * known / len(listing)
    assert f"{known} of {len(listing)} media ({percent:.1f}%)" in text

    banks = json.loads(_run(ws, database_url, "hashset", "list", "--json").stdout)
    assert banks[0]["name"] == "PDQ refs" and banks[0]["media_matched"] == known


def test_export_then_import_and_bad_files_through_the_cli(
    database_url: str, tmp_path: Path
) -> None:
    from tests.kit.evidence import write_jpeg

    evidence = tmp_path / "evidence"
    for seed in (1, 2):
        write_jpeg(evidence / f"p{seed}.jpg", seed)
    ws = tmp_path / "ws"
    assert _run(ws, database_url, "ingest", str(evidence), "--case", "C").returncode == 0
    out = tmp_path / "c.json"
    exported = _run(ws, database_url, "export", "vics", "--case", "C", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    again = _run(ws, database_url, "hashset", "import", str(out), "--name", "Mine", "--json")
    assert json.loads(again.stdout)["imported"] == 2
    missing = _run(ws, database_url, "export", "icse", "--case", "Nope", "-o", str(out))
    assert missing.returncode == 1 and "Nope" in missing.stderr

    truncated = tmp_path / "truncated.json"
    truncated.write_bytes(out.read_bytes()[:-30])
    failed = _run(ws, database_url, "hashset", "import", str(truncated), "--name", "Broken")
    assert failed.returncode == 2 and "record" in failed.stderr
    assert "nothing was imported" in failed.stderr
    names = [
        b["name"] for b in json.loads(_run(ws, database_url, "hashset", "list", "--json").stdout)
    ]
    assert names == ["Mine"]
