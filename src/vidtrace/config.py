"""Settings: the workspace, the database and the limits that keep hostile input harmless."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_WORKSPACE = "vidtrace-data"
DEFAULT_PORTAL_URL = "http://127.0.0.1:8100"


@dataclass(frozen=True)
class Limits:
    """Caps applied while reading evidence; anything beyond them is skipped with a reason."""

    max_image_pixels: int = 250_000_000  # beyond this a decode is refused as a decompression bomb
    max_file_bytes: int = (
        64 * 1024**3
    )  # a single file (or archive member) larger than this is skipped
    max_archive_ratio: float = 200.0  # uncompressed / compressed, per member and per archive
    max_archive_total_bytes: int = 256 * 1024**3  # total uncompressed bytes of one archive
    max_archive_members: int = 5_000_000
    max_archive_depth: int = 3  # archives inside archives inside archives
    max_video_frames: int = 7_200  # sampled frames per video (2 h at 1 frame/s)


@dataclass(frozen=True)
class Settings:
    workspace: Path
    database_url: str | None = None  # None: SQLite inside the workspace
    limits: Limits = field(default_factory=Limits)
    frames_per_second: float = 1.0  # vPDQ sampling rate
    thumbnail_px: int = 256  # longest side of a thumbnail
    keep_originals: bool = True  # copy image and video originals into the vault
    workers: int = max(1, os.cpu_count() or 1)
    admin_totp_required: bool = False  # the workbench refuses admins without a second factor
    # Trace an Object: where the public portal listens, and the token it accepts for publishing
    # and for handing over tips (publish/portal_client.py). The portal knows nothing of us.
    portal_url: str = DEFAULT_PORTAL_URL
    portal_token: str | None = None

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.workspace / 'vidtrace.db').resolve()}"

    @property
    def vault_dir(self) -> Path:
        return self.workspace / "vault"

    @property
    def index_dir(self) -> Path:
        return self.workspace / "index"

    @property
    def tmp_dir(self) -> Path:
        return self.workspace / "tmp"

    def with_workers(self, workers: int | None) -> Settings:
        return self if workers is None else replace(self, workers=max(1, workers))


def load_settings(workspace: str | os.PathLike[str] | None = None) -> Settings:
    """Settings from the command line value, then ``$VIDTRACE_*``, then defaults."""
    ws = workspace or os.environ.get("VIDTRACE_WORKSPACE") or DEFAULT_WORKSPACE
    fps = os.environ.get("VIDTRACE_FRAMES_PER_SECOND")
    keep = os.environ.get("VIDTRACE_KEEP_ORIGINALS", "1").lower() not in {"0", "false", "no"}
    admin_totp = os.environ.get("VIDTRACE_ADMIN_TOTP", "0").lower() in {"1", "true", "yes"}
    return Settings(
        workspace=Path(ws),
        database_url=os.environ.get("VIDTRACE_DATABASE_URL") or None,
        frames_per_second=float(fps) if fps else 1.0,
        keep_originals=keep,
        admin_totp_required=admin_totp,
        portal_url=os.environ.get("VIDTRACE_PORTAL_URL") or DEFAULT_PORTAL_URL,
        portal_token=os.environ.get("VIDTRACE_PORTAL_TOKEN") or None,
    )
