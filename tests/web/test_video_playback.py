"""Playing a revealed video: byte ranges for the player, only after an audited reveal, one
"view" row per playback (not one per range)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi.testclient import TestClient

from tests.kit.evidence import write_video
from tests.web.conftest import Workbench, csrf_of, login
from tests.web.test_media_views import audit_rows


def ingest_video(bench: Workbench, tmp_path: Path) -> str:
    path = write_video(tmp_path / "clips" / "clip.mp4", seed=77, seconds=2)
    bench.app.ingest_runner().run([tmp_path / "clips"], "Case A", "Agency A", "NL")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def revealed(client: TestClient, sha: str) -> str:
    response = client.post(f"/media/{sha}/reveal", headers={"X-CSRF-Token": csrf_of(client)})
    assert response.status_code == 200, response.text
    return str(response.json()["url"])


def test_a_revealed_video_plays_in_ranges(workbench: Workbench, tmp_path: Path) -> None:
    sha = ingest_video(workbench, tmp_path)
    original = workbench.app.vault.read_bytes(sha)
    alice = login(workbench.client("10.0.0.7"), "alice")
    url = revealed(alice, sha)

    first = alice.get(url, headers={"Range": "bytes=0-99"})
    assert first.status_code == 206
    assert first.content == original[:100]
    assert first.headers["content-range"] == f"bytes 0-99/{len(original)}"
    assert first.headers["accept-ranges"] == "bytes"
    assert first.headers["content-type"] == "video/mp4"
    seek = alice.get(url, headers={"Range": f"bytes=100-{len(original) + 50}"})
    assert seek.status_code == 206 and seek.content == original[100:]
    whole = alice.get(url)
    assert whole.status_code == 200 and whole.content == original

    assert audit_rows(workbench, sha) == [
        ("alice", "reveal", "10.0.0.7"),
        ("alice", "view", "10.0.0.7"),  # the playback from byte 0
        ("alice", "view", "10.0.0.7"),  # the whole file
    ], "a seek within a reveal is covered by it, not a new view"


def test_no_video_byte_without_a_reveal(workbench: Workbench, tmp_path: Path) -> None:
    sha = ingest_video(workbench, tmp_path)
    alice = login(workbench.client(), "alice")
    plain = alice.get(f"/media/{sha}/full", headers={"Range": "bytes=0-99"})
    assert plain.status_code == 403
    assert plain.json() == {"error": "a video plays only after you reveal it"}
    forged = alice.get(f"/media/{sha}/full?reveal=0123456789abcdef")
    assert forged.status_code == 403
    assert audit_rows(workbench, sha) == []

    url = revealed(login(workbench.client(), "admin"), sha)
    borrowed = alice.get(url, headers={"Range": "bytes=0-99"})
    assert borrowed.status_code == 403, "a reveal is the revealer's own"


def test_a_range_outside_the_video_is_refused(workbench: Workbench, tmp_path: Path) -> None:
    sha = ingest_video(workbench, tmp_path)
    alice = login(workbench.client(), "alice")
    url = revealed(alice, sha)
    size = len(workbench.app.vault.read_bytes(sha))
    for header in (f"bytes={size}-", "bytes=5-2", "bytes=0-1,5-9", "items=0-1"):
        response = alice.get(url, headers={"Range": header})
        assert response.status_code == 416, header
        assert "range" in response.json()["error"]
    bob = login(workbench.client(), "bob")
    assert bob.get(url, headers={"Range": "bytes=0-9"}).status_code == 404
