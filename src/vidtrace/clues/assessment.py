"""The country of production of a series: its ranking from the clues, and the analyst's
decision on it."""

from __future__ import annotations

from typing import Any

from vidtrace.clues.kinds import ClueError, country_code
from vidtrace.clues.ranking import rank_countries, ranking_to_json
from vidtrace.domain.clue import CountryDecision, CountryRanking
from vidtrace.store.clue_queries import ClueQueries
from vidtrace.store.country_decisions import CountryDecisions

EVERY_COUNTRY = 1000


class CountryAssessor:
    def __init__(self, clues: ClueQueries, decisions: CountryDecisions) -> None:
        self.clues = clues
        self.decisions = decisions

    def rank_series(self, series_id: int) -> CountryRanking:
        return rank_countries(self.clues.of_series(series_id))

    def rank_media(self, sha256: str) -> CountryRanking:
        return rank_countries(self.clues.of_media(sha256))

    def report(self, series_id: int) -> dict[str, Any]:
        """The ranking as JSON, with the decisions taken so far."""
        return {
            "series": series_id,
            **ranking_to_json(self.rank_series(series_id)),
            "decisions": self.decisions.history(series_id),
        }

    def decide(
        self,
        series_id: int,
        country: str,
        analyst: str,
        clue_ids: tuple[int, ...] | None = None,
        note: str = "",
    ) -> dict[str, Any]:
        """Set the series' likely country. Without ``clue_ids`` the decision rests on the clues
        that support that country in the current ranking."""
        code = country_code(country)
        clues = self.clues.of_series(series_id)
        ranking = rank_countries(clues)
        if clue_ids is None:
            # the chosen country may rank below the shown top ten: look at every country
            full = rank_countries(clues, top=EVERY_COUNTRY)
            entry = next((r for r in full.ranking if r.country == code), None)
            clue_ids = tuple(
                sorted({i for e in (entry.supporting if entry else ()) for i in e.clue_ids})
            )
        if not analyst:
            raise ClueError("a decision needs the analyst's name")
        assessment, notification = self.decisions.decide(
            CountryDecision(series_id, code, analyst, clue_ids, note), ranking_to_json(ranking)
        )
        return {
            "series": series_id,
            "country": code,
            "analyst": analyst,
            "clues": list(clue_ids),
            "assessment": assessment,
            "notification": notification,
        }
