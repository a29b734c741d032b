"""The portal's settings: where its data lives, the sync token's digest, and its limits.

Nothing here points at the workbench: the portal never connects anywhere (ADR 008).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import InitVar, dataclass, field
from pathlib import Path

DEFAULT_DATA_DIR = "vidtrace-portal"
DATA_ENV = "VIDTRACE_PORTAL_DATA"
TOKEN_ENV = "VIDTRACE_PORTAL_TOKEN"


class PortalSettingsError(ValueError):
    """A setting cannot be used (an unreadable or empty token file); the message says which."""


@dataclass(frozen=True)
class PortalLimits:
    """Caps on what the public and the workbench may send."""

    form_body_bytes: int = 64 * 1024  # a tip form, url-encoded (5,000 characters fit)
    sync_body_bytes: int = 8 * 1024 * 1024  # an object: its WebP in base64, title, questions
    image_bytes: int = 5 * 1024 * 1024  # the sanitised WebP
    title_chars: int = 200
    description_chars: int = 5_000
    questions: int = 10
    question_chars: int = 300
    tip_chars: int = 5_000
    place_chars: int = 200
    email_chars: int = 254
    client_tips_per_minute: int = 10  # one client (a salted hash of its address)
    tips_per_minute: int = 600  # all clients together: a flood cannot fill the disk
    address_hash_hours: int = 24  # how long a tip keeps its client's salted address hash


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class PortalSettings:
    """``token`` is hashed at once: the portal keeps only its SHA-256 (``token_sha256``).
    Without a token the sync routes answer 404. ``trust_forwarded``: the client's address is
    the first X-Forwarded-For entry (only behind a reverse proxy that sets it)."""

    data_dir: Path
    token: InitVar[str | None] = None
    trust_forwarded: bool = False
    secure_cookies: bool = False
    limits: PortalLimits = field(default_factory=PortalLimits)
    token_sha256: str | None = field(init=False, default=None)

    def __post_init__(self, token: str | None) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir))
        if token:
            object.__setattr__(self, "token_sha256", token_digest(token))


def read_token_file(path: Path) -> str:
    try:
        token = path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise PortalSettingsError(f"cannot read the token file {path}: {error}") from error
    if not token:
        raise PortalSettingsError(f"the token file {path} is empty")
    return token


def load_portal_settings(
    data_dir: str | None,
    token_file: str | None,
    trust_forwarded: bool = False,
    secure_cookies: bool = False,
    limits: PortalLimits | None = None,
    environ: Mapping[str, str] = os.environ,
) -> PortalSettings:
    """Settings from the command line, then $VIDTRACE_PORTAL_DATA / $VIDTRACE_PORTAL_TOKEN."""
    data = data_dir or environ.get(DATA_ENV) or DEFAULT_DATA_DIR
    token = read_token_file(Path(token_file)) if token_file else environ.get(TOKEN_ENV) or None
    return PortalSettings(
        data_dir=Path(data),
        token=token,
        trust_forwarded=trust_forwarded,
        secure_cookies=secure_cookies,
        limits=limits or PortalLimits(),
    )
