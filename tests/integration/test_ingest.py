"""Ingest end to end on both databases: unique media, occurrences, signals, summary, idempotence."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from tests.kit.evidence import exif_bytes, write_jpeg, write_png, write_video
from tests.kit.snapshot import database_snapshot
from vidtrace.bootstrap import bootstrap
from vidtrace.config import Settings
from vidtrace.ingest.runner import EvidenceNotFoundError


def _evidence(root: Path) -> Path:
    write_jpeg(root / "DCIM" / "IMG_0001.JPG", 1, exif=exif_bytes())
    write_jpeg(
        root / "DCIM" / "IMG_0002.JPG",
        2,
        exif=exif_bytes(gps=(-33.8688, 151.2093), offset="+10:00"),
    )
    write_png(root / "screens" / "shot.png", 3)
    shutil.copy(root / "DCIM" / "IMG_0001.JPG", root / "screens" / "copy-of-1.dat")  # same bytes
    (root / "notes.txt").write_text("benign notes\n")
    write_video(root / "clips" / "pan.mp4", 4)
    with zipfile.ZipFile(root / "sent.zip", "w") as archive:
        archive.write(root / "DCIM" / "IMG_0002.JPG", "sent/IMG_0002.JPG")  # same bytes again
        archive.writestr("sent/readme.txt", "hello")
    return root


def test_ingest_records_unique_media_and_every_occurrence(
    settings: Settings, tmp_path: Path
) -> None:
    evidence = _evidence(tmp_path / "evidence")
    app = bootstrap(settings)
    summary = app.ingest_runner().run([evidence], "Case A", "Agency NL")

    # 8 files on disk + 2 archive members
    assert summary.files_seen == 9
    assert summary.unique_media == 7  # 2 jpeg, png, txt, mp4, zip, readme
    assert summary.duplicates == 2
    assert summary.media_by_kind == {"image": 3, "video": 1, "archive": 1, "other": 2}
    assert summary.skipped == 0

    media = {m["sha256"]: m for m in app.media().list()}
    by_path = {o["path"]: m for m in media.values() for o in m["occurrences"]}
    first = by_path["DCIM/IMG_0001.JPG"]
    assert by_path["screens/copy-of-1.dat"] is first  # sniffed by bytes, one media
    assert first["kind"] == "image" and first["mime"] == "image/jpeg"
    assert len(first["md5"]) == 32 and len(first["sha1"]) == 40
    assert (first["width"], first["height"]) == (320, 240)
    assert len(first["pdq"]) == 64 and first["pdq_quality"] >= 50
    assert len(first["pdq_dihedral"]) == 8
    assert first["exif"]["make"] == "Canon"
    assert first["exif"]["serial"] == "0123456789"
    assert first["exif"]["taken_at"] == "2024-05-01T14:30:00+02:00"
    assert first["exif"]["gps"]["lat"] == pytest.approx(52.3676, abs=1e-3)
    second = by_path["sent.zip!/sent/IMG_0002.JPG"]
    assert by_path["DCIM/IMG_0002.JPG"] is second
    assert second["exif"]["gps"]["lon"] == pytest.approx(151.2093, abs=1e-3)
    video = by_path["clips/pan.mp4"]
    assert video["kind"] == "video" and video["duration"] == pytest.approx(3.0, abs=0.2)
    detail = app.media().get(video["sha256"])
    assert detail is not None and len(detail["frames"]) >= 3
    assert any(d["role"] == "keyframe" for d in detail["derivatives"])
    image_detail = app.media().get(first["sha256"])
    assert image_detail is not None
    thumb = [d for d in image_detail["derivatives"] if d["role"] == "thumbnail"]
    assert thumb and app.vault.read_bytes(thumb[0]["vault_sha256"])[8:12] == b"WEBP"
    assert app.vault.exists(first["sha256"])  # the original is kept
    assert by_path["notes.txt"]["kind"] == "other"


def test_the_same_bytes_in_two_cases_are_one_media_two_occurrences(
    settings: Settings, tmp_path: Path
) -> None:
    one = tmp_path / "one"
    two = tmp_path / "two"
    write_jpeg(one / "a.jpg", 7)
    two.mkdir()
    shutil.copy(one / "a.jpg", two / "renamed.bin")
    app = bootstrap(settings)
    app.ingest_runner().run([one], "Case A")
    summary = app.ingest_runner().run([two], "Case B")
    assert summary.new_media == 0  # known bytes are not decoded again
    [media] = app.media().list()
    assert {(o["case"], o["path"]) for o in media["occurrences"]} == {
        ("Case A", "a.jpg"),
        ("Case B", "renamed.bin"),
    }
    assert [m["sha256"] for m in app.media().list(case="Case B")] == [media["sha256"]]


def test_running_the_same_ingest_again_adds_nothing(settings: Settings, tmp_path: Path) -> None:
    evidence = _evidence(tmp_path / "evidence")
    app = bootstrap(settings)
    first = app.ingest_runner().run([evidence], "Case A")
    before = database_snapshot(app.engine)
    again = app.ingest_runner().run([evidence], "Case A")
    assert database_snapshot(app.engine) == before
    assert again.new_media == 0
    assert (again.files_seen, again.unique_media, again.duplicates) == (
        first.files_seen,
        first.unique_media,
        first.duplicates,
    )


def test_missing_evidence_is_a_clear_error(settings: Settings, tmp_path: Path) -> None:
    app = bootstrap(settings)
    with pytest.raises(EvidenceNotFoundError):
        app.ingest_runner().run([tmp_path / "nowhere"], "Case A")
