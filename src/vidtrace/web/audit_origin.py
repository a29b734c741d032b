"""Tells the audit log where each request came from (``store.audit.request_origin``).

A pure ASGI middleware: the context variable is set in the request's own context, which the
endpoint (run in a worker thread) inherits, and reset when the request ends.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from vidtrace.store.audit import request_origin


class AuditOrigin:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        token = request_origin.set(client[0] if client else None)
        try:
            await self.app(scope, receive, send)
        finally:
            request_origin.reset(token)
