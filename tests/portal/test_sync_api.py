"""The sync API of ADR 008, driven by the workbench's real client (publish/portal_client.py)
against the portal served by uvicorn: publish, republish, withdraw, tips after a cursor, the
outcome figures, and refusals."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.portal.conftest import LivePortal
from tests.portal.kit import BEARER, TOKEN, Visitor, new_public_id, object_json, webp_image
from vidtrace.portal.app import create_portal_app
from vidtrace.portal.settings import PortalSettings
from vidtrace.publish.portal_client import PortalClient, PortalError, PublicObject

BAG = PublicObject(
    public_id="0123456789abcdef0123456789abcdef",
    title="A blue bag with a yellow zip",
    description="It hangs on a door in several pictures.",
    questions=("Where is this bag sold?", "Which brand makes it?"),
    category="clothing",
    image_webp=webp_image(),
    published_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
)


@pytest.fixture
def workbench(live_portal: LivePortal) -> Iterator[PortalClient]:
    with PortalClient(live_portal.url, TOKEN) as client:
        yield client


@pytest.fixture
def public(live_portal: LivePortal) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_portal.url) as client:
        yield client


def test_a_published_object_appears_with_its_image(
    workbench: PortalClient, public: httpx.Client
) -> None:
    workbench.publish(BAG)
    gallery = public.get("/").text
    assert BAG.title in gallery
    page = public.get(f"/objects/{BAG.public_id}")
    assert page.status_code == 200
    for text in (BAG.description, *BAG.questions):
        assert text in page.text
    image = public.get(f"/objects/{BAG.public_id}/image.webp")
    assert image.headers["content-type"] == "image/webp"
    assert image.content == BAG.image_webp


def test_publishing_again_replaces_the_object(
    workbench: PortalClient, public: httpx.Client
) -> None:
    workbench.publish(BAG)
    workbench.publish(BAG)  # a retry changes nothing
    renamed = replace(BAG, title="A navy bag with a yellow zip", image_webp=webp_image((9, 9, 9)))
    workbench.publish(renamed)
    gallery = public.get("/").text
    assert gallery.count(f'href="/objects/{BAG.public_id}"') == 1
    assert renamed.title in gallery and BAG.title not in gallery
    assert public.get(f"/objects/{BAG.public_id}/image.webp").content == renamed.image_webp


def test_the_gallery_is_newest_first(workbench: PortalClient, public: httpx.Client) -> None:
    older = replace(BAG, public_id=new_public_id(), title="An older lamp", category="furniture")
    newer = replace(
        BAG,
        public_id=new_public_id(),
        title="A newer bottle",
        category="packaging",
        published_at=BAG.published_at + timedelta(days=1),
    )
    workbench.publish(older)
    workbench.publish(newer)
    gallery = public.get("/").text
    assert gallery.index(newer.title) < gallery.index(older.title)
    packaging = public.get("/", params={"category": "packaging"}).text
    assert newer.title in packaging and older.title not in packaging


def test_withdrawing_removes_the_object_and_keeps_its_tips(
    workbench: PortalClient, public: httpx.Client, live_portal: LivePortal
) -> None:
    workbench.publish(BAG)
    visitor = Visitor(live_portal.app)
    assert visitor.send_tip(BAG.public_id, "I saw this bag in a shop in Ghent.").status_code == 200
    workbench.withdraw(BAG.public_id)
    workbench.withdraw(BAG.public_id)  # idempotent
    workbench.withdraw(new_public_id())  # never published: nothing to do, no error
    assert public.get(f"/objects/{BAG.public_id}").status_code == 404
    assert public.get(f"/objects/{BAG.public_id}/image.webp").status_code == 404
    assert BAG.title not in public.get("/").text
    assert [tip.object for tip in workbench.tips(0)] == [BAG.public_id]
    workbench.publish(BAG)  # published again after a withdrawal
    assert public.get(f"/objects/{BAG.public_id}/image.webp").content == BAG.image_webp


def test_tips_come_back_after_a_cursor_in_order(
    workbench: PortalClient, live_portal: LivePortal
) -> None:
    workbench.publish(BAG)
    visitor = Visitor(live_portal.app, language="nl")
    texts = ["The zip is from a Dutch brand.", "Sold at markets in Utrecht.", "Seen in Breda."]
    for text in texts:
        assert (
            visitor.send_tip(BAG.public_id, text, country="NL", place="Utrecht").status_code == 200
        )
    tips = workbench.tips(0)
    assert [tip.text for tip in tips] == texts
    assert [tip.seq for tip in tips] == sorted(tip.seq for tip in tips)
    first = tips[0]
    assert (first.object, first.country, first.place, first.language) == (
        BAG.public_id,
        "NL",
        "Utrecht",
        "nl",
    )
    assert first.email is None and first.spam_signs == ()
    assert first.received_at.tzinfo is not None
    assert abs(first.received_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert [tip.text for tip in workbench.tips(first.seq)] == texts[1:]
    assert [tip.text for tip in workbench.tips(0, limit=1)] == texts[:1]
    assert workbench.tips(tips[-1].seq) == []


def test_the_last_cursor_is_given_back(live_portal: LivePortal) -> None:
    with httpx.Client(base_url=live_portal.url, headers=BEARER) as client:
        assert client.get("/sync/tips", params={"after": 41}).json() == {"tips": [], "last": 41}
        assert client.get("/sync/tips", params={"limit": 1001}).status_code == 422
        assert client.get("/sync/tips", params={"after": -1}).status_code == 422


def test_outcome_figures_reach_the_statistics_page(
    workbench: PortalClient, public: httpx.Client
) -> None:
    workbench.set_statistics(
        countries_narrowed=1234, children_identified=26, offenders_prosecuted=7
    )
    page = public.get("/statistics", headers={"accept-language": "en"}).text
    for figure in ("1,234", "<dd>26</dd>", "<dd>7</dd>"):
        assert figure in page
    workbench.set_statistics(countries_narrowed=5, children_identified=27, offenders_prosecuted=8)
    assert "<dd>27</dd>" in public.get("/statistics").text


def test_a_wrong_or_missing_token_is_refused(live_portal: LivePortal) -> None:
    with PortalClient(live_portal.url, "not-the-token") as stranger:
        with pytest.raises(PortalError, match="401"):
            stranger.publish(BAG)
        with pytest.raises(PortalError, match="401"):
            stranger.tips(0)
        with pytest.raises(PortalError, match="401"):
            stranger.set_statistics(1, 1, 1)
        with pytest.raises(PortalError, match="401"):
            stranger.withdraw(BAG.public_id)
    with httpx.Client(base_url=live_portal.url) as anonymous:
        refused = anonymous.get("/sync/tips")
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == "Bearer"
        assert anonymous.get("/sync/tips", headers={"Authorization": TOKEN}).status_code == 401
    assert httpx.get(f"{live_portal.url}/").status_code == 200
    assert BAG.title not in httpx.get(f"{live_portal.url}/").text


def test_without_a_token_the_sync_routes_are_not_there(tmp_path: Path) -> None:
    app = create_portal_app(PortalSettings(data_dir=tmp_path / "portal"))
    client = TestClient(app)
    public_id = new_public_id()
    for method, path in (
        ("PUT", f"/sync/objects/{public_id}"),
        ("DELETE", f"/sync/objects/{public_id}"),
        ("GET", "/sync/tips"),
        ("PUT", "/sync/statistics"),
    ):
        answer = client.request(method, path, headers=BEARER, json=object_json())
        assert answer.status_code == 404, (method, path)
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"title": "x" * 201}, "title"),
        ({"title": "   "}, "title"),
        ({"description": "x" * 5001}, "description"),
        ({"questions": [f"Question {n}?" for n in range(11)]}, "questions"),
        ({"questions": ["x" * 301]}, "questions"),
        ({"category": "weapons"}, "category"),
        ({"image": webp_image()[:11]}, "image"),
        ({"image": b"\x89PNG\r\n\x1a\n" + bytes(64)}, "image"),
        ({"published_at": "yesterday"}, "published_at"),
    ],
)
def test_objects_out_of_bounds_are_refused(
    sync: TestClient, fields: dict[str, object], problem: str
) -> None:
    public_id = new_public_id()
    answer = sync.put(f"/sync/objects/{public_id}", json=object_json(**fields), headers=BEARER)
    assert answer.status_code == 422, answer.text
    assert problem in answer.json()["error"]
    assert sync.get(f"/objects/{public_id}").status_code == 404


def test_bad_public_ids_and_bodies_are_refused(sync: TestClient) -> None:
    for public_id in ("0123456789ABCDEF0123456789ABCDEF", "0123", "../../etc/passwd"):
        answer = sync.put(f"/sync/objects/{public_id}", json=object_json(), headers=BEARER)
        assert answer.status_code in (404, 422), public_id
    public_id = new_public_id()
    bad_base64 = {**object_json(), "image": "not base64 at all!"}
    assert (
        sync.put(f"/sync/objects/{public_id}", json=bad_base64, headers=BEARER).status_code == 422
    )
    not_json = sync.put(f"/sync/objects/{public_id}", content=b"{", headers=BEARER)
    assert not_json.status_code == 422 and "error" in not_json.json()
    too_big = {**object_json(), "image": base64.b64encode(b"RIFF" + bytes(6 * 1024**2)).decode()}
    answer = sync.put(f"/sync/objects/{public_id}", json=too_big, headers=BEARER)
    assert answer.status_code == 413
    huge = sync.put(f"/sync/objects/{public_id}", content=bytes(9 * 1024**2), headers=BEARER)
    assert huge.status_code == 413
    negative = {"countries_narrowed": -1, "children_identified": 0, "offenders_prosecuted": 0}
    assert sync.put("/sync/statistics", json=negative, headers=BEARER).status_code == 422
    text = {"countries_narrowed": "3", "children_identified": 0, "offenders_prosecuted": 0}
    assert sync.put("/sync/statistics", json=text, headers=BEARER).status_code == 422
