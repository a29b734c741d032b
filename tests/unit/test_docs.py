"""Every command, option and setting is documented (model: datasette's tests/test_docs.py)."""

from __future__ import annotations

import argparse
import re
from dataclasses import fields
from pathlib import Path

import pytest

from vidtrace.cli import build_parser
from vidtrace.config import Limits

ROOT = Path(__file__).resolve().parents[2]
DOCS = "\n".join(p.read_text() for p in sorted((ROOT / "docs").rglob("*.md")))


def _commands(
    parser: argparse.ArgumentParser, prefix: str = "vidtrace"
) -> list[tuple[str, argparse.ArgumentParser]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((f"{prefix} {name}", sub))
                found.extend(_commands(sub, f"{prefix} {name}"))
    return found


COMMANDS = _commands(build_parser())


@pytest.mark.parametrize("command", [c for c, _ in COMMANDS])
def test_every_command_is_documented(command: str) -> None:
    assert f"`{command}" in DOCS


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (command, option)
        for command, sub in COMMANDS
        for action in sub._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ],
)
def test_every_option_is_documented(command: str, option: str) -> None:
    assert option in DOCS, f"{command} {option} is not documented"


def test_every_environment_setting_is_documented() -> None:
    source = (ROOT / "src" / "vidtrace" / "config.py").read_text()
    for name in set(re.findall(r"VIDTRACE_[A-Z_]+", source)):
        assert name in DOCS, f"{name} is not documented"


@pytest.mark.parametrize("limit", [f.name for f in fields(Limits)])
def test_every_limit_is_documented(limit: str) -> None:
    assert limit in DOCS
