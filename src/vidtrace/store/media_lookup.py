"""The one question workers ask the database: were these bytes already ingested?"""

from __future__ import annotations

from sqlalchemy import Engine, select

from vidtrace.store.models import Media


class MediaLookup:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def is_ingested(self, sha256: str) -> bool:
        with self.engine.connect() as conn:
            return conn.scalar(select(Media.sha256).where(Media.sha256 == sha256)) is not None
