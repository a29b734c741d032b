"""The ingest command as a user sees it: progress on stderr, the summary, the JSON contract."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.kit.evidence import exif_bytes, write_jpeg

MEDIA_FIELDS = {
    "sha256",
    "md5",
    "sha1",
    "size",
    "kind",
    "mime",
    "width",
    "height",
    "pdq",
    "pdq_quality",
    "exif",
    "occurrences",
    "known",
    "matches",
    "series",
}


def _run(workspace: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VIDTRACE_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "vidtrace", "--workspace", str(workspace), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def test_ingest_shows_progress_and_a_summary(database_url: str, tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    write_jpeg(evidence / "a.jpg", 1, exif=exif_bytes())
    shutil.copy(evidence / "a.jpg", evidence / "a-copy.jpg")
    (evidence / "empty.bin").write_bytes(b"")
    done = _run(
        tmp_path / "ws",
        database_url,
        "ingest",
        str(evidence),
        "--case",
        "Case A",
        "--progress",
        "--workers",
        "2",
    )
    assert done.returncode == 0, done.stderr
    assert "files/s" in done.stderr and "B/s" in done.stderr  # the bar: MB/s, ETA, files/s
    for label in (
        "files seen",
        "binary-unique media",
        "duplicates",
        "media per kind",
        "files skipped",
        "empty-file",
    ):
        assert label in done.stdout

    listing = _run(tmp_path / "ws", database_url, "media", "list", "--json")
    media = json.loads(listing.stdout)
    assert len(media) == 1 and set(media[0]) >= MEDIA_FIELDS
    assert {"make", "model", "serial", "taken_at", "gps"} <= set(media[0]["exif"])
    assert sorted(o["path"] for o in media[0]["occurrences"]) == ["a-copy.jpg", "a.jpg"]

    shown = json.loads(
        _run(tmp_path / "ws", database_url, "media", "show", media[0]["sha256"], "--json").stdout
    )
    assert shown["sha256"] == media[0]["sha256"] and shown["derivatives"]


def test_json_summary_and_missing_evidence(database_url: str, tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    write_jpeg(evidence / "a.jpg", 2)
    done = _run(tmp_path / "ws", database_url, "ingest", str(evidence), "--case", "C", "--json")
    summary = json.loads(done.stdout)
    assert (summary["files_seen"], summary["unique_media"], summary["duplicates"]) == (1, 1, 0)
    assert summary["media_by_kind"] == {"image": 1}
    missing = _run(tmp_path / "ws", database_url, "ingest", str(tmp_path / "nope"), "--case", "C")
    assert missing.returncode == 2 and "evidence not found" in missing.stderr
