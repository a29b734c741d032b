"""Trace an Object in the workbench, through a real app and browser sessions on both databases:
proposing from the media page (CSRF), the four-eyes review, publication to a fake portal
(exactly the vault's bytes), rejection, withdrawal, a portal that is down, the audited
preview, and 404 for another agency."""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient

from tests.kit.trace_objects import (
    PROPOSAL,
    FakePortal,
    add_reviewers,
    browser_with_portal,
    propose,
    propose_in_browser,
    published_object,
)
from tests.web.conftest import Workbench, csrf_of
from vidtrace.publish.object_text import CATEGORIES
from vidtrace.store.audit import audit_trail
from vidtrace.store.object_queries import ObjectQueries


def post(client: TestClient, url: str, **form: str) -> httpx.Response:
    """A form post as the page sends it (CSRF token in the form), not following redirects."""
    return client.post(url, data={**form, "csrf_token": csrf_of(client)}, follow_redirects=False)


def status_of(bench: Workbench, object_id: int) -> str:
    return str(ObjectQueries(bench.app.engine).get(None, object_id)["status"])


def test_propose_on_the_media_page_then_two_reviewers_publish(workbench: Workbench) -> None:
    add_reviewers(workbench.app)
    portal, sha = FakePortal(), workbench.media["a-1"]
    alice = browser_with_portal(workbench, portal, "alice")
    page = alice.get(f"/media/{sha}").text
    assert f'action="/media/{sha}/objects"' in page and 'id="propose-form"' in page
    assert '<script src="/static/objects.js" defer>' in page and "coming next" not in page

    no_token = alice.post(f"/media/{sha}/objects", data=PROPOSAL, follow_redirects=False)
    assert no_token.status_code == 403 and "CSRF" in no_token.text
    answer, object_id = propose_in_browser(alice, sha)
    assert answer.status_code == 201 and object_id is not None
    assert answer.json()["url"] == f"/objects/{object_id}"
    plain = post(alice, f"/media/{sha}/objects", **PROPOSAL)  # a form post without script
    assert plain.status_code == 303 and re.fullmatch(r"/objects/\d+", plain.headers["location"])

    shown = alice.get(f"/objects/{object_id}")
    assert shown.status_code == 200 and PROPOSAL["title"] in shown.text
    assert "Where is this bag sold?" in shown.text and 'id="approve-form"' not in shown.text
    assert post(alice, f"/objects/{object_id}/approve").status_code == 403  # an analyst

    admin = browser_with_portal(workbench, portal, "admin")
    assert 'id="approve-form"' in admin.get(f"/objects/{object_id}").text
    assert post(admin, f"/objects/{object_id}/approve").status_code == 303
    assert status_of(workbench, object_id) == "proposed" and portal.calls == []
    again = post(admin, f"/objects/{object_id}/approve")
    assert again.status_code == 400 and "already reviewed" in again.text

    rosa = browser_with_portal(workbench, portal, "rosa")
    assert post(rosa, f"/objects/{object_id}/approve").status_code == 303
    item = ObjectQueries(workbench.app.engine).get(None, object_id)
    assert item["status"] == "published"
    assert portal.images[item["public_id"]] == workbench.app.vault.read_bytes(item["image_sha256"])
    assert "Published on the portal" in rosa.get(f"/objects/{object_id}").text
    trail = [e["action"] for e in audit_trail(workbench.app.engine, "object", object_id)]
    assert trail == ["propose-object", "approve-object", "approve-object", "publish-object"]
    assert {e["actor"] for e in audit_trail(workbench.app.engine, "object", object_id)} == {
        "alice",
        "admin",
        "rosa",
    }


def test_the_proposer_may_not_approve_their_own(workbench: Workbench) -> None:
    add_reviewers(workbench.app)
    rosa = browser_with_portal(workbench, FakePortal(), "rosa")
    _, object_id = propose_in_browser(rosa, workbench.media["a-2"])
    refused = post(rosa, f"/objects/{object_id}/approve")
    assert refused.status_code == 400 and "you proposed this object" in refused.text
    assert 'id="approve-form"' not in rosa.get(f"/objects/{object_id}").text


def test_a_rejection_needs_a_reason(workbench: Workbench) -> None:
    add_reviewers(workbench.app)
    object_id = propose(workbench.app, "alice", workbench.media["a-1"])
    remy = browser_with_portal(workbench, FakePortal(), "remy")
    assert post(remy, f"/objects/{object_id}/reject").status_code == 422  # no reason field
    empty = post(remy, f"/objects/{object_id}/reject", reason="  ")
    assert empty.status_code == 400 and "say why" in empty.text
    assert post(remy, f"/objects/{object_id}/reject", reason="shows a face").status_code == 303
    assert status_of(workbench, object_id) == "rejected"
    page = remy.get(f"/objects/{object_id}").text
    assert "Rejected: shows a face" in page and 'id="reject-form"' not in page


def test_another_agency_is_told_nothing(workbench: Workbench) -> None:
    object_id = propose(workbench.app, "alice", workbench.media["a-1"])
    bob = browser_with_portal(workbench, FakePortal(), "bob")
    for url in (f"/objects/{object_id}", f"/api/objects/{object_id}"):
        assert bob.get(url).status_code == 404
    assert bob.get(f"/objects/{object_id}/preview").status_code == 404
    assert bob.get(f"/objects/{object_id}/thumbnail").status_code == 404
    assert post(bob, f"/objects/{object_id}/approve").status_code == 404
    assert post(bob, f"/objects/{object_id}/reject", reason="x").status_code == 404
    assert bob.get("/api/objects").json()["objects"] == []
    answer, _ = propose_in_browser(bob, workbench.media["a-1"])
    assert answer.status_code == 404


def test_an_admin_withdraws_and_the_portal_is_told(workbench: Workbench) -> None:
    add_reviewers(workbench.app)
    portal = FakePortal()
    object_id = published_object(workbench.app, portal, workbench.media["a-1"])
    rosa = browser_with_portal(workbench, portal, "rosa")
    assert post(rosa, f"/objects/{object_id}/withdraw", reason="x").status_code == 403
    admin = browser_with_portal(workbench, portal, "admin")
    assert 'id="withdraw-form"' in admin.get(f"/objects/{object_id}").text
    portal.down = True
    down = post(admin, f"/objects/{object_id}/withdraw", reason="owner found")
    assert down.status_code == 502 and status_of(workbench, object_id) == "published"
    portal.down = False
    assert post(admin, f"/objects/{object_id}/withdraw", reason="owner found").status_code == 303
    assert len(portal.deletes()) == 1 and status_of(workbench, object_id) == "withdrawn"
    assert "Withdrawn" in admin.get(f"/objects/{object_id}").text
    trail = [e["action"] for e in audit_trail(workbench.app.engine, "object", object_id)]
    assert trail[-1] == "withdraw-object"


def test_portal_down_says_pending_and_the_retry_button_publishes(workbench: Workbench) -> None:
    add_reviewers(workbench.app)
    portal = FakePortal(down=True)
    object_id = propose(workbench.app, "alice", workbench.media["a-2"])
    admin = browser_with_portal(workbench, portal, "admin")
    rosa = browser_with_portal(workbench, portal, "rosa")
    assert post(admin, f"/objects/{object_id}/approve").status_code == 303
    assert post(rosa, f"/objects/{object_id}/approve").status_code == 303
    page = rosa.get(f"/objects/{object_id}").text
    assert "publication is pending" in page and "cannot be reached" in page
    assert 'id="publish-form"' in page and "retry publication" in page
    assert "approved, publication pending (1)" in rosa.get("/objects").text

    portal.down = False
    assert post(rosa, f"/objects/{object_id}/publish").status_code == 303
    assert status_of(workbench, object_id) == "published" and len(portal.puts()) == 1
    again = post(rosa, f"/objects/{object_id}/publish")
    assert again.status_code == 400  # nothing left to send


def test_the_clear_preview_is_audited_and_is_the_published_file(workbench: Workbench) -> None:
    add_reviewers(workbench.app)
    object_id = propose(workbench.app, "alice", workbench.media["a-1"])
    rosa = browser_with_portal(workbench, FakePortal(), "rosa")
    page = rosa.get(f"/objects/{object_id}").text
    assert f'src="/objects/{object_id}/thumbnail"' in page
    assert f'data-src="/objects/{object_id}/preview"' in page
    preview = rosa.get(f"/objects/{object_id}/preview")
    assert preview.status_code == 200 and preview.headers["content-type"] == "image/webp"
    item = ObjectQueries(workbench.app.engine).get(None, object_id)
    assert preview.content == workbench.app.vault.read_bytes(item["image_sha256"])
    viewed = [
        e
        for e in audit_trail(workbench.app.engine, "object", object_id)
        if e["action"] == "view-object-preview"
    ]
    assert [e["actor"] for e in viewed] == ["rosa"]

    reader = browser_with_portal(workbench, FakePortal(), "reader")
    assert reader.get(f"/objects/{object_id}/preview").status_code == 403
    masked = reader.get(f"/objects/{object_id}/thumbnail")
    assert masked.status_code == 200 and masked.headers["content-type"] == "image/jpeg"
    assert "show it clear" not in reader.get(f"/objects/{object_id}").text


def test_an_unusable_region_or_text_is_refused_with_a_reason(workbench: Workbench) -> None:
    alice = browser_with_portal(workbench, FakePortal(), "alice")
    sha = workbench.media["a-1"]
    for fields, message in (
        ({"box": ""}, "drag a box"),
        ({"box": "0.5,0.5,0.02,0.02"}, "too small"),
        ({"title": " "}, "title"),
        ({"category": "weapons"}, "category"),
        ({"polygon": "0.2,0.2;0.3,0.3", "outside": "mask"}, "3 to"),
    ):
        answer, object_id = propose_in_browser(alice, sha, **fields)
        assert answer.status_code == 400 and message in answer.json()["error"], fields
        assert object_id is None
    assert ObjectQueries(workbench.app.engine).listing(None) == []


def test_the_queue_filters_and_escapes(workbench: Workbench) -> None:
    add_reviewers(workbench.app)
    portal = FakePortal()
    hostile = "<script>alert(1)</script>"
    published = published_object(workbench.app, portal, workbench.media["a-1"], title=hostile)
    waiting = propose(workbench.app, "alice", workbench.media["a-2"], category="toys")
    rosa = browser_with_portal(workbench, portal, "rosa")
    assert [o["id"] for o in rosa.get("/api/objects").json()["objects"]] == [waiting, published]
    queue = rosa.get("/objects").text  # the queue opens on what awaits review
    assert f'href="/objects/{waiting}"' in queue and f'href="/objects/{published}"' not in queue
    done = rosa.get("/objects?status=published").text
    assert f'href="/objects/{published}"' in done and hostile not in done
    assert "&lt;script&gt;" in done and hostile not in rosa.get(f"/objects/{published}").text
    toys = rosa.get("/api/objects?category=toys").json()["objects"]
    assert [o["id"] for o in toys] == [waiting]
    assert rosa.get("/api/objects?status=lost").status_code == 422
    counts = rosa.get("/api/objects").json()["counts"]
    assert counts["published"] == 1 and counts["proposed"] == 1


def test_the_media_page_offers_every_category(workbench: Workbench) -> None:
    alice = browser_with_portal(workbench, FakePortal(), "alice")
    page = alice.get(f"/media/{workbench.media['a-1']}").text
    form = page[page.index('id="propose-form"') :]
    select = form[
        form.index('name="category"') : form.index("</select>", form.index('name="category"'))
    ]
    assert tuple(re.findall(r'<option value="([a-z]+)"', select)) == CATEGORIES
