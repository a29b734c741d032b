"""Through the command line: `media list --json` on the shared camera samples gives the make,
model, date and GPS that exif-py's own dump lists for them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.kit.exif_dump import dump_gps, dump_taken_at, read_dump


def _vidtrace(workspace: Path, database_url: str, *args: str) -> str:
    env = {**os.environ, "VIDTRACE_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "vidtrace", "--workspace", str(workspace), *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


def test_media_list_matches_the_exif_dump(
    shared_data: Path, database_url: str, tmp_path: Path
) -> None:
    samples = shared_data / "exif" / "exif-py"
    summary = json.loads(
        _vidtrace(
            tmp_path / "ws",
            database_url,
            "ingest",
            str(samples),
            "--case",
            "Cameras",
            "--workers",
            "2",
            "--json",
        )
    )
    assert summary["files_seen"] >= 100
    media = json.loads(_vidtrace(tmp_path / "ws", database_url, "media", "list", "--json"))
    by_path = {o["path"]: item for item in media for o in item["occurrences"]}
    checked = {"make": 0, "model": 0, "date": 0, "gps": 0}
    for relative, tags in read_dump(samples / "dump.txt").items():
        if tags is None or relative not in by_path:
            continue
        exif = by_path[relative]["exif"]
        if "Image Make" in tags and tags["Image Make"].strip(" \x00"):
            assert exif["make"] == tags["Image Make"].strip(" \x00"), relative
            checked["make"] += 1
        if "Image Model" in tags and tags["Image Model"].strip(" \x00"):
            assert exif["model"] == tags["Image Model"].strip(" \x00"), relative
            checked["model"] += 1
        expected_date = dump_taken_at(tags)
        if expected_date:
            assert (exif["taken_at"] or "")[:19] == expected_date, relative
            checked["date"] += 1
        expected_gps = dump_gps(tags) if "GPS GPSLatitude" in tags else None
        if expected_gps is not None:
            assert exif["gps"]["lat"] == pytest.approx(expected_gps.lat, abs=1e-4), relative
            assert exif["gps"]["lon"] == pytest.approx(expected_gps.lon, abs=1e-4), relative
            checked["gps"] += 1
    assert checked["make"] >= 60 and checked["model"] >= 60
    assert checked["date"] >= 70 and checked["gps"] >= 17
