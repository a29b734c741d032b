"""Stored thumbnails as grey pixels, for the linkers that look at pixels (same scene)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from PIL import Image, UnidentifiedImageError
from sqlalchemy import Engine, select

from vidtrace.store.models import Derivative
from vidtrace.store.vault import Vault


class VaultThumbnails:
    """Reads a media item's thumbnail (already upright) from the vault, as a 2-D uint8 array."""

    def __init__(self, engine: Engine, vault: Vault) -> None:
        self.engine = engine
        self.vault = vault

    def available(self, sha256s: Sequence[str]) -> set[str]:
        query = select(Derivative.media_sha256).where(
            Derivative.role == "thumbnail", Derivative.position == 0
        )
        with self.engine.connect() as conn:
            stored = set(conn.scalars(query))
        return stored.intersection(sha256s)

    def grey(self, sha256: str) -> npt.NDArray[np.uint8] | None:
        with self.engine.connect() as conn:
            blob = conn.scalar(
                select(Derivative.vault_sha256).where(
                    Derivative.media_sha256 == sha256,
                    Derivative.role == "thumbnail",
                    Derivative.position == 0,
                )
            )
        if blob is None or not self.vault.exists(blob):
            return None
        try:
            with Image.open(io.BytesIO(self.vault.read_bytes(blob))) as image:
                return np.asarray(image.convert("L"), dtype=np.uint8)
        except (OSError, UnidentifiedImageError):
            return None
