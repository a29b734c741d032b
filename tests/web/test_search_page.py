"""The search page and its API: hits with masked thumbnails and links, nothing of another
agency's, bad parameters refused with the reason (never a 500), the query echoed escaped, and
no audit row per search."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.web.conftest import Workbench
from tests.web.test_series_page import browser
from vidtrace.store.models import AuditEvent, Media


def md5_of(bench: Workbench, stem: str) -> str:
    with bench.app.engine.connect() as conn:
        found = conn.scalar(select(Media.md5).where(Media.sha256 == bench.media[stem]))
    assert found is not None
    return found


def audit_rows(bench: Workbench) -> int:
    with bench.app.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def test_the_page_shows_masked_hits_with_links(workbench: Workbench) -> None:
    sha = workbench.media["a-1"]
    alice = browser(workbench, "alice")
    assert 'action="/search"' in alice.get("/").text, "the search box is in the header"
    before = audit_rows(workbench)
    page = alice.get("/search", params={"q": "a-1.jpg"})
    assert page.status_code == 200
    assert f'src="/media/{sha}/thumbnail"' in page.text and 'class="masked"' in page.text
    assert f'href="/media/{sha}"' in page.text
    assert f'href="/series/{workbench.series["a"]}"' in page.text
    assert "Case A: a-1.jpg" in page.text
    assert f"/media/{sha}/full" not in page.text and 'class="reveal"' not in page.text
    assert audit_rows(workbench) == before, "a search is not a view of evidence"
    empty = alice.get("/search")
    assert empty.status_code == 200 and "Nothing found" not in empty.text


def test_the_api_answers_typed_hits(workbench: Workbench) -> None:
    sha = workbench.media["a-1"]
    alice = browser(workbench, "alice")
    found = alice.get("/api/search", params={"q": md5_of(workbench, "a-1")})
    assert found.status_code == 200
    data = found.json()
    assert data["kinds"] == ["hash"] and data["more"] == []
    assert data["hits"] == [
        {
            "media": sha,
            "media_kind": "image",
            "match": "hash",
            "where": "md5",
            "value": md5_of(workbench, "a-1"),
            "series": workbench.series["a"],
            "known": False,
            "known_good": False,
            "distance": None,
            "case": None,
        }
    ]
    paths = alice.get("/api/search", params={"q": ".jpg", "kind": "path", "limit": 2}).json()
    assert len(paths["hits"]) == 2 and paths["more"] == ["path"]
    schema = alice.get("/openapi.json").json()
    assert "/api/search" in schema["paths"] and "/search" not in schema["paths"]


def test_another_agencys_items_are_never_found(workbench: Workbench) -> None:
    theirs = workbench.media["c-1"]
    alice = browser(workbench, "alice")
    for query in (md5_of(workbench, "c-1"), theirs, "c-1.jpg"):
        data = alice.get("/api/search", params={"q": query}).json()
        assert data["hits"] == [], query
        page = alice.get("/search", params={"q": query}).text
        assert f"/media/{theirs}" not in page
    assert alice.get(f"/media/{theirs}/thumbnail").status_code == 404
    all_jpegs = alice.get("/api/search", params={"q": ".jpg", "kind": "path"}).json()
    assert {hit["case"] for hit in all_jpegs["hits"]} == {"Case A"}
    bob = browser(workbench, "bob")
    bobs = bob.get("/api/search", params={"q": "c-1.jpg"}).json()
    assert [hit["media"] for hit in bobs["hits"]] == [theirs]


def test_bad_parameters_are_refused_with_the_reason(workbench: Workbench) -> None:
    alice = browser(workbench, "alice")
    refusals = {
        "/api/search?q=abc&kind=hash": (400, "32 (MD5), 40 (SHA-1) or 64 (SHA-256)"),
        "/api/search?q=ab": (400, "type at least 3 characters"),
        "/api/search?q=%20%20": (400, "type something to search for"),
        "/api/search?q=beach&distance=99": (422, "distance"),
        "/api/search?q=beach&distance=x": (422, "distance"),
        "/api/search?q=beach&kind=colour": (422, "kind"),
        "/api/search?q=beach&limit=0": (422, "limit"),
        "/api/search?q=" + "x" * 501: (422, "q"),
        "/api/search?q=": (422, "q"),
        "/api/search": (422, "q"),
    }
    for url, (status, reason) in refusals.items():
        response = alice.get(url)
        assert response.status_code == status, (url, response.text)
        assert reason in response.json()["error"], (url, response.text)
    page = alice.get("/search", params={"q": "abc", "kind": "pdq"})
    assert page.status_code == 400 and "a PDQ hash is 64 hexadecimal characters" in page.text
    assert alice.get("/search", params={"q": "beach", "limit": "lots"}).status_code == 422
    anonymous = workbench.client()
    assert anonymous.get("/api/search", params={"q": "beach"}).status_code == 401
    signed_out = anonymous.get("/search", params={"q": "beach"}, follow_redirects=False)
    assert signed_out.status_code == 303 and signed_out.headers["location"] == "/login"


def test_the_query_is_echoed_escaped(workbench: Workbench) -> None:
    alice = browser(workbench, "alice")
    attack = "<script>alert(1)</script>"
    page = alice.get("/search", params={"q": attack})
    assert page.status_code == 200
    assert attack not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    quoted = alice.get("/search", params={"q": '"><img src=x onerror=alert(1)>'})
    assert "<img src=x" not in quoted.text and "&lt;img src=x onerror=alert(1)&gt;" in quoted.text
    data = alice.get("/api/search", params={"q": attack}).json()
    assert data["query"] == attack and data["hits"] == []
