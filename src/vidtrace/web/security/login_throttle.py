"""Rate limiting of failed logins, in the database so every server process sees the same count.

Two counters: one per client and account name (stops guessing one account's password) and a
looser one per client (stops one address trying many accounts). Keys are hashes, so the table
holds no names or addresses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, select

from vidtrace.store.models import LoginAttempt, utcnow

# A shared office or VPN exit puts several honest users behind one address.
CLIENT_FAILURES_PER_ACCOUNT_LIMIT = 4


def account_key(client: str | None, name: str) -> str:
    return hashlib.sha256(f"{client or ''}\0{name.strip().lower()}".encode()).hexdigest()


def client_key(client: str | None) -> str:
    return hashlib.sha256(f"client\0{client or ''}".encode()).hexdigest()


class LoginThrottle:
    def __init__(
        self,
        engine: Engine,
        max_failures: int = 5,
        window_minutes: int = 15,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.engine = engine
        self.max_failures = max_failures
        self.max_client_failures = max_failures * CLIENT_FAILURES_PER_ACCOUNT_LIMIT
        self.window = timedelta(minutes=window_minutes)
        self.clock = clock

    def _failures(self, key: str) -> int:
        since = self.clock() - self.window
        query = (
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.key == key, LoginAttempt.at > since)
        )
        with self.engine.connect() as conn:
            return conn.scalar(query) or 0

    def allowed(self, client: str | None, name: str) -> bool:
        """Whether a login may be tried now; check before verifying the password."""
        return (
            self._failures(account_key(client, name)) < self.max_failures
            and self._failures(client_key(client)) < self.max_client_failures
        )

    def failed(self, client: str | None, name: str) -> None:
        """Count a failed login (and forget failures older than the window)."""
        now = self.clock()
        with self.engine.begin() as conn:
            conn.execute(delete(LoginAttempt).where(LoginAttempt.at <= now - self.window))
            conn.execute(
                insert(LoginAttempt),
                [
                    {"key": account_key(client, name), "at": now},
                    {"key": client_key(client), "at": now},
                ],
            )

    def succeeded(self, client: str | None, name: str) -> None:
        """Reset this account's count from this client. The per-client count stays, so one
        valid account cannot be used to keep guessing at others."""
        with self.engine.begin() as conn:
            conn.execute(delete(LoginAttempt).where(LoginAttempt.key == account_key(client, name)))
