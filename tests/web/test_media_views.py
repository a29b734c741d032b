"""The audited core: masked thumbnails, reveals, full views and downloads, access checks, and
the proof that no original leaves without its audit row."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image
from sqlalchemy import select, text

from tests.web.conftest import Workbench, csrf_of, login
from vidtrace.store.models import AuditEvent
from vidtrace.store.thumbnails import VaultThumbnails


def audit_rows(bench: Workbench, sha: str) -> list[tuple[str, str, str | None]]:
    query = (
        select(AuditEvent.actor, AuditEvent.action, AuditEvent.client)
        .where(AuditEvent.object_type == "media", AuditEvent.object_id == sha)
        .order_by(AuditEvent.id)
    )
    with bench.app.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]  # type: ignore[misc]


def test_thumbnail_is_masked_and_grey(workbench: Workbench) -> None:
    sha = workbench.media["a-1"]
    alice = login(workbench.client(), "alice")
    response = alice.get(f"/media/{sha}/thumbnail")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    masked = Image.open(io.BytesIO(response.content))
    assert masked.mode == "L", "greyscale by default"
    clear = VaultThumbnails(workbench.app.engine, workbench.app.vault).grey(sha)
    assert clear is not None and clear.shape == np.asarray(masked).shape
    diff = np.abs(clear.astype(int) - np.asarray(masked).astype(int)).mean()
    assert diff > 5, "blurred, not the stored thumbnail"
    assert np.asarray(masked).std() < clear.std(), "blur removes detail"

    token = csrf_of(alice)
    alice.post("/me/exposure", data={"blur_level": "8", "csrf_token": token})
    coloured = Image.open(io.BytesIO(alice.get(f"/media/{sha}/thumbnail").content))
    assert coloured.mode == "RGB"


def test_reveal_then_full_view_are_audited(workbench: Workbench) -> None:
    sha = workbench.media["a-2"]
    alice = login(workbench.client("10.1.2.3"), "alice")
    reveal = alice.post(f"/media/{sha}/reveal", headers={"X-CSRF-Token": csrf_of(alice)})
    assert reveal.status_code == 200
    url = reveal.json()["url"]
    assert url.startswith(f"/media/{sha}/full?")
    full = alice.get(url)
    original = workbench.app.vault.read_bytes(sha)
    assert full.status_code == 200 and full.content == original
    assert full.headers["cache-control"] == "no-store"
    download = alice.get(f"/media/{sha}/download")
    assert download.content == original
    assert download.headers["content-disposition"].startswith("attachment")
    assert audit_rows(workbench, sha) == [
        ("alice", "reveal", "10.1.2.3"),
        ("alice", "view", "10.1.2.3"),
        ("alice", "download", "10.1.2.3"),
    ]


def test_no_bytes_without_an_audit_row(workbench: Workbench) -> None:
    sha = workbench.media["a-1"]
    alice = login(workbench.client(), "alice")
    with workbench.app.engine.begin() as conn:
        conn.execute(text("DROP TABLE audit_event"))
    original = workbench.app.vault.read_bytes(sha)
    for path in (f"/media/{sha}/full", f"/media/{sha}/download"):
        response = alice.get(path)
        assert response.status_code == 503
        assert response.json() == {"error": "the store is unavailable; nothing was served"}
        assert original not in response.content and not response.content.startswith(b"\xff\xd8")


def test_other_agencies_media_is_not_found(workbench: Workbench) -> None:
    theirs = workbench.media["c-1"]
    alice = login(workbench.client(), "alice")
    token = csrf_of(alice)
    missing = "0" * 64
    for sha in (theirs, missing, "not-a-hash"):
        assert alice.get(f"/media/{sha}/thumbnail").status_code == 404
        assert alice.get(f"/media/{sha}/full").status_code == 404
        assert alice.post(f"/media/{sha}/reveal", headers={"X-CSRF-Token": token}).json() == {
            "error": "no such media item"
        }
    assert audit_rows(workbench, theirs) == []
    bob = login(workbench.client(), "bob")
    assert bob.get(f"/media/{theirs}/thumbnail").status_code == 200


def test_read_only_may_look_but_not_reveal(workbench: Workbench) -> None:
    sha = workbench.media["a-1"]
    reader = login(workbench.client(), "reader")
    token = csrf_of(reader)
    assert reader.get(f"/media/{sha}/thumbnail").status_code == 200
    refused = reader.post(f"/media/{sha}/reveal", headers={"X-CSRF-Token": token})
    assert refused.status_code == 403 and "read-only" in refused.json()["error"]
    assert reader.get(f"/media/{sha}/full").status_code == 403
    theirs = workbench.media["c-1"]
    hidden = reader.post(f"/media/{theirs}/reveal", headers={"X-CSRF-Token": token})
    assert hidden.status_code == 404, "invisible beats forbidden: existence does not leak"
    assert audit_rows(workbench, sha) == []


def test_media_needs_a_session(workbench: Workbench) -> None:
    sha = workbench.media["a-1"]
    client = workbench.client()
    assert client.get(f"/media/{sha}/thumbnail").status_code == 401
    assert client.get(f"/media/{sha}/full").status_code == 401
