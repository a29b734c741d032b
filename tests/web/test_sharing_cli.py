"""``vidtrace operation``: an agency sees another agency's case once it is shared with an
operation both take part in, on the workbench as in the store; unknown names are refused."""

from __future__ import annotations

import pytest

from tests.web.conftest import Workbench, login
from vidtrace.cli import main


def test_sharing_a_case_with_an_operation(
    workbench: Workbench, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = workbench.app.settings
    if settings.database_url:
        monkeypatch.setenv("VIDTRACE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("VIDTRACE_ANALYST", "admin-ann")
    workspace = ["--workspace", str(settings.workspace)]
    alice = login(workbench.client(), "alice")
    other = workbench.series["c"]
    assert alice.get(f"/series/{other}").status_code == 404

    assert main([*workspace, "operation", "add", "Taskforce", "--agency", "Agency A"]) == 0
    assert main([*workspace, "operation", "join", "Taskforce", "Agency B"]) == 0
    assert main([*workspace, "operation", "share", "Taskforce", "Case B"]) == 0
    assert "1 cases shared with 'Taskforce'" in capsys.readouterr().err
    assert alice.get(f"/series/{other}").status_code == 200
    assert alice.get("/api/triage", params={"operation": "Taskforce"}).json()["total"] == 1

    assert main([*workspace, "operation", "share", "Taskforce", "No Such Case"]) == 1
    assert main([*workspace, "operation", "join", "Taskforce", "No Such Agency"]) == 1
    assert "no agency No Such Agency" in capsys.readouterr().err
