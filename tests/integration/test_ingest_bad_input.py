"""Bad input never stops a run and never loses data: each case is recorded with its reason."""

from __future__ import annotations

import os
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from tests.kit.evidence import jpeg_bytes, write_jpeg, write_video
from vidtrace.bootstrap import bootstrap
from vidtrace.config import Limits, Settings
from vidtrace.ingest import worker
from vidtrace.ingest.summary import IngestSummary


def _ingest(settings: Settings, evidence: Path) -> IngestSummary:
    return bootstrap(settings).ingest_runner().run([evidence], "Case A")


def _reasons(summary: IngestSummary) -> dict[str, str]:
    return {s.path: s.code for s in summary.skipped_files}


def _with_good_file(root: Path) -> Path:
    write_jpeg(root / "good.jpg", 1)
    return root


def _assert_good_file_ingested(settings: Settings) -> None:
    paths = [o["path"] for m in bootstrap(settings).media().list() for o in m["occurrences"]]
    assert "good.jpg" in paths


def test_zero_byte_truncated_and_corrupt_images(settings: Settings, tmp_path: Path) -> None:
    root = _with_good_file(tmp_path / "e")
    (root / "empty.jpg").write_bytes(b"")
    data = jpeg_bytes(2)
    (root / "truncated.jpg").write_bytes(data[: len(data) // 3])
    (root / "corrupt.jpg").write_bytes(data[:200] + os.urandom(4000) + data[-100:])
    summary = _ingest(settings, root)
    reasons = _reasons(summary)
    assert summary.files_seen == 4  # the empty file is seen, and skipped
    assert reasons["empty.jpg"] == "empty-file"
    assert reasons["truncated.jpg"] in {"truncated", "corrupt-image"}
    assert reasons["corrupt.jpg"] in {"truncated", "corrupt-image"}
    _assert_good_file_ingested(settings)
    # The broken images keep their hashes: they can still match a known hash set.
    kept = {o["path"] for m in bootstrap(settings).media().list() for o in m["occurrences"]}
    assert {"truncated.jpg", "corrupt.jpg"} <= kept


def test_decompression_bomb_is_refused(settings: Settings, tmp_path: Path) -> None:
    root = _with_good_file(tmp_path / "e")
    write_jpeg(root / "huge.jpg", 3, size=(2000, 1500))
    limited = replace(settings, limits=Limits(max_image_pixels=1_000_000))
    summary = _ingest(limited, root)
    assert _reasons(summary)["huge.jpg"] == "decompression-bomb"
    _assert_good_file_ingested(limited)


def test_unreadable_file(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _with_good_file(tmp_path / "e")
    secret = root / "secret.jpg"
    secret.write_bytes(jpeg_bytes(4))
    secret.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the open fail the way it does for users
        real_open = worker.open_evidence

        def open_denied(path: str) -> object:
            if path.endswith("secret.jpg"):
                raise PermissionError(13, "Permission denied", path)
            return real_open(path)

        monkeypatch.setattr(worker, "open_evidence", open_denied)
    summary = _ingest(settings, root)
    assert _reasons(summary)["secret.jpg"] == "unreadable"
    _assert_good_file_ingested(settings)


def test_broken_symlink_and_symlink_loop(settings: Settings, tmp_path: Path) -> None:
    root = _with_good_file(tmp_path / "e")
    (root / "dangling.jpg").symlink_to(root / "missing.jpg")
    (root / "sub").mkdir()
    (root / "sub" / "loop").symlink_to(root)
    summary = _ingest(settings, root)
    reasons = _reasons(summary)
    assert reasons["dangling.jpg"] == "broken-symlink"
    assert "symlink-loop" in reasons.values()
    _assert_good_file_ingested(settings)


def test_zip_with_escaping_and_absolute_paths(settings: Settings, tmp_path: Path) -> None:
    root = _with_good_file(tmp_path / "e")
    with zipfile.ZipFile(root / "evil.zip", "w") as archive:
        archive.writestr("../../escape.jpg", jpeg_bytes(5))
        archive.writestr("/etc/absolute.jpg", jpeg_bytes(6))
        archive.writestr("fine/inside.jpg", jpeg_bytes(7))
    before = set(tmp_path.rglob("*"))
    summary = _ingest(settings, root)
    unsafe = [s for s in summary.skipped_files if s.code == "unsafe-archive-path"]
    assert len(unsafe) == 2
    media_paths = {o["path"] for m in bootstrap(settings).media().list() for o in m["occurrences"]}
    assert "evil.zip!/fine/inside.jpg" in media_paths
    # Only the workspace (and the test's SQLite file beside it) may gain files.
    created = {p for p in set(tmp_path.rglob("*")) - before if not p.name.startswith("vidtrace.db")}
    assert created
    assert all(settings.workspace in p.parents or p == settings.workspace for p in created)
    assert not (tmp_path / "escape.jpg").exists() and not Path("/etc/absolute.jpg").exists()


def test_zip_bomb_is_capped(settings: Settings, tmp_path: Path) -> None:
    root = _with_good_file(tmp_path / "e")
    with zipfile.ZipFile(root / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * (4 * 1024 * 1024))
        archive.writestr("ok.jpg", jpeg_bytes(8))
    limited = replace(settings, limits=Limits(max_archive_ratio=50.0))
    summary = _ingest(limited, root)
    assert _reasons(summary)["bomb.zip!/zeros.bin"] == "archive-bomb"
    media_paths = {o["path"] for m in bootstrap(limited).media().list() for o in m["occurrences"]}
    assert "bomb.zip!/ok.jpg" in media_paths


def test_video_with_a_broken_stream(settings: Settings, tmp_path: Path) -> None:
    root = _with_good_file(tmp_path / "e")
    data = write_video(tmp_path / "v.mp4", 9).read_bytes()
    (root / "broken.mp4").write_bytes(data[: len(data) // 2])
    (root / "garbage.mp4").write_bytes(data[:64] + os.urandom(20_000))
    summary = _ingest(settings, root)
    reasons = _reasons(summary)
    assert reasons.get("garbage.mp4") == "corrupt-video"
    # A half video either decodes partly or is recorded as corrupt; either way it is kept.
    paths = {o["path"] for m in bootstrap(settings).media().list() for o in m["occurrences"]}
    assert {"broken.mp4", "garbage.mp4", "good.jpg"} <= paths
