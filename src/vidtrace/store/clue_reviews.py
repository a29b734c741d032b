"""Analysts' work on clues: adding one by hand, confirming or rejecting a proposal. Each change
and its audit record are written in one transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select, update

from vidtrace.clues.kinds import ClueError
from vidtrace.domain.clue import Clue, ClueStatus
from vidtrace.store.audit import record_audit
from vidtrace.store.clue_rows import clue_values
from vidtrace.store.models import ClueRow, Media
from vidtrace.store.series_summary import refresh_summary_of_media


class ClueReviews:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, clue: Clue) -> int:
        """Store an analyst's clue (already validated by clues.analyst_clues); returns its id."""
        if not clue.analyst:
            raise ClueError("an analyst clue needs the analyst's name")
        with self.engine.begin() as conn:
            if conn.scalar(select(Media.sha256).where(Media.sha256 == clue.media_sha256)) is None:
                raise ClueError(f"no media item {clue.media_sha256}")
            clue_id = conn.execute(insert(ClueRow).values(**clue_values(clue))).inserted_primary_key
            assert clue_id is not None
            new_id = int(clue_id[0])
            refresh_summary_of_media(conn, [clue.media_sha256])
            record_audit(
                conn,
                clue.analyst,
                "add-clue",
                "clue",
                new_id,
                {
                    "media": clue.media_sha256,
                    "kind": clue.kind,
                    "value": clue.value,
                    "countries": sorted(clue.countries),
                },
            )
        return new_id

    def review(self, clue_id: int, status: ClueStatus, analyst: str, reason: str = "") -> None:
        """Confirm, reject or reopen (``proposed``) a clue."""
        with self.engine.begin() as conn:
            old = conn.scalar(select(ClueRow.status).where(ClueRow.id == clue_id))
            if old is None:
                raise ClueError(f"no clue {clue_id}")
            conn.execute(
                update(ClueRow)
                .where(ClueRow.id == clue_id)
                .values(status=str(status), reviewed_by=analyst, reviewed_at=datetime.now(UTC))
            )
            media = conn.scalars(select(ClueRow.media_sha256).where(ClueRow.id == clue_id))
            refresh_summary_of_media(conn, media)
            record_audit(
                conn,
                analyst,
                f"{status}-clue" if status != ClueStatus.PROPOSED else "reopen-clue",
                "clue",
                clue_id,
                {"from": old, "to": str(status), "reason": reason},
            )
