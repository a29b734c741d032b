"""Running the command line as a user does: a subprocess on a workspace's SQLite database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def run_cli(workspace: Path, *args: str, analyst: str = "dana") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VIDTRACE_ANALYST": analyst}
    env.pop("VIDTRACE_DATABASE_URL", None)
    command = [sys.executable, "-m", "vidtrace", "--workspace", str(workspace), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def cli_json(workspace: Path, *args: str) -> Any:
    """The command's --json output, parsed; the command must succeed."""
    done = run_cli(workspace, *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
