"""Archive member names: which are unsafe, and the POSIX form provenance records."""

from __future__ import annotations

import os
import re

_DRIVE = re.compile(r"^[A-Za-z]:")


def printable(name: str) -> str:
    """``name`` with undecodable bytes (surrogate escapes) written as ``\\xNN``, safe to store."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def unsafe_reason(name: str) -> str | None:
    """Why a member name could escape an extraction folder, or None when it is safe.

    Backslashes count as separators: Windows tools write them, and a path that escapes on
    Windows is hostile wherever it is read.
    """
    if "\x00" in name:
        return "NUL in member name"
    if name.startswith(("/", "\\")):
        return "absolute path"
    if _DRIVE.match(name):
        return "Windows drive path"
    if ".." in re.split(r"[/\\]", name):
        return "parent directory component"
    return None


def normalise(name: str, *, backslash_is_separator: bool) -> str:
    """The POSIX form of a safe member name: no ``.`` components, no empty components."""
    if backslash_is_separator:
        name = name.replace("\\", "/")
    return "/".join(part for part in name.split("/") if part not in ("", "."))


class UniquePaths:
    """Gives each member a distinct provenance path: a repeated name gets ``#2``, ``#3``..."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def claim(self, path: str) -> str:
        candidate, n = path, 1
        while candidate in self._used:
            n += 1
            candidate = f"{path}#{n}"
        self._used.add(candidate)
        return candidate
