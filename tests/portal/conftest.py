"""A portal over a temporary data folder, in process (TestClient) or served by uvicorn."""

from __future__ import annotations

import socket
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.portal.kit import TOKEN
from vidtrace.portal.app import create_portal_app
from vidtrace.portal.settings import PortalSettings

# Starlette asks for httpx2 in its TestClient; the portal's tests use the httpx it ships with.
warnings.filterwarnings("ignore", message=".*httpx.*starlette.testclient.*")


@pytest.fixture
def portal_settings(tmp_path: Path) -> PortalSettings:
    return PortalSettings(data_dir=tmp_path / "portal", token=TOKEN)


@pytest.fixture
def portal(portal_settings: PortalSettings) -> Iterator[FastAPI]:
    app = create_portal_app(portal_settings)
    yield app
    app.state.portal.database.close()


@pytest.fixture
def sync(portal: FastAPI) -> TestClient:
    """The workbench's side, in process (the sync API tests use the real PortalClient)."""
    return TestClient(portal, raise_server_exceptions=False)


@dataclass
class LivePortal:
    url: str
    app: FastAPI


@pytest.fixture
def live_portal(portal: FastAPI) -> Iterator[LivePortal]:
    """The portal served by uvicorn on a free local port, in a thread."""
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(portal, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        threading.Event().wait(0.01)
    assert server.started, "uvicorn did not start"
    yield LivePortal(f"http://127.0.0.1:{port}", portal)
    server.should_exit = True
    thread.join(timeout=10)
    listening.close()
