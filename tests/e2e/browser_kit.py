"""Builders for the browser tests: a workspace built by the real pipeline, the workbench served
by uvicorn on a free local port, Debian's Chromium driven by Playwright, and a listener that
turns any script error in a page into a test failure.

Only the Chromium at ``/usr/bin/chromium`` is ever launched; Playwright never downloads one.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Page, ViewportSize

from tests.kit.evidence import exif_bytes, write_jpeg
from tests.kit.hashset_files import vics_media, write_vics
from tests.kit.series_kit import prefix_grouper
from vidtrace.bootstrap import App, bootstrap
from vidtrace.config import Settings
from vidtrace.domain.viewer import Role
from vidtrace.store.users import UserStore
from vidtrace.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
SCREENSHOTS_VARIABLE = "VIDTRACE_SCREENSHOTS"

PASSWORD = "correct horse battery staple"
USERS = {
    "admin": (Role.ADMIN, None),
    "alice": (Role.ANALYST, "Agency A"),
    "bob": (Role.ANALYST, "Agency B"),
}
AMSTERDAM = (52.3676, 4.9041)


@dataclass
class BrowserWorkspace:
    """The served workspace: which file stem is which media item, and which series is which."""

    app: App
    media: dict[str, str]  # file stem ("a-1") -> sha256
    series: dict[str, int]  # prefix ("a") -> series id


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_workspace(root: Path) -> BrowserWorkspace:
    """Two agencies' cases ingested, grouped by file-name prefix and read for clues.

    Agency A's series "a" (four photos, two of them with Amsterdam GPS and a +02:00 time
    zone) is the biggest and the richest in clues, so it heads alice's triage queue with GPS
    and time-zone clues proposed by the extractors and a country ranking. Series "b" is
    smaller and clue-less; "k-1" is known to a bank, so triage hides it and counts it.
    Agency B's series "c" is never shown to alice.
    """
    settings = Settings(
        workspace=root / "workspace", database_url=f"sqlite:///{root / 'vidtrace.db'}", workers=1
    )
    app = bootstrap(settings)
    amsterdam = exif_bytes(gps=AMSTERDAM, offset="+02:00", taken_at="2024:06:14 10:00:00")
    own, other = root / "agency-a", root / "agency-b"
    paths = {
        "a-1": write_jpeg(own / "a-1.jpg", 101, exif=amsterdam),
        "a-2": write_jpeg(own / "a-2.jpg", 102, exif=amsterdam),
        "a-3": write_jpeg(own / "a-3.jpg", 103),
        "a-4": write_jpeg(own / "a-4.jpg", 104),
        "b-1": write_jpeg(own / "b-1.jpg", 201),
        "b-2": write_jpeg(own / "b-2.jpg", 202),
        "k-1": write_jpeg(own / "k-1.jpg", 401),
        "c-1": write_jpeg(other / "c-1.jpg", 301),
        "c-2": write_jpeg(other / "c-2.jpg", 302),
    }
    known_md5 = hashlib.md5(paths["k-1"].read_bytes()).hexdigest()
    bank = [vics_media(1, MD5=known_md5, AlternativeHashes=None, MediaFiles=None)]
    app.importer().run(write_vics(root / "bank.json", bank), "VICS test")
    app.ingest_runner().run([own], "Case A", "Agency A", "NL")
    app.ingest_runner().run([other], "Case B", "Agency B", "DE")
    prefix_grouper(app).run()
    app.clue_runner(workers=1, background=False).run()
    media = {stem: _sha256(path) for stem, path in paths.items()}
    groups = app.series().series_of_media()
    series = {stem[0]: groups[key] for stem, key in media.items() if key in groups}
    users = UserStore(app.engine)
    for name, (role, agency) in USERS.items():
        users.add(name, PASSWORD, role, agency, "test")
    return BrowserWorkspace(app, media, series)


class ServedApp:
    """An ASGI app under uvicorn in a background thread, on 127.0.0.1 and a port the system
    picks (so parallel test runs never collide)."""

    def __init__(self, asgi: Any, name: str) -> None:
        config = uvicorn.Config(asgi, host="127.0.0.1", port=0, log_level="warning")
        self.name = name
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name=name, daemon=True)
        self.url = ""

    def start(self, timeout: float = 15.0) -> None:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the {self.name} did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class LiveServer(ServedApp):
    """The workbench over ``app``, served."""

    def __init__(self, app: App) -> None:
        super().__init__(create_app(app), "workbench")


@dataclass
class PageErrors:
    """Script errors and console errors of every page it listens to."""

    seen: list[str] = field(default_factory=list)

    def listen(self, page: Page) -> Page:
        page.on("pageerror", lambda error: self.seen.append(f"{page.url}: {error}"))
        page.on("console", lambda message: self._console(page, message))
        return page

    def forgive(self, fragment: str) -> int:
        """Drop the errors a step caused on purpose (a refused form's 400); how many."""
        kept = [error for error in self.seen if fragment not in error]
        dropped = len(self.seen) - len(kept)
        self.seen = kept
        return dropped

    def _console(self, page: Page, message: ConsoleMessage) -> None:
        if message.type == "error":
            source = message.location.get("url", "")
            self.seen.append(f"{page.url}: console: {message.text} ({source})")


class Screenshots:
    """Saves full-page PNGs into the folder named by $VIDTRACE_SCREENSHOTS, and nowhere when it
    is unset: ordinary runs leave the tracked docs/screenshots alone."""

    def __init__(self) -> None:
        folder = os.environ.get(SCREENSHOTS_VARIABLE, "")
        self.folder = Path(folder) if folder else None
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)

    def take(self, page: Page, name: str, full_page: bool = False) -> None:
        if self.folder is None:
            return
        page.screenshot(path=str(self.folder / f"{name}.png"), full_page=full_page)


def new_page(chromium: Browser, server: ServedApp, errors: PageErrors) -> Page:
    """A page in a fresh browser context: its own cookies, as a second browser would have."""
    context = chromium.new_context(base_url=server.url, viewport=VIEWPORT)
    context.set_default_timeout(10_000)
    return errors.listen(context.new_page())


def sign_in(page: Page, name: str, password: str = PASSWORD) -> None:
    """Fill in and send the login form the page shows."""
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button:has-text('Sign in')")
