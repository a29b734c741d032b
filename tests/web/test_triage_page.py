"""The triage page and API: visible series only, the rule, hidden known items, escaping,
security headers, and error answers without stack traces."""

from __future__ import annotations

from tests.web.conftest import Workbench, csrf_of, login
from vidtrace.store.audit import audit_trail
from vidtrace.store.series_edits import SeriesEdits
from vidtrace.store.triage_queries import PRIORITY_RULE


def test_triage_lists_only_visible_series_with_rule_and_parts(workbench: Workbench) -> None:
    alice = login(workbench.client(), "alice")
    page = alice.get("/")
    assert page.status_code == 200
    a, b, c = (workbench.series[k] for k in "abc")
    assert f'href="/series/{a}"' in page.text and f'href="/series/{b}"' in page.text
    assert f'href="/series/{c}"' not in page.text, "Agency B's series stays hidden"
    assert "known items hidden" in page.text and "Priority rule" in page.text
    data = alice.get("/api/triage").json()
    assert {row["series_id"] for row in data["rows"]} == {a, b}
    assert data["rule"] == PRIORITY_RULE and data["hidden_known"] == 0
    assert all(row["parts"] and row["parts"][0]["reason"] for row in data["rows"])
    assert data["total"] == 2
    admin = login(workbench.client(), "admin").get("/api/triage").json()
    assert {row["series_id"] for row in admin["rows"]} == {a, b, c}


def test_paging_filters_and_bad_parameters(workbench: Workbench) -> None:
    admin = login(workbench.client(), "admin")
    first = admin.get("/api/triage", params={"per_page": 2}).json()
    second = admin.get("/api/triage", params={"per_page": 2, "page": 2}).json()
    assert len(first["rows"]) == 2 and len(second["rows"]) == 1 and first["total"] == 3
    only_b = admin.get("/api/triage", params={"case": "Case B"}).json()
    assert [r["series_id"] for r in only_b["rows"]] == [workbench.series["c"]]
    bad = admin.get("/api/triage", params={"page": 0})
    assert bad.status_code == 422 and "page" in bad.json()["error"]
    bad_page = admin.get("/", params={"per_page": "many"})
    assert bad_page.status_code == 422 and "Traceback" not in bad_page.text


def test_series_names_are_escaped(workbench: Workbench) -> None:
    SeriesEdits(workbench.app.engine).rename(
        workbench.series["a"], "<script>alert(1)</script>", "alice"
    )
    page = login(workbench.client(), "alice").get("/").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_security_headers_on_pages_and_errors(workbench: Workbench) -> None:
    client = workbench.client()
    for response in (client.get("/login"), client.get("/no/such/page")):
        headers = response.headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"
    page = client.get("/login").text
    assert "http://" not in page and "https://" not in page, "nothing loads from elsewhere"


def test_unknown_route_is_a_plain_404(workbench: Workbench) -> None:
    client = login(workbench.client(), "alice")
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "Not found" in page.text and "Traceback" not in page.text
    api = client.get("/api/nothing")
    assert api.status_code == 404 and set(api.json()) == {"error"}


def test_revealed_today_counts_this_analysts_reveals(workbench: Workbench) -> None:
    from tests.web.conftest import csrf_of

    alice = login(workbench.client(), "alice")
    token = csrf_of(alice)
    for key in ("a-1", "b-1"):
        sha = workbench.media[key]
        assert alice.post(f"/media/{sha}/reveal", headers={"X-CSRF-Token": token}).is_success
    assert alice.get("/api/me").json()["revealed_today"] == 2
    assert login(workbench.client(), "reader").get("/api/me").json()["revealed_today"] == 0
    assert 'id="revealed-today">2<' in alice.get("/").text


def test_bulk_assign_from_the_queue(workbench: Workbench) -> None:
    alice = login(workbench.client(), "alice")
    page = alice.get("/", params={"status": "new"})
    assert 'form="bulk-assign"' in page.text and 'value="/?status=new"' in page.text
    a, b, c = (workbench.series[k] for k in "abc")
    token = csrf_of(alice)
    done = alice.post(
        "/series/assign",
        data={"series": [a, b], "assignee": "alice", "back": "/?status=new", "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/?status=new"
    rows = alice.get("/api/triage", params={"assignee": "alice"}).json()["rows"]
    assert {row["series_id"] for row in rows} == {a, b}
    trail = [e["action"] for e in audit_trail(workbench.app.engine, "series", a)]
    assert trail[-1] == "series.assign"

    # all or none: a series of another agency refuses the lot, as a missing one would
    mixed = {"series": [a, c], "assignee": "", "csrf_token": token}
    refused = alice.post("/series/assign", data=mixed)
    missing = alice.post("/series/assign", data={**mixed, "series": [a, 999_999]})
    assert refused.status_code == missing.status_code == 400
    assert f"no series {c}" in refused.text and "Traceback" not in refused.text
    assert len(alice.get("/api/triage", params={"assignee": "alice"}).json()["rows"]) == 2
    outside = {
        "series": [a],
        "assignee": "",
        "back": "https://elsewhere.example/",
        "csrf_token": token,
    }
    assert alice.post("/series/assign", data=outside).status_code == 422

    reader = login(workbench.client(), "reader")
    assert 'form="bulk-assign"' not in reader.get("/").text
    denied = reader.post("/series/assign", data={"series": [a], "csrf_token": csrf_of(reader)})
    assert denied.status_code == 403
