"""Who is sending, without knowing who: the client's address becomes a salted hash at once,
and tips are limited per hash and overall within a sliding minute."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request

WINDOW_S = 60.0
UNKNOWN_ADDRESS = "unknown"


def client_address(request: Request, trust_forwarded: bool) -> str:
    """The sender's address: behind a trusted reverse proxy, the first X-Forwarded-For entry
    (the proxy must set the header, not append to one the client sent)."""
    if trust_forwarded:
        forwarded = request.headers.get("x-forwarded-for", "")
        first = forwarded.split(",")[0].strip()
        if first:
            return first[:100]
    return request.client.host if request.client else UNKNOWN_ADDRESS


class AddressHasher:
    """HMAC-SHA-256 of an address under the portal's own salt: the same client gets the same
    hash, and the hash cannot be turned back into an address without the salt."""

    def __init__(self, salt: bytes) -> None:
        self._salt = salt

    def __call__(self, address: str) -> str:
        return hmac.new(self._salt, address.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after_s: int = 0


class SlidingWindowLimiter:
    """At most ``per_client`` tips per client and ``overall`` tips in all within any
    ``window_s``. Kept in memory: the counts are worth nothing after a restart."""

    def __init__(
        self,
        per_client: int,
        overall: int,
        window_s: float = WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_client = per_client
        self.overall = overall
        self.window_s = window_s
        self.clock = clock
        self._clients: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()
        self._lock = threading.Lock()
        self._swept_at = clock()

    def _retry_after(self, oldest: float, now: float) -> int:
        return max(1, int(oldest + self.window_s - now) + 1)

    def attempt(self, client: str) -> Verdict:
        """Count one tip of ``client`` if the limits allow it."""
        with self._lock:
            now = self.clock()
            horizon = now - self.window_s
            while self._all and self._all[0] <= horizon:
                self._all.popleft()
            if now - self._swept_at > self.window_s:
                self._drop_idle(horizon)
                self._swept_at = now
            sent = self._clients.setdefault(client, deque())
            while sent and sent[0] <= horizon:
                sent.popleft()
            if len(sent) >= self.per_client:
                return Verdict(False, self._retry_after(sent[0], now))
            if len(self._all) >= self.overall:
                return Verdict(False, self._retry_after(self._all[0], now))
            sent.append(now)
            self._all.append(now)
            return Verdict(True)

    def _drop_idle(self, horizon: float) -> None:
        # Clients silent for a whole window hold nothing worth keeping.
        for client in [c for c, sent in self._clients.items() if not sent or sent[-1] <= horizon]:
            del self._clients[client]
