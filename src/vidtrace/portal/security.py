"""Security headers on every answer, and the tip form's CSRF protection.

The public has no session, so the form is protected by a signed double submit: a random value
in a cookie, and in the form the HMAC of that value under the portal's key. A page on another
site can make a browser send the cookie but can neither read it nor compute the HMAC.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
FORM_COOKIE = "portal_form"
NO_STORE = b"no-store"
STATIC_CACHE = b"public, max-age=3600"


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every answer, error pages included (a pure ASGI
    middleware: it also sees what exception handlers send). Answers that set no
    Cache-Control get ``no-store`` (pages carry form tokens), static files an hour."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        cache = STATIC_CACHE if str(scope.get("path", "")).startswith("/static/") else NO_STORE

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                present = {k.lower() for k, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                if b"cache-control" not in present:
                    headers.append((b"cache-control", cache))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class FormTokens:
    """Signed double-submit tokens under the portal's ``key``."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    @staticmethod
    def new_cookie() -> str:
        return secrets.token_urlsafe(24)

    def token_for(self, cookie: str) -> str:
        digest = hmac.new(self._key, cookie.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def valid(self, cookie: str | None, submitted: str | None) -> bool:
        if not cookie or not submitted:
            return False
        return hmac.compare_digest(self.token_for(cookie).encode(), submitted.encode())
