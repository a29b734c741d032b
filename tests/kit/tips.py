"""Tips for tests: published objects inserted as rows (no proposal, no review), and a fake
public portal answering the sync API in process through ``httpx.MockTransport``.

The fake portal serves ``GET /sync/tips?after=&limit=`` in pages, in ``seq`` order, and takes
``PUT /sync/statistics``; without the right bearer token it answers 404, as the real one does.
A workbench test client uses it after :func:`use_portal`.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert, select

from vidtrace.publish.portal_client import PortalClient
from vidtrace.publish.tip_clusters import cluster_key
from vidtrace.store.models import PublishedObject, SeriesMember, Tip
from vidtrace.store.tips import NewTip, TipStore

PORTAL_URL = "http://portal.test"
TOKEN = "portal-test-token"


@dataclass(frozen=True)
class Published:
    id: int
    public_id: str
    media_sha256: str
    title: str


def publish_object(
    engine: Engine,
    media_sha256: str,
    title: str = "Blue rucksack with a red zip",
    series_id: int | None = None,
) -> Published:
    """A ``published_object`` row cropped from ``media_sha256``, as the four-eyes review
    leaves it; its series is the media item's unless given."""
    public_id = secrets.token_hex(16)
    with engine.begin() as conn:
        if series_id is None:
            series_id = conn.scalar(
                select(SeriesMember.series_id).where(SeriesMember.media_sha256 == media_sha256)
            )
        key = conn.execute(
            insert(PublishedObject).values(
                public_id=public_id,
                media_sha256=media_sha256,
                series_id=series_id,
                box=[0.1, 0.1, 0.5, 0.5],
                title=title,
                description="Where was this bought?",
                questions=["Have you seen this bag?"],
                category="bag",
                proposer="alice",
                status="published",
                published_at=datetime.now(UTC),
            )
        ).inserted_primary_key
    assert key is not None
    return Published(int(key[0]), public_id, media_sha256, title)


def store_tip(
    engine: Engine,
    object_id: int,
    seq: int,
    text: str = "I have seen this bag",
    place: str | None = None,
    country: str | None = None,
) -> int:
    """A tip stored as a pull would store it (its own cluster); returns its id."""
    tip = NewTip(
        portal_seq=seq,
        object_id=object_id,
        text=text,
        country=country,
        place=place,
        email=None,
        language="en",
        received_at=datetime.now(UTC),
        spam_signs=(),
        cluster_key=cluster_key(object_id, seq),
    )
    TipStore(engine).save([tip], "test")
    return tip_id(engine, seq)


def tip_id(engine: Engine, seq: int) -> int:
    """The workbench's id of the tip the portal numbered ``seq``."""
    with engine.connect() as conn:
        found = conn.scalar(select(Tip.id).where(Tip.portal_seq == seq))
    assert found is not None, f"no tip with portal_seq {seq}"
    return int(found)


@dataclass
class FakePortal:
    """The portal's sync API in memory. ``reachable = False`` makes every call fail as a
    refused connection does."""

    token: str = TOKEN
    tips: list[dict[str, Any]] = field(default_factory=list)
    statistics: list[dict[str, Any]] = field(default_factory=list)
    asked: list[tuple[int, int]] = field(default_factory=list)  # (after, limit) per page asked
    reachable: bool = True

    def add_tip(
        self,
        object_public_id: str,
        text: str = "",
        *,
        place: str | None = None,
        country: str | None = None,
        email: str | None = None,
        language: str | None = None,
        spam_signs: tuple[str, ...] = (),
    ) -> int:
        """A tip the public sent; returns its ``seq``."""
        seq = len(self.tips) + 1
        self.tips.append(
            {
                "seq": seq,
                "object": object_public_id,
                "text": text,
                "country": country,
                "place": place,
                "email": email,
                "language": language,
                "received_at": datetime.now(UTC).isoformat(),
                "spam_signs": list(spam_signs),
            }
        )
        return seq

    def handle(self, request: httpx.Request) -> httpx.Response:
        if not self.reachable:
            raise httpx.ConnectError("connection refused", request=request)
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return httpx.Response(404)
        path = request.url.path
        if request.method == "GET" and path == "/sync/tips":
            after = int(request.url.params.get("after", "0"))
            limit = int(request.url.params.get("limit", "1000"))
            if not 1 <= limit <= 1000:
                return httpx.Response(422, json={"error": "limit: 1 to 1000"})
            self.asked.append((after, limit))
            page = [tip for tip in self.tips if tip["seq"] > after][:limit]
            last = page[-1]["seq"] if page else after
            return httpx.Response(200, json={"tips": page, "last": last})
        if request.method == "PUT" and path == "/sync/statistics":
            self.statistics.append(json.loads(request.content))
            return httpx.Response(200, json={})
        return httpx.Response(404)

    def client(self) -> PortalClient:
        """A workbench-side client talking to this portal."""
        return PortalClient(PORTAL_URL, self.token, transport=httpx.MockTransport(self.handle))


def use_portal(client: TestClient, portal: FakePortal) -> TestClient:
    """Make the workbench behind ``client`` talk to ``portal``."""
    app: Any = client.app
    app.state.services.portal = portal.client
    return client


def own_tip(objects: Any) -> int:
    """For the role matrix: a tip about an object of Agency A's (media a-1), made once."""
    return _matrix_tip(objects, "tip:own", "a-1", 900_001)


def other_tip(objects: Any) -> int:
    """For the role matrix: a tip about an object only Agency B may see (media c-1)."""
    return _matrix_tip(objects, "tip:other", "c-1", 900_002)


def _matrix_tip(objects: Any, name: str, stem: str, seq: int) -> int:
    if name not in objects.made:
        engine = objects.bench.app.engine
        published = publish_object(engine, objects.bench.media[stem], f"matrix object {stem}")
        objects.made[name] = store_tip(engine, published.id, seq, place="Utrecht", country="NL")
    return int(objects.made[name])
