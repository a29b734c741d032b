"""Trace an Object proposals through the services, on both databases: the four-eyes rules,
rejection, publication to a fake portal (and when it is down), withdrawal, who sees what, the
audit trail, and the ``vidtrace objects`` commands."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select, update

import vidtrace.cli_objects
from tests.kit.evidence import write_video
from tests.kit.series_kit import write_named
from tests.kit.trace_objects import (
    FakePortal,
    add_reviewers,
    approved_by,
    propose,
    published_object,
    publisher,
    viewer_named,
)
from tests.web.conftest import PASSWORD
from vidtrace.bootstrap import App, bootstrap
from vidtrace.cli import main
from vidtrace.config import Settings
from vidtrace.domain.viewer import Role
from vidtrace.publish.publisher import WithdrawError
from vidtrace.store.audit import audit_trail
from vidtrace.store.models import PublishedObject
from vidtrace.store.object_proposals import ObjectError, ObjectNotFound, ObjectProposals
from vidtrace.store.object_queries import ObjectQueries
from vidtrace.store.users import UserStore


@dataclass
class Bench:
    app: App
    media: dict[str, str]  # file stem -> sha256


@pytest.fixture
def bench(settings: Settings, tmp_path: Path) -> Iterator[Bench]:
    app = bootstrap(settings)
    own = write_named(tmp_path / "a", ["a-1.jpg", "a-2.jpg"])
    own["v-1"] = write_video(tmp_path / "a" / "v-1.mp4", seed=5)
    other = write_named(tmp_path / "b", ["c-1.jpg"], first_seed=300)
    app.ingest_runner().run([tmp_path / "a"], "Case A", "Agency A", "NL")
    app.ingest_runner().run([tmp_path / "b"], "Case B", "Agency B", "DE")
    users = UserStore(app.engine)
    users.add("admin", PASSWORD, Role.ADMIN, None, "test")
    users.add("alice", PASSWORD, Role.ANALYST, "Agency A", "test")
    users.add("bob", PASSWORD, Role.ANALYST, "Agency B", "test")
    add_reviewers(app)
    media = {
        stem: hashlib.sha256(path.read_bytes()).hexdigest()
        for stem, path in {**own, **other}.items()
    }
    yield Bench(app, media)
    app.close()


def actions(bench: Bench, object_id: int) -> list[str]:
    return [event["action"] for event in audit_trail(bench.app.engine, "object", object_id)]


def test_two_distinct_reviewers_other_than_the_proposer_publish(bench: Bench) -> None:
    app, portal = bench.app, FakePortal()
    object_id = propose(app, "rosa", bench.media["a-1"])
    item = ObjectQueries(app.engine).get(None, object_id)
    assert item["status"] == "proposed" and item["proposer"] == "rosa"
    assert len(item["public_id"]) == 32 and item["questions"] == [
        "Where is this bag sold?",
        "Who makes it?",
    ]

    with pytest.raises(ObjectError, match="you proposed this object"):
        approved_by(app, portal, object_id, "rosa")
    assert approved_by(app, portal, object_id, "admin") == "proposed"
    assert portal.calls == []  # one approval is not enough
    with pytest.raises(ObjectError, match="already reviewed"):
        approved_by(app, portal, object_id, "admin")
    assert approved_by(app, portal, object_id, "remy") == "published"

    item = ObjectQueries(app.engine).get(None, object_id)
    assert item["status"] == "published" and item["published_at"]
    assert [r["reviewer"] for r in item["reviews"]] == ["admin", "remy"]
    assert portal.puts() == [f"/sync/objects/{item['public_id']}"]
    # Exactly the bytes the reviewers saw: the rendering kept in the vault at proposal time.
    assert portal.images[item["public_id"]] == app.vault.read_bytes(item["image_sha256"])
    sent = portal.objects[item["public_id"]]
    assert sent["title"] == "A green bag with a round logo" and sent["category"] == "clothing"
    assert sent["questions"] == ["Where is this bag sold?", "Who makes it?"]
    assert actions(bench, object_id) == [
        "propose-object",
        "approve-object",
        "approve-object",
        "publish-object",
    ]
    with pytest.raises(ObjectError, match="published: nothing to approve"):
        approved_by(app, portal, object_id, "alice")


def test_a_rejection_needs_a_reason_and_ends_the_proposal(bench: Bench) -> None:
    app, portal = bench.app, FakePortal()
    object_id = propose(app, "alice", bench.media["a-1"])
    proposals = ObjectProposals(app.engine)
    approved_by(app, portal, object_id, "admin")
    with pytest.raises(ObjectError, match="say why"):
        proposals.reject(viewer_named(app, "rosa"), object_id, "   ")
    # The admin, who approved, may still stop it.
    proposals.reject(viewer_named(app, "admin"), object_id, "a face is visible at the edge")
    item = ObjectQueries(app.engine).get(None, object_id)
    assert item["status"] == "rejected" and item["reason"] == "a face is visible at the edge"
    assert item["reviews"][0]["decision"] == "reject"
    with pytest.raises(ObjectError, match="rejected"):
        approved_by(app, portal, object_id, "rosa")
    assert portal.calls == []
    assert actions(bench, object_id)[-1] == "reject-object"


def test_portal_down_leaves_it_approved_and_a_retry_publishes(bench: Bench) -> None:
    app, portal = bench.app, FakePortal(down=True)
    object_id = propose(app, "alice", bench.media["a-2"])
    assert approved_by(app, portal, object_id, "admin", "rosa") == "approved"
    item = ObjectQueries(app.engine).get(None, object_id)
    assert item["status"] == "approved" and "cannot be reached" in item["publish_error"]
    assert ObjectQueries(app.engine).awaiting_publication() == [object_id]

    portal.down = False
    outcomes = publisher(app, portal).publish_pending("admin")
    assert [(o.object_id, o.status) for o in outcomes] == [(object_id, "published")]
    assert ObjectQueries(app.engine).get(None, object_id)["publish_error"] is None
    assert actions(bench, object_id)[-2:] == ["publish-object-failed", "publish-object"]
    assert publisher(app, portal).publish_pending("admin") == []


def test_rejected_while_being_sent_is_taken_back_down(bench: Bench) -> None:
    app = bench.app
    object_id = propose(app, "alice", bench.media["a-1"])

    def reject_meanwhile(public_id: str) -> None:
        with app.engine.begin() as conn:
            conn.execute(
                update(PublishedObject)
                .where(PublishedObject.id == object_id)
                .values(status="rejected")
            )

    portal = FakePortal(on_put=reject_meanwhile)
    approved_by(app, portal, object_id, "admin")
    with pytest.raises(ObjectError, match="became rejected"):
        approved_by(app, portal, object_id, "rosa")
    assert len(portal.deletes()) == 1 and portal.objects == {}


def test_an_admin_withdraws_a_published_object(bench: Bench) -> None:
    app, portal = bench.app, FakePortal()
    object_id = published_object(app, portal, bench.media["a-1"])
    public_id = ObjectQueries(app.engine).get(None, object_id)["public_id"]
    admin = viewer_named(app, "admin")

    portal.down = True
    with pytest.raises(WithdrawError, match="still on the portal"):
        publisher(app, portal).withdraw(admin, object_id, "the owner was found")
    assert ObjectQueries(app.engine).get(None, object_id)["status"] == "published"

    portal.down = False
    with pytest.raises(ObjectError, match="say why"):
        publisher(app, portal).withdraw(admin, object_id, "")
    publisher(app, portal).withdraw(admin, object_id, "the owner was found")
    item = ObjectQueries(app.engine).get(None, object_id)
    assert item["status"] == "withdrawn" and item["reason"] == "the owner was found"
    assert item["withdrawn_at"] and portal.deletes() == [f"/sync/objects/{public_id}"]
    assert public_id not in portal.objects
    assert actions(bench, object_id)[-1] == "withdraw-object"
    with pytest.raises(ObjectError, match="not on the portal"):
        publisher(app, portal).withdraw(admin, object_id, "again")


def test_proposals_are_seen_only_where_their_media_is(bench: Bench) -> None:
    app = bench.app
    own = propose(app, "alice", bench.media["a-1"], category="toys")
    other = propose(app, "bob", bench.media["c-1"])
    queries = ObjectQueries(app.engine)
    alice, bob = viewer_named(app, "alice"), viewer_named(app, "bob")
    with pytest.raises(ObjectNotFound):
        queries.get(bob, own)
    with pytest.raises(ObjectNotFound):
        ObjectProposals(app.engine).approve(viewer_named(app, "rosa"), other)
    with pytest.raises(ObjectNotFound):
        propose(app, "bob", bench.media["a-1"])
    assert [o["id"] for o in queries.listing(alice)] == [own]
    assert [o["id"] for o in queries.listing(None)] == [other, own]
    assert [o["id"] for o in queries.listing(None, category="toys")] == [own]
    assert queries.counts(bob)["proposed"] == 1
    assert queries.counts(None) == {
        "proposed": 2,
        "approved": 0,
        "published": 0,
        "rejected": 0,
        "withdrawn": 0,
    }


def test_a_video_is_proposed_on_its_keyframe(bench: Bench) -> None:
    app = bench.app
    object_id = propose(app, "alice", bench.media["v-1"], box="0,0,0.5,0.5")
    item = ObjectQueries(app.engine).get(None, object_id)
    image = app.vault.read_bytes(item["image_sha256"])
    assert image[:4] == b"RIFF" and image[8:12] == b"WEBP"
    with pytest.raises(ObjectError, match="too small"):
        propose(app, "alice", bench.media["v-1"], box="0,0,0.1,0.1")


def test_the_proposal_records_its_region_and_series(bench: Bench) -> None:
    app = bench.app
    object_id = propose(
        app, "alice", bench.media["a-1"], polygon="0.2,0.2;0.5,0.2;0.4,0.6", outside="mask"
    )
    with app.engine.connect() as conn:
        row = conn.execute(select(PublishedObject).where(PublishedObject.id == object_id)).one()
    assert row.box == [0.1, 0.1, 0.6, 0.6] and row.outside == "mask"
    assert row.polygon == [[0.2, 0.2], [0.5, 0.2], [0.4, 0.6]]
    assert row.media_sha256 == bench.media["a-1"]
    detail = audit_trail(app.engine, "object", object_id)[0]["detail"]
    assert detail["media"] == bench.media["a-1"] and detail["image"] == row.image_sha256


def test_the_objects_commands(
    bench: Bench,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    app, portal = bench.app, FakePortal(down=True)
    waiting = propose(app, "alice", bench.media["a-1"])
    approved_by(app, portal, waiting, "admin", "rosa")
    propose(app, "alice", bench.media["a-2"], category="toys")
    monkeypatch.setenv("VIDTRACE_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("VIDTRACE_ANALYST", "admin")
    monkeypatch.setattr(vidtrace.cli_objects, "portal_of", lambda _settings: portal.client)
    workspace = ["--workspace", str(settings.workspace)]

    assert main([*workspace, "objects", "list", "--status", "approved", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(o["id"], o["status"], o["approvals"]) for o in listed] == [(waiting, "approved", 2)]

    assert main([*workspace, "objects", "publish", "--json"]) == 1  # the portal is still down
    assert json.loads(capsys.readouterr().out)[0]["status"] == "approved"
    portal.down = False
    assert main([*workspace, "objects", "publish"]) == 0
    assert f"object {waiting}: published" in capsys.readouterr().out

    withdraw = [*workspace, "objects", "withdraw", str(waiting), "--reason", "solved"]
    assert main([*withdraw, "--as", "alice"]) == 2  # not an administrator
    assert main([*withdraw, "--as", "admin"]) == 0
    assert ObjectQueries(app.engine).get(None, waiting)["status"] == "withdrawn"
    assert len(portal.deletes()) == 1
