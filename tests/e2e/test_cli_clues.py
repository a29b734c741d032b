"""Clues and the country of production through the command line, as JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.kit.cli import cli_json, run_cli
from tests.kit.evidence import exif_bytes, scene

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _sign(path: Path, lines: list[str], exif: bytes) -> None:
    image = scene(21, 1200, 900)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(DEJAVU), 56) if DEJAVU.exists() else ImageFont.load_default(56)
    draw.rectangle((80, 120, 1120, 150 + 90 * len(lines)), fill=(245, 242, 230))
    for row, line in enumerate(lines):
        draw.text((110, 140 + 90 * row), line, fill=(20, 20, 30), font=font)
    image.save(path, "JPEG", quality=95, exif=exif)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, tesseract: str) -> Path:
    root = tmp_path_factory.mktemp("clues")
    evidence = root / "evidence"
    evidence.mkdir()
    # a shop photographed twice in Salzburg, its sign naming a German phone and domain
    at = exif_bytes(gps=(47.8095, 13.0550), offset="+02:00", taken_at="2023:07:01 11:00:00")
    sign = ["Metzgerei Huber", "Tel. +49 8651 555012", "www.metzgerei-huber.de"]
    _sign(evidence / "IMG_0101.JPG", sign, at)
    Image.open(evidence / "IMG_0101.JPG").resize((1000, 750)).save(
        evidence / "IMG_0101_small.JPG", "JPEG", quality=85, exif=at
    )
    # a file cut short: it must be a skip with its reason, never a failed run
    scene(5, 1200, 900).save(evidence / "whole.jpg", "JPEG", quality=95)
    data = (evidence / "whole.jpg").read_bytes()
    (evidence / "whole.jpg").unlink()
    (evidence / "broken.jpg").write_bytes(data[: len(data) // 3])
    workspace = root / "ws"
    assert run_cli(workspace, "ingest", str(evidence), "--case", "shop").returncode == 0
    assert run_cli(workspace, "group").returncode == 0
    # --foreground: beside the other test worker, a lowered priority would make OCR wait
    EXTRACTED[workspace] = cli_json(workspace, "clues", "extract", "--foreground")
    return workspace


EXTRACTED: dict[Path, Any] = {}  # the first extraction's summary, per workspace


def test_extract_then_rank_shows_the_conflict_and_both_sides(workspace: Path) -> None:
    summary = EXTRACTED[workspace]
    assert summary["media"] == 3
    assert summary["clues"]["gps"] == 2 and summary["clues"]["phone"] >= 1
    assert summary["unavailable"] == {}
    (series,) = cli_json(workspace, "series", "list")
    report = cli_json(workspace, "country", str(series["id"]))
    assert report["conflict"] is True
    assert {tuple(side["countries"]) for side in report["conflict_sides"]} >= {("AT",), ("DE",)}
    ranked = {entry["country"]: entry for entry in report["ranking"]}
    assert [e["country"] for e in report["ranking"][:2]] in (["AT", "DE"], ["DE", "AT"])
    assert all(set(e) >= {"country", "probability", "clues", "against"} for e in ranked.values())
    assert 0.99 <= sum(e["probability"] for e in report["ranking"]) <= 1.01
    # each side is explained: GPS for Austria and against Germany, the phone the other way
    assert "gps" in {c["kind"] for c in ranked["AT"]["clues"]}
    assert "phone" in {c["kind"] for c in ranked["AT"]["against"]}
    assert "phone" in {c["kind"] for c in ranked["DE"]["clues"]}
    assert "gps" in {c["kind"] for c in ranked["DE"]["against"]}
    assert (
        cli_json(workspace, "clues", "extract", "--foreground")["media"] == 0
    )  # nothing left to read


def test_an_unreadable_file_is_a_skip_with_its_reason(workspace: Path) -> None:
    media = {m["occurrences"][0]["path"]: m["sha256"] for m in cli_json(workspace, "media", "list")}
    broken = media["broken.jpg"]
    report = cli_json(workspace, "country", "--media", broken)
    assert report["ranking"] == [] and report["conflict"] is False
    assert cli_json(workspace, "clues", "list", "--media", broken) == []
    shown = cli_json(workspace, "media", "show", broken)
    outcomes = {o["extractor"]: o for o in shown["clue_extraction"]}
    assert outcomes["text"]["outcome"] == "skipped" and outcomes["text"]["reason"]
    assert outcomes["gps"]["outcome"] == "nothing"
    sign = cli_json(workspace, "media", "show", media["IMG_0101.JPG"])
    assert any("Metzgerei" in t["text"] for t in sign["texts"])
    found = cli_json(workspace, "clues", "search", "metzgerei")
    assert media["IMG_0101.JPG"] in {hit["media"] for hit in found}
    assert {c["kind"] for c in sign["clues"]} >= {"gps", "phone", "domain", "language"}


def test_analyst_clues_and_the_decision(workspace: Path) -> None:
    (series,) = cli_json(workspace, "series", "list")
    sha256 = series["representative"]
    bad = run_cli(
        workspace, "clues", "add", sha256, "--kind", "sign", "--value", "x", "--countries", "UK"
    )
    assert bad.returncode == 2 and "not an ISO 3166-1 alpha-2" in bad.stderr
    unknown = run_cli(workspace, "clues", "add", sha256, "--kind", "horoscope", "--value", "Leo")
    assert unknown.returncode == 2 and "horoscope" in unknown.stderr
    added = run_cli(workspace, "clues", "add", sha256, "--kind", "plug", "--value", "F")
    assert added.returncode == 0, added.stderr
    plug = next(c for c in cli_json(workspace, "clues", "list", "--kind", "plug"))
    assert plug["analyst"] == "dana" and plug["status"] == "confirmed" and "AT" in plug["countries"]
    phone = cli_json(workspace, "clues", "list", "--kind", "phone")[0]
    assert (
        run_cli(
            workspace, "clues", "reject", str(phone["id"]), "--reason", "shop's supplier"
        ).returncode
        == 0
    )
    assert cli_json(workspace, "clues", "list", "--status", "rejected")[0]["id"] == phone["id"]
    decided = cli_json(
        workspace, "country", str(series["id"]), "--decide", "AT", "--note", "GPS and plug"
    )
    assert decided["country"] == "AT" and plug["id"] in decided["clues"]
    (notification,) = cli_json(workspace, "notifications", "--status", "pending")
    assert notification["country"] == "AT" and notification["series"] == series["id"]
    report = cli_json(workspace, "country", str(series["id"]))
    assert report["decisions"][0]["analyst"] == "dana"
    kinds = cli_json(workspace, "clues", "kinds")
    assert {"gps", "plug", "language"} <= {k["kind"] for k in kinds["kinds"]}
    assert "plug" in kinds["reference_tables"]
