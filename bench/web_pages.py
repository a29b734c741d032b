"""Server time of whole workbench pages, for bench/web.py: the request through the app (session,
access checks, queries, template) as a signed-in admin and analyst, in process, so the
network is not counted.

The rows come from ``bench.web.generate``; this adds the two accounts and times the pages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from bench.timing import timed
from vidtrace.bootstrap import bootstrap
from vidtrace.config import Settings
from vidtrace.store.series_summary import refresh_series_summary
from vidtrace.store.users import UserStore
from vidtrace.web.app import create_app
from vidtrace.web.deps import LOGIN_CSRF_COOKIE

PASSWORD = "bench password 2026"
ACCOUNTS = {"admin": ("admin", None), "alice": ("analyst", "Agency 1")}


def _signed_in(web: Any, name: str) -> TestClient:
    client = TestClient(web, raise_server_exceptions=True)
    client.get("/login")
    token = client.cookies.get(LOGIN_CSRF_COOKIE) or ""
    form = {"name": name, "password": PASSWORD, "csrf_token": token}
    answer = client.post("/login", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client


def _ok(client: TestClient, path: str) -> Callable[[], Any]:
    def call() -> Any:
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
        return answer

    return call


def _changed(engine: Engine, series_id: int) -> None:
    with engine.begin() as conn:
        refresh_series_summary(conn, [series_id])  # as every writer of members or clues does


def page_timings(
    engine: Engine, url: str, workspace: Path, calls: int, big_series: int = 1
) -> dict[str, tuple[float, float]]:
    """p50/p95 (ms) of the triage page and the first page of a 5,000-member series, for an
    admin and an analyst of Agency 1; and that series page again, each view first after a
    change to the series (its kept country ranking no longer current: ranked again)."""
    users = UserStore(engine)
    for name, (role, agency) in ACCOUNTS.items():
        users.add(name, PASSWORD, role, agency, "bench")
    app = bootstrap(Settings(workspace=workspace, database_url=url, workers=1))
    web = create_app(app)
    figures: dict[str, tuple[float, float]] = {}
    try:
        for name in ACCOUNTS:
            client = _signed_in(web, name)
            who = "analyst" if name == "alice" else name
            figures[f"page_triage_{who}"] = timed(_ok(client, "/"), calls)
            series_page = _ok(client, f"/series/{big_series}")
            figures[f"page_series_5000_{who}"] = timed(series_page, calls)
            figures[f"page_series_5000_{who}_after_change"] = timed(
                series_page, calls, before=lambda: _changed(engine, big_series)
            )
            client.close()
    finally:
        app.close()
    return figures
