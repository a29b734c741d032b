"""folder.walk(): recursion, provenance, links, loops and files that must not be opened."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from vidtrace.domain.skip import SkipCode
from vidtrace.sources.base import SourceEntry
from vidtrace.sources.folder import ROOT_DIR, walk


def _by_path(root: Path) -> dict[str, SourceEntry]:
    return {e.provenance.path: e for e in walk(root)}


def _write(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_recursion_is_sorted_with_relative_posix_paths(tmp_path: Path) -> None:
    for rel in ["b.jpg", "a/z.png", "a/b/c.gif", "c/d.txt", "a/a.txt"]:
        _write(tmp_path / rel)
    (tmp_path / "empty").mkdir()
    paths = [e.provenance.path for e in walk(tmp_path)]
    assert paths == ["a/a.txt", "a/b/c.gif", "a/z.png", "b.jpg", "c/d.txt"]
    assert paths == [e.provenance.path for e in walk(tmp_path)]  # deterministic


def test_provenance_carries_size_and_times(tmp_path: Path) -> None:
    photo = _write(tmp_path / "sub" / "photo.jpg", b"12345")
    os.utime(photo, (1_600_000_000.5, 1_500_000_000.25))
    (entry,) = walk(tmp_path)
    assert entry.skipped is None
    assert entry.fs_path == str(photo)
    assert entry.container is None and entry.member is None
    prov = entry.provenance
    assert (prov.chain, prov.path, prov.size) == ((), "sub/photo.jpg", 5)
    assert prov.mtime == pytest.approx(1_500_000_000.25)
    assert prov.atime == pytest.approx(1_600_000_000.5)
    assert prov.ctime == pytest.approx(photo.stat().st_ctime)


def test_a_single_file_root_is_one_entry_named_after_the_file(tmp_path: Path) -> None:
    photo = _write(tmp_path / "evidence" / "photo.jpg", b"abc")
    (entry,) = walk(photo)
    assert (entry.provenance.path, entry.provenance.size, entry.fs_path) == (
        "photo.jpg",
        3,
        str(photo),
    )


def test_a_missing_root_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        list(walk(tmp_path / "nowhere"))


def test_symlink_to_a_file_is_followed(tmp_path: Path) -> None:
    target = _write(tmp_path / "real" / "photo.jpg", b"abcdef")
    (tmp_path / "link.jpg").symlink_to(target)
    entries = _by_path(tmp_path)
    link = entries["link.jpg"]
    assert link.skipped is None
    assert link.provenance.size == 6
    assert Path(link.fs_path or "").read_bytes() == b"abcdef"
    assert entries["real/photo.jpg"].skipped is None


def test_symlink_to_a_folder_outside_the_root_is_followed(tmp_path: Path) -> None:
    _write(tmp_path / "elsewhere" / "photo.jpg")
    root = tmp_path / "root"
    root.mkdir()
    (root / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert [e.provenance.path for e in walk(root)] == ["linked/photo.jpg"]


def test_symlink_loop_to_a_parent_is_skipped_and_the_walk_ends(tmp_path: Path) -> None:
    _write(tmp_path / "a" / "photo.jpg")
    (tmp_path / "a" / "up").symlink_to(tmp_path, target_is_directory=True)
    entries = list(walk(tmp_path))
    assert [e.provenance.path for e in entries] == ["a/photo.jpg", "a/up"]
    loop = entries[1]
    assert loop.skipped is not None and loop.skipped.code is SkipCode.SYMLINK_LOOP
    assert ROOT_DIR in loop.skipped.detail
    assert loop.fs_path is None


def test_symlink_to_an_already_walked_folder_is_not_walked_twice(tmp_path: Path) -> None:
    _write(tmp_path / "a" / "photo.jpg")
    (tmp_path / "b").symlink_to(tmp_path / "a", target_is_directory=True)
    entries = _by_path(tmp_path)
    assert set(entries) == {"a/photo.jpg", "b"}
    skipped = entries["b"].skipped
    assert skipped is not None and skipped.code is SkipCode.SYMLINK_LOOP


def test_symlink_to_itself_is_a_loop(tmp_path: Path) -> None:
    (tmp_path / "self").symlink_to(tmp_path / "self")
    (entry,) = walk(tmp_path)
    assert entry.skipped is not None and entry.skipped.code is SkipCode.SYMLINK_LOOP


def test_broken_symlink(tmp_path: Path) -> None:
    (tmp_path / "gone.jpg").symlink_to(tmp_path / "missing.jpg")
    _write(tmp_path / "ok.jpg")
    entries = _by_path(tmp_path)
    broken = entries["gone.jpg"].skipped
    assert broken is not None and broken.code is SkipCode.BROKEN_SYMLINK
    assert "missing.jpg" in broken.detail
    assert entries["ok.jpg"].skipped is None


def test_broken_symlink_as_root(tmp_path: Path) -> None:
    (tmp_path / "gone").symlink_to(tmp_path / "missing")
    (entry,) = walk(tmp_path / "gone")
    assert entry.skipped is not None and entry.skipped.code is SkipCode.BROKEN_SYMLINK


def test_unlistable_folder_is_skipped_and_the_rest_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulated, so the test also holds when run as root (where chmod 000 changes nothing).
    _write(tmp_path / "locked" / "secret.jpg")
    _write(tmp_path / "open" / "photo.jpg")
    real_scandir = os.scandir

    def scandir(path: str) -> Iterator[os.DirEntry[str]]:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    entries = _by_path(tmp_path)
    assert set(entries) == {"locked", "open/photo.jpg"}
    locked = entries["locked"].skipped
    assert locked is not None and locked.code is SkipCode.UNREADABLE


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder; the simulated test covers it")
def test_unlistable_folder_for_real(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    _write(locked / "secret.jpg")
    locked.chmod(0)
    try:
        (entry,) = walk(tmp_path)
    finally:
        locked.chmod(0o700)
    assert entry.skipped is not None and entry.skipped.code is SkipCode.UNREADABLE


def test_unlistable_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def scandir(path: str) -> Iterator[os.DirEntry[str]]:
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(os, "scandir", scandir)
    (entry,) = walk(tmp_path)
    assert entry.provenance.path == ROOT_DIR
    assert entry.skipped is not None and entry.skipped.code is SkipCode.UNREADABLE


def test_unreadable_file_is_still_yielded(tmp_path: Path) -> None:
    secret = _write(tmp_path / "secret.jpg", b"abc")
    secret.chmod(0)
    (entry,) = walk(tmp_path)
    assert entry.skipped is None and entry.fs_path == str(secret)
    assert entry.provenance.size == 3


def test_fifo_is_unsupported_and_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "pipe-link").symlink_to(tmp_path / "pipe")
    entries = _by_path(tmp_path)  # would block forever if the fifo were opened
    for name in ("pipe", "pipe-link"):
        skipped = entries[name].skipped
        assert skipped is not None and skipped.code is SkipCode.UNSUPPORTED
        assert "fifo" in skipped.detail
        assert entries[name].fs_path is None


def test_fifo_as_root(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (entry,) = walk(tmp_path / "pipe")
    assert entry.skipped is not None and entry.skipped.code is SkipCode.UNSUPPORTED


def test_undecodable_names_are_recorded_printably(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9.jpg"  # Latin-1 bytes, not UTF-8
    with open(raw, "wb") as fp:
        fp.write(b"abc")
    (entry,) = walk(tmp_path)
    assert entry.provenance.path == "caf\\xe9.jpg"
    entry.provenance.path.encode("utf-8")  # storable
    with open(entry.fs_path or "", "rb") as fp:  # the real name still opens the file
        assert fp.read() == b"abc"
