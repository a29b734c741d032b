"""A run killed with SIGKILL part-way is finished by running it again; nothing counts twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select

from tests.kit.databases import fresh_postgres_database, sqlite_url
from tests.kit.evidence import write_png
from tests.kit.snapshot import database_snapshot
from vidtrace.store.database import make_engine
from vidtrace.store.models import Occurrence

FILES = 700


@contextmanager
def _another_database(first_url: str, folder: Path) -> Iterator[str]:
    if first_url.startswith("sqlite"):
        folder.mkdir()
        yield sqlite_url(folder)
    else:
        with fresh_postgres_database() as url:
            yield url


def _ingest_command(
    workspace: Path, evidence: Path, database_url: str
) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "VIDTRACE_DATABASE_URL": database_url}
    command = [
        sys.executable,
        "-m",
        "vidtrace",
        "--workspace",
        str(workspace),
        "ingest",
        str(evidence),
        "--case",
        "Case A",
        "--workers",
        "1",
        "--no-progress",
        "--json",
    ]
    return command, env


def test_sigkill_then_rerun_equals_an_uninterrupted_run(database_url: str, tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    for index in range(FILES):
        write_png(evidence / f"d{index % 7}" / f"img_{index:04d}.png", index, size=(48, 48))

    command, env = _ingest_command(tmp_path / "ws-killed", evidence, database_url)
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    engine = make_engine(database_url)
    committed = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with engine.connect() as conn:
                committed = conn.scalar(select(func.count()).select_from(Occurrence)) or 0
        except Exception:  # the schema may not exist yet
            committed = 0
        if committed:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert 0 < committed < FILES

    subprocess.run(command, env=env, check=True, capture_output=True)
    resumed = database_snapshot(engine)
    engine.dispose()

    with _another_database(database_url, tmp_path / "clean-db") as clean_url:
        clean_command, clean_env = _ingest_command(tmp_path / "ws-clean", evidence, clean_url)
        subprocess.run(clean_command, env=clean_env, check=True, capture_output=True)
        clean_engine = make_engine(clean_url)
        clean = database_snapshot(clean_engine)
        clean_engine.dispose()

    assert len(resumed["occurrence"]) == FILES
    assert resumed == clean
