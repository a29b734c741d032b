"""Builders for Trace an Object tests: a fake portal speaking the sync contract (ADR 008) over
``httpx.MockTransport``, reviewers, and proposals made through the workbench or its services.

The fake checks what the workbench sends (bearer token, fields, a base64 WebP) and records
every call, so a test can compare the published bytes with the vault's.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, Workbench, csrf_of, login
from vidtrace.bootstrap import App
from vidtrace.domain.viewer import Role, Viewer
from vidtrace.publish.crop_geometry import parse_region
from vidtrace.publish.object_text import object_text
from vidtrace.publish.portal_client import PortalClient
from vidtrace.publish.proposer import ObjectProposer
from vidtrace.publish.publisher import Publisher
from vidtrace.store.object_proposals import ObjectProposals
from vidtrace.store.users import UserStore

PORTAL_URL = "http://portal.test"
PORTAL_TOKEN = "test-portal-token"
# Two reviewers of Agency A besides the admin (the bench's users: admin, alice, bob, reader).
REVIEWERS = ("rosa", "remy")
PROPOSAL = {
    "title": "A green bag with a round logo",
    "description": "Seen in several pictures of the series.",
    "questions": "Where is this bag sold?\nWho makes it?",
    "category": "clothing",
    "box": "0.1,0.1,0.6,0.6",
    "polygon": "",
    "outside": "keep",
}


@dataclass
class FakePortal:
    """The portal's side of the sync contract, in memory. ``down`` makes every call fail as
    an unreachable host does; ``objects`` holds what a PUT stored, by public id."""

    down: bool = False
    on_put: Callable[[str], None] | None = None  # runs while a PUT is being answered
    calls: list[tuple[str, str]] = field(default_factory=list)
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    images: dict[str, bytes] = field(default_factory=dict)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        assert request.headers["authorization"] == f"Bearer {PORTAL_TOKEN}"
        path = request.url.path
        self.calls.append((request.method, path))
        if not path.startswith("/sync/objects/"):
            return httpx.Response(404, json={"error": "not found"})
        public_id = path.removeprefix("/sync/objects/")
        assert len(public_id) == 32 and all(c in "0123456789abcdef" for c in public_id)
        if request.method == "DELETE":
            self.objects.pop(public_id, None)
            self.images.pop(public_id, None)
            return httpx.Response(204)
        assert request.method == "PUT"
        body = json.loads(request.content)
        assert set(body) == {"title", "description", "questions", "category", "image",
                             "published_at"}  # fmt: skip
        assert isinstance(body["title"], str) and body["title"]
        assert isinstance(body["questions"], list)
        assert all(isinstance(q, str) for q in body["questions"])
        datetime.fromisoformat(body["published_at"])
        image = base64.b64decode(body["image"], validate=True)
        assert image[:4] == b"RIFF" and image[8:12] == b"WEBP"
        self.objects[public_id] = body
        self.images[public_id] = image
        if self.on_put is not None:
            self.on_put(public_id)
        return httpx.Response(200, json={"ok": True})

    def client(self) -> PortalClient:
        return PortalClient(PORTAL_URL, PORTAL_TOKEN, transport=httpx.MockTransport(self.handle))

    def puts(self) -> list[str]:
        return [path for method, path in self.calls if method == "PUT"]

    def deletes(self) -> list[str]:
        return [path for method, path in self.calls if method == "DELETE"]


def use_portal(web: FastAPI, portal: FakePortal) -> FastAPI:
    """Make the workbench app ``web`` publish to ``portal``."""
    web.state.services.portal = portal.client
    return web


def browser_with_portal(
    bench: Workbench, portal: FakePortal, name: str | None = None, address: str = "10.0.0.1"
) -> TestClient:
    """A new browser on a workbench that publishes to ``portal``; signed in as ``name``."""
    client = bench.client(address)
    assert isinstance(client.app, FastAPI)
    use_portal(client.app, portal)
    return login(client, name) if name else client


def add_reviewers(app: App, names: tuple[str, ...] = REVIEWERS, agency: str = "Agency A") -> None:
    users = UserStore(app.engine)
    for name in names:
        users.add(name, PASSWORD, Role.REVIEWER, agency, "test")


def viewer_named(app: App, name: str) -> Viewer:
    viewer = UserStore(app.engine).viewer_named(name)
    assert viewer is not None
    return viewer


def propose_in_browser(
    client: TestClient, sha256: str, **fields: str
) -> tuple[httpx.Response, int | None]:
    """Post the media page's proposal form (with the session's CSRF token, asking for JSON);
    the answer and the new object's id (None when refused)."""
    form = {**PROPOSAL, **fields, "csrf_token": csrf_of(client)}
    answer = client.post(
        f"/media/{sha256}/objects", data=form, headers={"Accept": "application/json"}
    )
    return answer, answer.json()["id"] if answer.status_code == 201 else None


def propose(app: App, proposer: str, sha256: str, **fields: str) -> int:
    """A proposal made through the services (no browser); its id."""
    form = {**PROPOSAL, **fields}
    text = object_text(form["title"], form["description"], form["questions"], form["category"])
    region = parse_region(form["box"], form["polygon"], form["outside"])
    proposer_service = ObjectProposer(ObjectProposals(app.engine), app.vault)
    return proposer_service.propose(viewer_named(app, proposer), sha256, text, region)


def publisher(app: App, portal: FakePortal) -> Publisher:
    return Publisher(ObjectProposals(app.engine), app.vault, portal.client)


def approved_by(app: App, portal: FakePortal, object_id: int, *reviewers: str) -> str:
    """Approve ``object_id`` as each of ``reviewers`` in turn; the status after the last."""
    status = ""
    for name in reviewers:
        status = publisher(app, portal).approve(viewer_named(app, name), object_id).status
    return status


def published_object(
    app: App, portal: FakePortal, sha256: str, proposer: str = "alice", **fields: str
) -> int:
    """An object proposed by ``proposer`` and published by the admin and a reviewer (the
    reviewers must exist: :func:`add_reviewers`)."""
    object_id = propose(app, proposer, sha256, **fields)
    assert approved_by(app, portal, object_id, "admin", REVIEWERS[0]) == "published"
    return object_id


def made_once(made: dict[str, Any], key: str, build: Callable[[], Any]) -> Any:
    """``made[key]``, built on first use (the role matrix's lazily made objects)."""
    if key not in made:
        made[key] = build()
    return made[key]


def object_in(made: dict[str, Any], app: App, proposer: str, sha256: str) -> str:
    """The id (as text) of a proposal by ``proposer`` on ``sha256``, made on first use and
    kept in ``made`` (the role matrix's ``Objects.made``)."""
    key = f"object:{proposer}:{sha256}"
    return str(made_once(made, key, lambda: propose(app, proposer, sha256)))
