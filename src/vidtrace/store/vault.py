"""Content-addressed blob storage: ``ab/cd/abcd...`` by SHA-256, written atomically, mode 0600.

Blobs are never served from here directly: the web layer checks access and audits first.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

FILE_MODE = 0o600


class Vault:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.staging_dir = root / ".staging"

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    @contextmanager
    def staging(self) -> Iterator[tuple[Path, BinaryIO]]:
        """A private temporary file inside the vault; removed on exit unless committed."""
        self.staging_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.staging_dir, prefix=f"stage-{os.getpid()}-")
        os.fchmod(fd, FILE_MODE)
        path = Path(name)
        try:
            with os.fdopen(fd, "w+b") as handle:
                yield path, handle
        finally:
            path.unlink(missing_ok=True)

    def commit(self, staged: Path, sha256: str) -> Path:
        """Move a staged file to its address (atomic rename); keep a copy already there."""
        target = self.path_for(sha256)
        if target.exists():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            # A hard link publishes the complete staged file under its address in one step;
            # the staging context removes the staged name afterwards.
            os.link(staged, target)
        except FileExistsError:
            return target  # another worker stored the same bytes first
        except OSError:
            _copy_atomic(staged, target)
        os.chmod(target, FILE_MODE)
        return target

    def put_bytes(self, data: bytes) -> str:
        """Store ``data`` under its SHA-256 and return the digest."""
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path_for(sha256)
        if target.exists():
            return sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            os.fchmod(fd, FILE_MODE)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(name, target)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        return sha256

    def read_bytes(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def clear_staging(self) -> None:
        """Remove staging files left by killed processes (those of live processes stay)."""
        if not self.staging_dir.is_dir():
            return
        for leftover in self.staging_dir.iterdir():
            pid = leftover.name.split("-")[1] if leftover.name.count("-") >= 2 else ""
            if not pid.isdigit() or not _process_alive(int(pid)):
                leftover.unlink(missing_ok=True)


def _copy_atomic(staged: Path, target: Path) -> None:
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out, staged.open("rb") as src:
            while block := src.read(1 << 20):
                out.write(block)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
