"""The administrator's audit log (page, JSON, CSV export audited itself) and accounts page
(disable ends sessions at once, enable again), on both databases."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import Workbench, csrf_of, login, post_login
from vidtrace.bootstrap import App
from vidtrace.store.users import UserStore
from vidtrace.web.app import create_app


def workbench_app(app: App) -> FastAPI:
    return create_app(app)


def browser(bench: Workbench, address: str = "10.0.0.1") -> TestClient:
    """Like ``Workbench.client``, on :func:`workbench_app`."""
    client = TestClient(
        workbench_app(bench.app), raise_server_exceptions=False, client=(address, 40000)
    )
    bench.clients.append(client)
    return client


def test_admin_browses_filters_and_pages_the_log(workbench: Workbench) -> None:
    post_login(browser(workbench), "<script>alert(1)</script>", "wrong password")
    alice = login(browser(workbench, "10.0.0.7"), "alice")
    sha = workbench.media["a-1"]
    assert alice.post(f"/media/{sha}/reveal", headers={"X-CSRF-Token": csrf_of(alice)}).is_success
    admin = login(browser(workbench), "admin")

    reveals = admin.get("/api/audit", params={"actor": "alice", "action": "reveal"}).json()
    assert reveals["total"] == 1
    event = reveals["rows"][0]
    assert (event["object_type"], event["object_id"]) == ("media", sha)
    assert event["agency"] == "Agency A" and event["client"] == "10.0.0.7"
    assert datetime.fromisoformat(event["at"]).date() == datetime.now(UTC).date()

    logins = admin.get("/api/audit", params={"action": "login", "per_page": 1}).json()
    assert logins["total"] == 2 and logins["rows"][0]["actor"] == "admin", "newest first"
    older = admin.get("/api/audit", params={"action": "login", "per_page": 1, "page": 2}).json()
    assert older["rows"][0]["actor"] == "alice"
    today = datetime.now(UTC).date().isoformat()
    assert admin.get("/api/audit", params={"until": today, "action": "login"}).json()["total"] == 2
    assert admin.get("/api/audit", params={"since": "2999-01-01"}).json()["total"] == 0
    bad = admin.get("/api/audit", params={"since": "last tuesday"})
    assert bad.status_code == 422 and "since" in bad.json()["error"]

    page = admin.get("/admin/audit", params={"actor": "alice", "object_type": ""})
    assert page.status_code == 200
    assert sha in page.text and "10.0.0.7" in page.text and "export as CSV" in page.text
    assert 'href="/admin/audit.csv?actor=alice"' in page.text, "the export keeps the filters"
    failed = admin.get("/admin/audit", params={"action": "login-failed"}).text
    assert "<script>alert(1)</script>" not in failed
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in failed


def test_csv_export_is_for_administrators_and_audited_before_it_is_sent(
    workbench: Workbench,
) -> None:
    alice = login(browser(workbench), "alice")
    for path in ("/admin/audit", "/admin/audit.csv", "/api/audit", "/admin/users"):
        assert alice.get(path).status_code == 403, path
    assert browser(workbench).get("/api/audit").status_code == 401
    admin = login(browser(workbench, "10.0.0.9"), "admin")
    refused = admin.get("/api/audit", params={"action": "export-audit"}).json()
    assert refused["total"] == 0, "a refused export leaves no export record"
    wanted = {"action": "login", "actor": "admin", "since": "2000-01-01"}
    response = admin.get("/admin/audit.csv", params=wanted)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["action"] for r in rows] == ["login"] and rows[0]["actor"] == "admin"

    exports = admin.get("/api/audit", params={"action": "export-audit"}).json()["rows"]
    assert len(exports) == 1
    assert exports[0]["actor"] == "admin" and exports[0]["client"] == "10.0.0.9"
    assert exports[0]["detail"]["action"] == "login"
    assert exports[0]["detail"]["since"].startswith("2000-01-01")
    everything = admin.get("/admin/audit.csv").text
    assert next(csv.DictReader(io.StringIO(everything)))["action"] == "export-audit"


def test_disabling_ends_sessions_and_enabling_restores_sign_in(workbench: Workbench) -> None:
    bob = login(browser(workbench), "bob")
    admin = login(browser(workbench), "admin")
    page = admin.get("/admin/users")
    assert page.status_code == 200 and "bob" in page.text and "reader" in page.text
    ids = {user["name"]: user["id"] for user in UserStore(workbench.app.engine).list()}
    token = {"X-CSRF-Token": csrf_of(admin)}

    assert admin.post(f"/admin/users/{ids['bob']}/disable").status_code == 403, "needs CSRF"
    done = admin.post(f"/admin/users/{ids['bob']}/disable", headers=token, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/admin/users"
    assert bob.get("/api/me").status_code == 401, "the session ended at once"
    assert post_login(browser(workbench), "bob").status_code == 401
    assert "disabled" in admin.get("/admin/users").text

    admin.post(f"/admin/users/{ids['bob']}/enable", headers=token)
    login(browser(workbench), "bob")
    trail = admin.get("/api/audit", params={"object_type": "user", "actor": "admin"}).json()
    actions = [e["action"] for e in trail["rows"]]
    assert actions[:2] == ["enable-user", "disable-user"]

    own = admin.post(f"/admin/users/{ids['admin']}/disable", headers=token)
    assert own.status_code == 400
    assert admin.post("/admin/users/99999/enable", headers=token).status_code == 404
