"""The portal stands alone (ADR 008): its modules import nothing of the evidence side, and the
real command serves gallery, object page, tips and sync with the workbench's workspace missing
and its database unreachable. A tip it acknowledged survives a kill -9."""

from __future__ import annotations

import ast
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.portal.kit import TOKEN, free_port, hidden_fields, new_public_id, webp_image
from vidtrace.publish.portal_client import PortalClient, PublicObject

PORTAL = Path(__file__).resolve().parents[2] / "src" / "vidtrace" / "portal"
CLI_PORTAL = PORTAL.parent / "cli_portal.py"
FORBIDDEN = ("store", "web", "config", "bootstrap", "publish", "ingest", "series", "clues")


def vidtrace_imports(path: Path) -> list[str]:
    """Every vidtrace module ``path`` imports, relative imports resolved."""
    package = "vidtrace.portal"
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0]
                found.append(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                found.append(node.module)
    return [name for name in found if name == "vidtrace" or name.startswith("vidtrace.")]


def test_the_portal_imports_only_itself() -> None:
    modules = [*sorted(PORTAL.rglob("*.py")), CLI_PORTAL]
    assert len(modules) > 10
    for path in modules:
        for name in vidtrace_imports(path):
            assert name.startswith("vidtrace.portal"), f"{path.name} imports {name}"


def test_loading_the_portal_loads_nothing_of_the_evidence_side() -> None:
    code = (
        "import json, sys\n"
        "import vidtrace.cli_portal, vidtrace.portal.app\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('vidtrace'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = json.loads(done.stdout)
    assert "vidtrace.portal.app" in loaded
    for name in loaded:
        assert name in ("vidtrace", "vidtrace.cli_portal") or name.startswith("vidtrace.portal")
        assert not any(name.startswith(f"vidtrace.{part}") for part in FORBIDDEN), name


class RunningPortal:
    """``vidtrace portal`` as an operator starts it, in its own process."""

    def __init__(self, data: Path, environment: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "vidtrace", "portal", "--data", str(data)]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port)],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.process.communicate()[1]
            try:
                if httpx.get(f"{self.url}/", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError("the portal did not start")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)  # no shutdown, no flush: as a crash
        self.process.wait(timeout=30)


@pytest.fixture
def without_the_evidence_side(tmp_path: Path) -> dict[str, str]:
    environment = {
        **os.environ,
        "VIDTRACE_WORKSPACE": str(tmp_path / "no-such-workspace"),
        "VIDTRACE_DATABASE_URL": "postgresql+psycopg://nobody:nothing@127.0.0.1:9/nowhere",
        "VIDTRACE_PORTAL_TOKEN": TOKEN,
    }
    environment.pop("VIDTRACE_PORTAL_DATA", None)
    return environment


@pytest.fixture
def started(tmp_path: Path, without_the_evidence_side: dict[str, str]) -> Iterator[RunningPortal]:
    running = RunningPortal(tmp_path / "portal", without_the_evidence_side)
    yield running
    if running.process.poll() is None:
        running.process.terminate()
        running.process.wait(timeout=30)


def send_tip_as_a_browser(url: str, public_id: str, text: str) -> httpx.Response:
    with httpx.Client(base_url=url, headers={"accept-language": "nl"}) as browser:
        page = browser.get(f"/objects/{public_id}")
        assert page.status_code == 200
        form = {**hidden_fields(page.text), "text": text, "consent": "yes", "country": "BE"}
        return browser.post(f"/objects/{public_id}/tips", data=form)


@pytest.mark.slow
def test_the_portal_runs_alone_and_keeps_acknowledged_tips(
    tmp_path: Path, started: RunningPortal, without_the_evidence_side: dict[str, str]
) -> None:
    bottle = PublicObject(
        public_id=new_public_id(),
        title="A green glass bottle with a paper label",
        description="On a shelf.",
        questions=("Which drink is sold in this bottle?",),
        category="packaging",
        image_webp=webp_image((20, 140, 60)),
        published_at=time_now(),
    )
    with PortalClient(started.url, TOKEN) as workbench:
        workbench.publish(bottle)
        workbench.set_statistics(2, 1, 1)
        assert bottle.title in httpx.get(f"{started.url}/").text
        image = httpx.get(f"{started.url}/objects/{bottle.public_id}/image.webp")
        assert image.content == bottle.image_webp
        thanks = send_tip_as_a_browser(started.url, bottle.public_id, "Verkocht in Antwerpen.")
        assert thanks.status_code == 200 and '<html lang="nl">' in thanks.text
        [tip] = workbench.tips(0)
        assert (tip.object, tip.text, tip.country, tip.language) == (
            bottle.public_id,
            "Verkocht in Antwerpen.",
            "BE",
            "nl",
        )
    started.kill()
    again = RunningPortal(tmp_path / "portal", without_the_evidence_side)
    try:
        with PortalClient(again.url, TOKEN) as workbench:
            assert [t.text for t in workbench.tips(0)] == ["Verkocht in Antwerpen."]
        assert re.search(r"<dd>2</dd>", httpx.get(f"{again.url}/statistics").text)
    finally:
        again.process.terminate()
        again.process.wait(timeout=30)
    assert not (tmp_path / "no-such-workspace").exists()


def time_now() -> datetime:
    return datetime.now(UTC)
