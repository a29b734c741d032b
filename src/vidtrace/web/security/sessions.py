"""Browser sessions in the database, so they work across server processes and restarts.

The cookie holds a random token; only its SHA-256 is stored, so a copy of the database does not
let anyone sign in. A session ends after ``idle_minutes`` without a request.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, insert, select, update

from vidtrace.domain.viewer import Viewer
from vidtrace.store.models import WebSession, utcnow
from vidtrace.store.users import UserStore
from vidtrace.web.security.csrf import new_token

# Refreshing last_seen on every request would make every page view a write.
_REFRESH_AFTER = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionInfo:
    viewer: Viewer
    csrf_token: str
    second_factor_done: bool
    token_hash: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every time stored here is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class SessionStore:
    def __init__(
        self, engine: Engine, idle_minutes: int = 30, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.engine = engine
        self.idle = timedelta(minutes=idle_minutes)
        self.clock = clock

    def start(self, user_id: int, client: str | None, second_factor_done: bool) -> tuple[str, str]:
        """A new session; (the token for the cookie, the CSRF token for forms)."""
        token, csrf_token, now = secrets.token_urlsafe(32), new_token(), self.clock()
        with self.engine.begin() as conn:
            conn.execute(
                insert(WebSession).values(
                    token_hash=token_hash(token),
                    user_id=user_id,
                    csrf_token=csrf_token,
                    second_factor_done=second_factor_done,
                    created_at=now,
                    last_seen=now,
                    client=(client or "")[:100] or None,
                )
            )
        return token, csrf_token

    def current(self, token: str | None) -> SessionInfo | None:
        """The live session for a cookie token, or None: unknown, idle too long, or the user
        was disabled (expired and disabled sessions are deleted). Counts as activity."""
        if not token:
            return None
        hashed, now = token_hash(token), self.clock()
        with self.engine.connect() as conn:
            row = conn.execute(select(WebSession).where(WebSession.token_hash == hashed)).first()
        if row is None:
            return None
        viewer = UserStore(self.engine).viewer(row.user_id)
        last_seen = _aware(row.last_seen)
        if viewer is None or now - last_seen > self.idle:
            self._delete(hashed)
            return None
        if now - last_seen >= _REFRESH_AFTER:
            with self.engine.begin() as conn:
                conn.execute(
                    update(WebSession).where(WebSession.token_hash == hashed).values(last_seen=now)
                )
        return SessionInfo(viewer, row.csrf_token, row.second_factor_done, hashed)

    def complete_second_factor(self, token: str) -> None:
        """Mark the session as past the TOTP check."""
        with self.engine.begin() as conn:
            conn.execute(
                update(WebSession)
                .where(WebSession.token_hash == token_hash(token))
                .values(second_factor_done=True)
            )

    def end(self, token: str) -> None:
        """Log out this browser."""
        self._delete(token_hash(token))

    def end_all(self, user_id: int) -> None:
        """Log out every browser of a user (after a password change, or when disabled)."""
        with self.engine.begin() as conn:
            conn.execute(delete(WebSession).where(WebSession.user_id == user_id))

    def _delete(self, hashed: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(WebSession).where(WebSession.token_hash == hashed))
