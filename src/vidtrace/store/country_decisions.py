"""Analysts' decisions on the country of production, and the notifications they open."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, insert, select, update

from vidtrace.clues.kinds import ClueError, country_code
from vidtrace.domain.clue import CountryDecision
from vidtrace.store.audit import record_audit
from vidtrace.store.models import (
    ClueRow,
    CountryAssessment,
    CountryNotification,
    Series,
    SeriesMember,
)


class CountryDecisions:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def decide(self, decision: CountryDecision, ranking: dict[str, Any]) -> tuple[int, int]:
        """Record the decision, set the series' country and open a notification to that
        country; returns (assessment id, notification id). ``ranking`` is the ranking the
        analyst saw, kept with the decision."""
        country = country_code(decision.country)
        with self.engine.begin() as conn:
            series = conn.execute(
                select(Series.id, Series.merged_into).where(Series.id == decision.series_id)
            ).first()
            if series is None:
                raise ClueError(f"no series {decision.series_id}")
            if series.merged_into is not None:
                raise ClueError(f"series {decision.series_id} was merged into {series.merged_into}")
            self._check_clues(conn, decision)
            assessment = conn.execute(
                insert(CountryAssessment).values(
                    series_id=decision.series_id,
                    country=country,
                    analyst=decision.analyst,
                    clue_ids=list(decision.clue_ids),
                    note=decision.note,
                    ranking=ranking,
                )
            ).inserted_primary_key
            assert assessment is not None
            assessment_id = int(assessment[0])
            conn.execute(
                update(Series).where(Series.id == decision.series_id).values(country=country)
            )
            notification = conn.execute(
                insert(CountryNotification).values(
                    assessment_id=assessment_id, series_id=decision.series_id, country=country
                )
            ).inserted_primary_key
            assert notification is not None
            record_audit(
                conn,
                decision.analyst,
                "decide-country",
                "series",
                decision.series_id,
                {
                    "country": country,
                    "clues": list(decision.clue_ids),
                    "note": decision.note,
                    "assessment": assessment_id,
                },
            )
        return assessment_id, int(notification[0])

    def _check_clues(self, conn: Any, decision: CountryDecision) -> None:
        if not decision.clue_ids:
            return
        members = select(SeriesMember.media_sha256).where(
            SeriesMember.series_id == decision.series_id
        )
        found = set(
            conn.scalars(
                select(ClueRow.id).where(
                    ClueRow.id.in_(decision.clue_ids), ClueRow.media_sha256.in_(members)
                )
            )
        )
        missing = sorted(set(decision.clue_ids) - found)
        if missing:
            raise ClueError(f"clues {missing} are not clues of series {decision.series_id}")

    def history(self, series_id: int) -> list[dict[str, Any]]:
        """The decisions on one series, newest first."""
        query = (
            select(CountryAssessment)
            .where(CountryAssessment.series_id == series_id)
            .order_by(CountryAssessment.id.desc())
        )
        with self.engine.connect() as conn:
            return [
                {
                    "id": row.id,
                    "country": row.country,
                    "analyst": row.analyst,
                    "decided_at": row.decided_at.isoformat() if row.decided_at else None,
                    "clues": row.clue_ids,
                    "note": row.note,
                }
                for row in conn.execute(query)
            ]

    def notifications(self, status: str | None = None) -> list[dict[str, Any]]:
        query = select(CountryNotification).order_by(CountryNotification.id)
        if status:
            query = query.where(CountryNotification.status == status)
        with self.engine.connect() as conn:
            return [
                {
                    "id": row.id,
                    "series": row.series_id,
                    "country": row.country,
                    "assessment": row.assessment_id,
                    "status": row.status,
                    "created_at": row.created_at.isoformat() if row.created_at else None,
                }
                for row in conn.execute(query)
            ]
