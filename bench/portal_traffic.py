"""Traffic for the Trace an Object portal: the real portal as a child process that can be
killed and started again, simulated visitors sending tips with idempotency keys and sending
again those that got no answer, and the check of what was stored against what was answered.

Used by ``bench/portal_load.py`` and by ``tests/portal/test_kill_during_burst.py``.
"""

from __future__ import annotations

import asyncio
import io
import math
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookiejar import Cookie, CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from PIL import Image

from vidtrace.publish.portal_client import PortalClient, PublicObject

TOKEN = "bench-portal-token-" + secrets.token_hex(16)
READY_TIMEOUT_S = 60.0  # a cold start on a busy 2-core machine
REQUEST_TIMEOUT_S = 30.0
RETRY_PAUSE_S = 0.2
SETTLE_S = 60.0  # how long after its run an unanswered tip is still sent again
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
MARKER = re.compile(r"^Bench tip ([0-9a-f]{32}):")
CATEGORIES = ("clothing", "packaging", "furniture", "toys")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class PortalProcess:
    """``vidtrace portal`` as a child process on a fixed port and data folder, so that it can
    be killed and started again where it was."""

    def __init__(self, work: Path, client_tips_per_minute: int, tips_per_minute: int) -> None:
        token_file = work / "token"
        token_file.write_text(TOKEN)
        token_file.chmod(0o600)
        self.log = work / "portal.log"
        self.url = f"http://127.0.0.1:{free_port()}"
        self.command = [
            *(sys.executable, "-m", "vidtrace", "portal", "--host", "127.0.0.1"),
            *("--port", self.url.rsplit(":", 1)[1], "--data", str(work / "portal")),
            *("--token-file", str(token_file), "--trust-forwarded"),
            *("--client-tips-per-minute", str(client_tips_per_minute)),
            *("--tips-per-minute", str(tips_per_minute)),
        ]
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> float:
        """Start it and wait until it answers; the seconds that took."""
        began = time.monotonic()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.command, stdout=log, stderr=log)
        while time.monotonic() - began < READY_TIMEOUT_S:
            if self.process.poll() is not None:
                tail = self.log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"the portal exited with {self.process.returncode}:\n{tail}")
            try:
                if httpx.get(f"{self.url}/privacy", timeout=2).status_code == 200:
                    return time.monotonic() - began
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"the portal did not answer within {READY_TIMEOUT_S:.0f} s")

    def cpu_s(self) -> float:
        """CPU seconds the running portal has used (user and system), from /proc."""
        assert self.process is not None
        stat = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")

    def kill(self) -> None:
        """SIGKILL: no shutdown and no flush; only what was committed survives."""
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def webp(seed: int) -> bytes:
    """A generated picture (noise over a colour gradient), WebP-encoded."""
    rng = np.random.default_rng(seed)
    ramp = np.linspace(0, 200, 160, dtype=np.float64)
    pixels = np.stack([np.add.outer(ramp[:120], ramp) / 2] * 3, axis=-1)
    pixels += rng.normal(0, 12, pixels.shape) + rng.integers(0, 55, 3)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, "WEBP")
    return buffer.getvalue()


def publish_objects(url: str, count: int) -> list[str]:
    """Publish ``count`` objects through the sync API; their public ids."""
    ids = [secrets.token_hex(16) for _ in range(count)]
    with PortalClient(url, TOKEN) as client:
        for n, public_id in enumerate(ids):
            client.publish(
                PublicObject(
                    public_id=public_id,
                    title=f"Benchmark object {n + 1}",
                    description="A generated picture, published for the load benchmark.",
                    questions=("Where is this sold?",),
                    category=CATEGORIES[n % len(CATEGORIES)],
                    image_webp=webp(n),
                    published_at=datetime.now(UTC),
                )
            )
    return ids


def stored_texts(url: str) -> list[str]:
    """The text of every tip the portal holds, read through the sync API in pages."""
    texts: list[str] = []
    after = 0
    with PortalClient(url, TOKEN) as client:
        while page := client.tips(after):
            texts.extend(tip.text for tip in page)
            after = page[-1].seq
    return texts


class KeepNoCookies(DefaultCookiePolicy):
    """The shared client must not keep one visitor's cookie for the next: each request
    carries its own visitor's cookie."""

    def set_ok(self, cookie: Cookie, request: Any) -> bool:
        return False


def new_client(url: str, concurrency: int) -> httpx.AsyncClient:
    # Idle connections are dropped before uvicorn's 5 s keep-alive ends: at httpx's default
    # (also 5 s) a request now and then goes out on a connection the server is closing.
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency, keepalive_expiry=3.0
    )
    return httpx.AsyncClient(
        base_url=url,
        timeout=REQUEST_TIMEOUT_S,
        cookies=CookieJar(policy=KeepNoCookies()),
        limits=limits,
    )


@dataclass(frozen=True)
class Visitor:
    address: str
    cookie: str
    csrf_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"x-forwarded-for": self.address, "cookie": f"portal_form={self.cookie}"}


async def page_of(
    client: httpx.AsyncClient, public_id: str, headers: dict[str, str]
) -> httpx.Response:
    """The object page, asked again (up to three times) when the connection failed."""
    for _ in range(3):
        try:
            page = await client.get(f"/objects/{public_id}", headers=headers)
        except httpx.TransportError:
            continue
        page.raise_for_status()
        return page
    raise RuntimeError("the object page could not be read three times in a row")


async def visitors(
    client: httpx.AsyncClient, public_id: str, group: int, count: int
) -> list[Visitor]:
    """``count`` visitors at addresses of their own, each having opened the object page once."""

    async def visit(n: int) -> Visitor:
        address = f"10.{group}.{n // 250}.{n % 250 + 1}"
        page = await page_of(client, public_id, {"x-forwarded-for": address})
        token = CSRF_FIELD.search(page.text)
        assert token is not None, "no form token in the object page"
        return Visitor(address, page.cookies["portal_form"], token.group(1))

    return list(await asyncio.gather(*(visit(n) for n in range(count))))


@dataclass(frozen=True)
class Crowd:
    """Who sends: the per-client limit sits well above what a normal visitor sends within the
    run, and the ``fast`` visitors, a small share, each offer three times that limit."""

    clients: int
    fast: int
    client_limit: int  # tips per client per minute
    fast_share: float  # of all tips, those sent by the fast visitors


def plan_crowd(rate: float, seconds: float, clients: int) -> Crowd:
    fast = max(1, clients // 50)
    window = min(seconds, 60.0)
    normal_each = rate * window / (clients - fast)
    limit = max(10, math.ceil(2 * normal_each + 10))
    return Crowd(clients, fast, limit, min(0.25, fast * 3 * limit / (rate * window)))


@dataclass
class TipRecord:
    key: str
    status: int | None = None  # the answer that settled it; None: never answered
    failures: int = 0  # attempts without an answer (connection error, 5xx): outcome unknown
    started_at: float = field(default_factory=time.monotonic)
    answered_at: float = 0.0


@dataclass
class TipSender:
    """Sends tips, at most ``concurrency`` at once; an attempt without an answer is sent
    again with the same key after a pause, until ``retry_until``."""

    client: httpx.AsyncClient
    concurrency: int
    retry_until: float = math.inf
    records: list[TipRecord] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.slots = asyncio.Semaphore(self.concurrency)

    async def send(self, visitor: Visitor, public_id: str) -> TipRecord:
        record = TipRecord(secrets.token_hex(16))
        self.records.append(record)
        data = {
            "text": f"Bench tip {record.key}: I saw this in a shop in Ghent.",
            "country": "BE",
            "place": "Ghent",
            "email": "",
            "consent": "yes",
            "website": "",  # the honeypot, left empty as people leave it
            "idempotency_key": record.key,
            "language": "en",
            "csrf_token": visitor.csrf_token,
        }
        while True:
            async with self.slots:
                began = time.perf_counter()
                try:
                    answer = await self.client.post(
                        f"/objects/{public_id}/tips", data=data, headers=visitor.headers
                    )
                    failure = f"HTTP {answer.status_code}" if answer.status_code >= 500 else ""
                except httpx.TransportError as error:
                    failure = type(error).__name__
            if not failure:
                self.latencies_ms.append((time.perf_counter() - began) * 1000)
                self.statuses[answer.status_code] += 1
                record.status, record.answered_at = answer.status_code, time.monotonic()
                return record
            record.failures += 1
            self.failures[failure] += 1
            if time.monotonic() > self.retry_until:
                return record
            await asyncio.sleep(RETRY_PAUSE_S)


class Picker:
    """Which visitor sends the next tip: a fast one with ``crowd.fast_share``."""

    def __init__(self, crowd: Crowd, people: list[Visitor], seed: int) -> None:
        self.fast, self.normal = people[: crowd.fast], people[crowd.fast :]
        self.share = crowd.fast_share
        self.rng = random.Random(seed)

    def __call__(self) -> Visitor:
        return self.rng.choice(self.fast if self.rng.random() < self.share else self.normal)


async def paced(
    rate: float, seconds: float, start: Callable[[], Coroutine[Any, Any, object]]
) -> tuple[float, float]:
    """Start ``rate * seconds`` calls on a fixed schedule (late ones at once, so the offered
    rate holds on average) and wait for them all; the seconds until the last one started,
    and until the last one ended."""
    loop = asyncio.get_running_loop()
    began = loop.time()
    tasks: list[asyncio.Task[object]] = []
    for n in range(round(rate * seconds)):
        wait = began + n / rate - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        tasks.append(asyncio.create_task(start()))
    offered = loop.time() - began
    await asyncio.gather(*tasks)
    return offered, loop.time() - began


@dataclass
class Run:
    sender: TipSender
    offered_s: float = 0.0  # until the last tip was started
    elapsed_s: float = 0.0  # until the last tip was answered
    killed_at: float = 0.0  # time.monotonic(); failure run only
    back_at: float = 0.0
    restart_s: float = 0.0


async def load_run(
    portal: PortalProcess,
    ids: list[str],
    crowd: Crowd,
    rate: float,
    seconds: float,
    concurrency: int,
    kill_half_way: bool = False,
) -> Run:
    """Tips at ``rate`` for ``seconds``; with ``kill_half_way``, the portal is killed and
    started again at half time while the tips keep coming."""
    async with new_client(portal.url, concurrency) as client:
        people = await visitors(client, ids[0], 2 if kill_half_way else 3, crowd.clients)
        pick = Picker(crowd, people, seed=7)
        sender = TipSender(client, concurrency, time.monotonic() + seconds + SETTLE_S)
        run = Run(sender)

        async def kill_and_restart() -> None:
            await asyncio.sleep(seconds / 2)
            run.killed_at = time.monotonic()
            portal.kill()
            run.restart_s = await asyncio.to_thread(portal.start)
            run.back_at = time.monotonic()

        killing = asyncio.create_task(kill_and_restart()) if kill_half_way else None
        run.offered_s, run.elapsed_s = await paced(
            rate, seconds, lambda: sender.send(pick(), pick.rng.choice(ids))
        )
        if killing is not None:
            await killing
    return run


@dataclass
class Integrity:
    """Each sent tip's stored copies against what the client was told."""

    lost: list[str]  # answered 200, not stored
    duplicated: list[str]  # stored more than once
    refused_but_stored: list[str]  # answered with a refusal, stored all the same
    never_sent: list[str]  # stored, never sent by the client
    stored: Counter[str]

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.refused_but_stored or self.never_sent)


def check_integrity(records: list[TipRecord], texts: list[str]) -> Integrity:
    stored: Counter[str] = Counter()
    for text in texts:
        marker = MARKER.match(text)
        stored[marker.group(1) if marker else text] += 1
    sent = {record.key: record for record in records}
    return Integrity(
        lost=[r.key for r in records if r.status == 200 and not stored[r.key]],
        duplicated=[key for key, times in stored.items() if times > 1],
        refused_but_stored=[
            r.key for r in records if r.status not in (200, None) and stored[r.key]
        ],
        never_sent=[key for key in stored if key not in sent],
        stored=stored,
    )
