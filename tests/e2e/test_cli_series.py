"""Series through the command line: group, series list/show, decisions and overlaps, as JSON."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PIL import ImageOps

from tests.kit.cli import cli_json, run_cli
from tests.kit.evidence import scene, write_jpeg


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_group_series_decisions_and_overlaps(tmp_path: Path) -> None:
    nl, de, ws = tmp_path / "nl", tmp_path / "de", tmp_path / "ws"
    original = write_jpeg(nl / "photo.jpg", 1, size=(640, 480))
    write_jpeg(nl / "other.jpg", 2, size=(640, 480))
    de.mkdir()
    scene(1, 640, 480).resize((320, 240)).save(de / "small.jpg", quality=70)
    ImageOps.mirror(scene(1, 640, 480)).save(de / "mirrored.jpg", quality=85)
    for folder, case, agency, country in (
        (nl, "Case NL", "Agency NL", "NL"),
        (de, "Case DE", "Agency DE", "DE"),
    ):
        done = run_cli(
            ws, "ingest", str(folder), "--case", case, "--agency", agency, "--country", country
        )
        assert done.returncode == 0, done.stderr

    summary = cli_json(ws, "group")
    assert summary["series"] == 1 and summary["media_in_series"] == 3
    assert summary["new_links"]["near-duplicate"] >= 2
    assert set(summary["stages"]) >= {"load", "link:near-duplicate", "group", "write"}

    (listed,) = cli_json(ws, "series", "list")
    assert listed["size"] == 3 and listed["countries"] == ["DE", "NL"]
    full_size = {_sha(original), _sha(de / "mirrored.jpg")}
    assert listed["representative"] in full_size, "a full-size picture leads, not the copy"
    shown = cli_json(ws, "series", "show", str(listed["id"]))
    assert {m["sha256"] for m in shown["members"]} >= {_sha(original), _sha(de / "small.jpg")}
    evidence = " ".join(link["evidence"] for link in shown["links_shown"])
    assert "PDQ distance" in evidence and "flip" in evidence, "the mirror matched through a variant"
    media = {m["sha256"]: m for m in cli_json(ws, "media", "list")}
    assert media[_sha(original)]["series"] == listed["id"]
    assert media[_sha(nl / "other.jpg")]["series"] is None

    overlaps = cli_json(ws, "overlaps")
    (overlap,) = overlaps["series"]
    assert overlap["series"] == listed["id"] and overlap["agencies"] == ["Agency DE", "Agency NL"]
    assert {c["case"]: c["media"] for c in overlap["cases"]} == {"Case NL": 1, "Case DE": 2}

    sid = str(listed["id"])
    assert run_cli(ws, "series", "name", sid, "Kitchen").returncode == 0
    assert run_cli(ws, "series", "lock", sid, analyst="erin").returncode == 0
    refused = run_cli(ws, "series", "split", sid, _sha(original))
    assert refused.returncode == 1 and "locked" in refused.stderr
    again = cli_json(ws, "group", "--rebuild")
    assert again["series"] == 1
    shown = cli_json(ws, "series", "show", sid)
    assert shown["name"] == "Kitchen" and shown["locked"]
    assert [(d["actor"], d["action"]) for d in shown["decisions"]] == [
        ("dana", "series.name"),
        ("erin", "series.lock"),
    ]
    missing = run_cli(ws, "series", "show", "999")
    assert missing.returncode == 1 and "no series 999" in missing.stderr
