"""Suite-wide fixtures. In CI (CI=true) a missing system component fails; elsewhere it skips."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
