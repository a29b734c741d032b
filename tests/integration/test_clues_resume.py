"""Clue extraction killed with SIGKILL part-way is finished by running it again: the clues and
texts then equal those of a run never interrupted, and nothing is stored twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from PIL import ImageDraw, ImageFont
from sqlalchemy import Engine, func, select

from tests.kit.evidence import exif_bytes, scene
from vidtrace.config import Settings
from vidtrace.store.database import make_engine
from vidtrace.store.models import ClueExtraction, ClueRow, MediaText

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PICTURES = 10
EXTRACTORS = 7


def _evidence(folder: Path) -> None:
    folder.mkdir(parents=True)
    font = ImageFont.truetype(str(DEJAVU), 48) if DEJAVU.exists() else ImageFont.load_default(48)
    for index in range(PICTURES):
        image = scene(300 + index, 960, 720)
        draw = ImageDraw.Draw(image)
        draw.rectangle((60, 80, 900, 260), fill=(245, 242, 230))
        draw.text((90, 100), f"Apotheke Nummer {index}", fill=(20, 20, 30), font=font)
        draw.text((90, 180), f"Tel. +49 30 5550 {1000 + index}", fill=(20, 20, 30), font=font)
        exif = exif_bytes(gps=(52.52 + index / 1000, 13.40), taken_at="2023:06:14 10:00:00")
        image.save(folder / f"IMG_{index:04d}.JPG", "JPEG", quality=92, exif=exif)


def _cli(workspace: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "vidtrace", "--workspace", str(workspace), *args]


def _ingested(workspace: Path, evidence: Path) -> Engine:
    env = {k: v for k, v in os.environ.items() if k != "VIDTRACE_DATABASE_URL"}
    subprocess.run(_cli(workspace, "ingest", str(evidence), "--case", "A"), env=env, check=True)
    return make_engine(Settings(workspace=workspace).resolved_database_url)


def _stored(engine: Engine) -> tuple[Counter[tuple[str, str, str]], Counter[str], int]:
    with engine.connect() as conn:
        clues = Counter(
            (row.media_sha256, row.kind, row.value)
            for row in conn.execute(select(ClueRow.media_sha256, ClueRow.kind, ClueRow.value))
        )
        texts = Counter(conn.scalars(select(MediaText.media_sha256)))
        done = conn.scalar(select(func.count()).select_from(ClueExtraction)) or 0
    return clues, texts, done


def test_sigkill_then_rerun_equals_an_uninterrupted_run(tmp_path: Path, tesseract: str) -> None:
    _evidence(tmp_path / "evidence")
    env = {k: v for k, v in os.environ.items() if k != "VIDTRACE_DATABASE_URL"}
    killed = _ingested(tmp_path / "killed", tmp_path / "evidence")
    reader = subprocess.Popen(
        _cli(tmp_path / "killed", "clues", "extract", "--workers", "1"),
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while _stored(killed)[2] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)  # until the first batch is stored
    os.killpg(reader.pid, signal.SIGKILL)
    reader.wait()
    part = _stored(killed)[2]
    assert 0 < part < PICTURES * EXTRACTORS, "killed before the first batch or after the last"
    subprocess.run(
        _cli(tmp_path / "killed", "clues", "extract", "--foreground"), env=env, check=True
    )

    whole = _ingested(tmp_path / "whole", tmp_path / "evidence")
    subprocess.run(
        _cli(tmp_path / "whole", "clues", "extract", "--foreground"), env=env, check=True
    )

    resumed, uninterrupted = _stored(killed), _stored(whole)
    assert resumed == uninterrupted
    clues, texts, done = resumed
    assert done == PICTURES * EXTRACTORS
    assert sum(1 for (_, kind, _) in clues if kind == "phone") == PICTURES
    assert max(clues.values()) == 1  # no clue stored twice
    assert len(texts) == PICTURES
