"""CSRF tokens: one random token per session, sent back with every state-changing request."""

from __future__ import annotations

import hmac
import secrets


def new_token() -> str:
    """256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def tokens_match(expected: str, submitted: str | None) -> bool:
    """Whether the submitted token is the session's, compared in constant time."""
    if not expected or not submitted:
        return False
    return hmac.compare_digest(expected.encode(), submitted.encode())
