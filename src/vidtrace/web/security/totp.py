"""Time-based one-time passwords (RFC 6238): HMAC-SHA1, 30-second steps, 6 digits.

Compatible with the usual authenticator apps through ``provisioning_uri``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6


def new_secret() -> str:
    """A new shared secret: 160 random bits, base32 without padding (32 characters)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    # Authenticator apps show secrets in groups and lower case; accept them as typed.
    cleaned = secret.replace(" ", "").replace("-", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def _code(key: bytes, counter: int, digits: int) -> str:
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def code_at(secret: str, at: float, digits: int = DIGITS) -> str:
    """The code valid at Unix time ``at``."""
    return _code(_key(secret), int(at // STEP_SECONDS), digits)


def verify(secret: str, code: str, at: float | None = None, window: int = 1) -> bool:
    """Whether ``code`` is valid at ``at`` (now by default), allowing ``window`` steps of clock
    drift either way. Spaces in the code are ignored; anything but 6 digits is refused."""
    typed = code.replace(" ", "")
    if len(typed) != DIGITS or not typed.isascii() or not typed.isdigit():
        return False
    key = _key(secret)
    counter = int((time.time() if at is None else at) // STEP_SECONDS)
    matched = False
    # Check every step in the window (no early return) so timing does not tell which matched.
    for step in range(max(0, counter - window), counter + window + 1):
        matched |= hmac.compare_digest(_code(key, step, DIGITS), typed)
    return matched


def provisioning_uri(secret: str, account: str, issuer: str = "vidtrace") -> str:
    """The ``otpauth://`` URI an authenticator app reads (usually from a QR code)."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"
