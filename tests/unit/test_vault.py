"""The vault: content addressing, atomic writes, private permissions."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from vidtrace.store.vault import Vault


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_put_bytes_is_content_addressed_and_private(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    data = b"benign bytes"
    digest = vault.put_bytes(data)
    assert digest == hashlib.sha256(data).hexdigest()
    path = vault.path_for(digest)
    assert path.relative_to(vault.root).parts == (digest[:2], digest[2:4], digest)
    assert path.read_bytes() == data
    assert _mode(path) == 0o600
    assert vault.put_bytes(data) == digest  # storing twice is harmless
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]


def test_staged_file_is_committed_atomically(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    data = os.urandom(10_000)
    digest = hashlib.sha256(data).hexdigest()
    with vault.staging() as (staged, handle):
        assert _mode(staged) == 0o600
        handle.write(data)
        handle.flush()
        target = vault.commit(staged, digest)
    assert target.read_bytes() == data
    assert _mode(target) == 0o600
    assert not list(vault.staging_dir.iterdir())  # the staged name is gone


def test_uncommitted_staging_leaves_nothing(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    with pytest.raises(RuntimeError), vault.staging() as (_, handle):
        handle.write(b"partial")
        raise RuntimeError("killed mid-file")
    assert not list(vault.staging_dir.iterdir())


def test_leftovers_of_dead_processes_are_cleared(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    vault.staging_dir.mkdir(parents=True)
    dead = vault.staging_dir / "stage-999999999-abc"
    dead.write_bytes(b"x")
    mine = vault.staging_dir / f"stage-{os.getpid()}-abc"
    mine.write_bytes(b"y")
    vault.clear_staging()
    assert not dead.exists()
    assert mine.exists()


def test_rejects_paths_that_are_not_digests(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    with pytest.raises(ValueError):
        vault.path_for("../../etc/passwd")
