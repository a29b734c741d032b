"""``manifest.json``: the one file that says which segments and which log make up the index.

It is replaced atomically (temporary file, fsync, ``os.replace``, fsync of the folder), so a
crash leaves either the old or the new manifest; files it does not list are leftovers that the
next writer removes.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from vidtrace.index.chunks import CHUNK_WIDTHS

FORMAT = 1
MANIFEST = "manifest.json"
LOCK = "LOCK"


class IndexLockedError(RuntimeError):
    """Another writer holds the index directory."""


@dataclass(frozen=True)
class SegmentEntry:
    name: str
    count: int
    max_id: int


@dataclass(frozen=True)
class Manifest:
    """Segments oldest first, the current log, and a counter that names new files."""

    segments: tuple[SegmentEntry, ...]
    log: str
    generation: int

    @classmethod
    def empty(cls) -> Manifest:
        return cls(segments=(), log="delta-00000000.log", generation=0)

    def next_name(self, prefix: str, suffix: str = "") -> tuple[Manifest, str]:
        """A fresh file name, and the manifest that has used it up."""
        generation = self.generation + 1
        return replace(self, generation=generation), f"{prefix}-{generation:08d}{suffix}"

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "chunk_widths": CHUNK_WIDTHS,
                "generation": self.generation,
                "log": self.log,
                "segments": [
                    {"name": s.name, "count": s.count, "max_id": s.max_id} for s in self.segments
                ],
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.get("format") != FORMAT or tuple(data.get("chunk_widths", ())) != CHUNK_WIDTHS:
            raise ValueError("manifest.json: unknown index format")
        return cls(
            segments=tuple(
                SegmentEntry(s["name"], int(s["count"]), int(s["max_id"])) for s in data["segments"]
            ),
            log=data["log"],
            generation=int(data["generation"]),
        )


def read_manifest(directory: Path) -> Manifest | None:
    try:
        return Manifest.from_json((directory / MANIFEST).read_text())
    except FileNotFoundError:
        return None


def write_manifest(directory: Path, manifest: Manifest) -> None:
    temporary = directory / f"{MANIFEST}.tmp"
    with temporary.open("w") as stream:
        stream.write(manifest.to_json())
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, directory / MANIFEST)
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def lock_directory(directory: Path) -> int:
    """Take the writer's lock on ``directory``; the returned descriptor holds it until closed."""
    fd = os.open(directory / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise IndexLockedError(f"{directory} is open for writing elsewhere") from None
    return fd


def remove_leftovers(directory: Path, manifest: Manifest) -> None:
    """Delete segments and logs the manifest does not list (replaced, or torn by a crash)."""
    listed = {s.name for s in manifest.segments} | {manifest.log}
    for path in directory.iterdir():
        if path.name in listed:
            continue
        if path.name.startswith("seg-") and path.is_dir():
            shutil.rmtree(path)
        elif (path.name.startswith("delta-") and path.suffix == ".log") or path.suffix == ".tmp":
            path.unlink()
