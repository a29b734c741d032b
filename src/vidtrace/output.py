"""Printing for the command line: one JSON document on stdout."""

from __future__ import annotations

import json
import sys
from typing import Any, Protocol


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, sort_keys=False, default=str)
    sys.stdout.write("\n")


class Summary(Protocol):
    def to_json(self) -> dict[str, Any]: ...

    def to_text(self) -> str: ...


def print_summary(summary: Summary, as_json: bool) -> None:
    """A run's summary on stdout: JSON for scripts, text for people."""
    if as_json:
        print_json(summary.to_json())
    else:
        print(summary.to_text())
