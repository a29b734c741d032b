"""A small workbench on both databases: two agencies' cases grouped into series, four users,
and a TestClient (httpx) per simulated browser."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.kit.series_kit import prefix_grouper, write_named
from vidtrace.bootstrap import App, bootstrap
from vidtrace.config import Settings
from vidtrace.domain.viewer import Role
from vidtrace.store.users import UserStore
from vidtrace.web.app import create_app
from vidtrace.web.deps import LOGIN_CSRF_COOKIE

PASSWORD = "correct horse battery staple"
USERS = {
    "admin": (Role.ADMIN, None),
    "alice": (Role.ANALYST, "Agency A"),  # owns Case A
    "bob": (Role.ANALYST, "Agency B"),  # owns Case B
    "reader": (Role.READ_ONLY, "Agency A"),
}


@dataclass
class Workbench:
    app: App
    media: dict[str, str]  # file stem ("a-1") -> sha256
    series: dict[str, int]  # prefix ("a") -> series id
    clients: list[TestClient] = field(default_factory=list)

    def client(self, address: str = "10.0.0.1") -> TestClient:
        """A new browser (its own cookies) at ``address``; server errors answer as they would
        in production (an error page) instead of raising into the test."""
        web = create_app(self.app)
        client = TestClient(web, raise_server_exceptions=False, client=(address, 40000))
        self.clients.append(client)
        return client


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def workbench(settings: Settings, tmp_path: Path) -> Iterator[Workbench]:
    app = bootstrap(settings)
    own = write_named(tmp_path / "a", ["a-1.jpg", "a-2.jpg", "b-1.jpg", "b-2.jpg"])
    other = write_named(tmp_path / "b", ["c-1.jpg", "c-2.jpg"], first_seed=300)
    app.ingest_runner().run([tmp_path / "a"], "Case A", "Agency A", "NL")
    app.ingest_runner().run([tmp_path / "b"], "Case B", "Agency B", "DE")
    prefix_grouper(app).run()
    media = {stem: sha(path) for stem, path in {**own, **other}.items()}
    groups = app.series().series_of_media()
    series = {stem[0]: groups[key] for stem, key in media.items()}
    users = UserStore(app.engine)
    for name, (role, agency) in USERS.items():
        users.add(name, PASSWORD, role, agency, "test")
    bench = Workbench(app, media, series)
    yield bench
    for client in bench.clients:
        client.close()
    app.close()


def login(client: TestClient, name: str, password: str = PASSWORD) -> TestClient:
    """Sign in through the form, with the login CSRF double-submit; asserts it worked."""
    response = post_login(client, name, password)
    assert response.status_code == 303 and response.headers["location"] == "/", response.text
    return client


def post_login(client: TestClient, name: str, password: str = PASSWORD) -> httpx.Response:
    client.get("/login")
    token = client.cookies.get(LOGIN_CSRF_COOKIE)
    form = {"name": name, "password": password, "csrf_token": token or ""}
    return client.post("/login", data=form, follow_redirects=False)


def csrf_of(client: TestClient) -> str:
    """The session's CSRF token, as the page's meta tag carries it."""
    page = client.get("/me/exposure").text
    marker = 'name="csrf-token" content="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]
