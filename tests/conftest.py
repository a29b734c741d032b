"""Suite-wide fixtures. In CI (CI=true) a missing system component fails; elsewhere it skips."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.kit.databases import fresh_postgres_database, postgres_available, sqlite_url
from vidtrace.config import Settings

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip outside CI when a system component is missing; fail in CI, where it must be present."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared benign sample data (../shared/data), present in CI."""
    require(SHARED_DATA.is_dir(), f"shared sample data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def tesseract() -> str:
    """The Tesseract OCR binary (Debian's tesseract-ocr, installed by .ci/run)."""
    path = shutil.which("tesseract")
    require(path is not None, "tesseract is not installed (apt-get install tesseract-ocr)")
    assert path is not None
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every test that takes this runs twice: on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    ok, reason = postgres_available()
    require(ok, reason)
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """A workspace in tmp_path on the parametrised database, one worker (in-process)."""
    return Settings(workspace=tmp_path / "workspace", database_url=database_url, workers=1)
