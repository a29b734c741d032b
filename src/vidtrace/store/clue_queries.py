"""Reading clues and recognised text: per media item, per series, and as a filtered list."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Engine, any_, func, select

from vidtrace.domain.clue import Clue, RecognisedText
from vidtrace.store.clue_rows import clue_json, clue_of, text_of
from vidtrace.store.models import ClueExtraction, ClueRow, MediaText, SeriesMember


class ClueQueries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def of_media(self, sha256: str) -> list[Clue]:
        return self._clues(select(ClueRow).where(ClueRow.media_sha256 == sha256))

    def of_series(self, series_id: int) -> list[Clue]:
        return self._clues(select(ClueRow).where(self._in_series(series_id)))

    def _in_series(self, series_id: int) -> ColumnElement[bool]:
        """Clues of the series' members."""
        members = select(SeriesMember.media_sha256).where(SeriesMember.series_id == series_id)
        if self.engine.dialect.name == "postgresql":
            # = ANY(ARRAY(members)): the members are read once and looked up on the clue index.
            # With IN (members) PostgreSQL hashes the whole clue table, twice as slow for a
            # 5,000-member series among 200,000 clues.
            return ClueRow.media_sha256 == any_(func.array(members.scalar_subquery()))
        return ClueRow.media_sha256.in_(members)

    def texts_of_media(self, sha256: str) -> list[RecognisedText]:
        query = select(MediaText).where(MediaText.media_sha256 == sha256).order_by(MediaText.id)
        with self.engine.connect() as conn:
            return [text_of(row) for row in conn.execute(query)]

    def find(
        self,
        kind: str | None = None,
        status: str | None = None,
        series_id: int | None = None,
        media: str | None = None,
        limit: int = 1000,
    ) -> list[dict[str, Any]]:
        clue_table = ClueRow.__table__
        query = select(clue_table, SeriesMember.series_id).outerjoin(
            SeriesMember, SeriesMember.media_sha256 == ClueRow.media_sha256
        )
        if kind:
            query = query.where(ClueRow.kind == kind)
        if status:
            query = query.where(ClueRow.status == status)
        if series_id is not None:
            query = query.where(self._in_series(series_id))
        if media:
            query = query.where(ClueRow.media_sha256 == media)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(ClueRow.id).limit(limit)).all()
        return [
            {**clue_json(clue_of(row), row.reviewed_by), "series": row.series_id} for row in rows
        ]

    def search_text(self, words: str, limit: int = 200) -> list[dict[str, Any]]:
        """Media whose recognised text contains ``words`` (case-insensitive), with the text."""
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = (
            select(MediaText, SeriesMember.series_id)
            .outerjoin(SeriesMember, SeriesMember.media_sha256 == MediaText.media_sha256)
            .where(MediaText.text.ilike(pattern, escape="\\"))
            .order_by(MediaText.media_sha256, MediaText.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [
                {
                    "media": row.media_sha256,
                    "series": row.series_id,
                    "language": row.language,
                    "seconds": row.seconds,
                    "text": row.text,
                }
                for row in conn.execute(query)
            ]

    def media_report(self, sha256: str) -> dict[str, Any]:
        """What ``media show`` adds: the item's clues, the text read off it, and what each
        extractor made of it (with the reason when it skipped)."""
        return {
            "clues": self.find(media=sha256),
            "texts": [
                {
                    "text": t.text,
                    "script": t.script,
                    "language": t.language,
                    "confidence": round(t.confidence, 1),
                    "seconds": t.seconds,
                }
                for t in self.texts_of_media(sha256)
            ],
            "clue_extraction": self.extraction_outcomes(sha256),
        }

    def extraction_outcomes(self, sha256: str) -> list[dict[str, Any]]:
        query = select(ClueExtraction).where(ClueExtraction.media_sha256 == sha256)
        with self.engine.connect() as conn:
            return [
                {
                    "extractor": r.extractor,
                    "version": r.version,
                    "outcome": r.outcome,
                    "reason": r.reason,
                }
                for r in conn.execute(query.order_by(ClueExtraction.extractor))
            ]

    def _clues(self, query: Any) -> list[Clue]:
        with self.engine.connect() as conn:
            return [clue_of(row) for row in conn.execute(query.order_by(ClueRow.id))]
