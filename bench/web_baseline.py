"""The baseline for bench/web.py: the triage queue as it was before the database ranked it.

Same summary tables, but every visible series is read and ranked in Python before one page is
cut. Kept only to be measured side by side with ``TriageQueries.queue``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, String, cast, select

from vidtrace.domain.viewer import Role, Viewer
from vidtrace.store.access import visible_cases
from vidtrace.store.models import Case, ClueRow, Series, SeriesCase, SeriesMember
from vidtrace.store.triage_priority import PriorityInputs, priority, priority_parts
from vidtrace.store.triage_queries import (
    TriageFilters,
    TriagePage,
    TriageQueries,
    TriageRow,
    _aware,
)

NO_FILTERS = TriageFilters()


class PythonRankedTriage(TriageQueries):
    def queue(
        self,
        viewer: Viewer,
        filters: TriageFilters = NO_FILTERS,
        page: int = 1,
        per_page: int = 50,
    ) -> TriagePage:
        """One page of the queue, ordered by priority (highest first), then series id.
        ValueError for a page below 1, ``per_page`` outside 1..500, or a country that is not
        a two-letter code."""
        country = self._checked(filters, page, per_page)
        with self.engine.connect() as conn:
            scope = self._scope(conn, viewer, filters)
            cases_of = self._cases_of(conn, viewer)
            if scope is not None:
                cases_of = {sid: cases for sid, cases in cases_of.items() if cases & scope}
            if country:
                wanted = self._python_naming_country(conn, country)
                cases_of = {sid: cases for sid, cases in cases_of.items() if sid in wanted}
            agency_of = {c: a for c, a in conn.execute(select(Case.id, Case.agency_id))}
            series = self._series(conn, filters, set(cases_of))
            known = self._known_members(conn)
            kinds = self._clue_kinds(conn)
            hidden = self._hidden_known(conn, viewer, scope)
        now = self.now()
        ranked: list[tuple[float, int, PriorityInputs]] = []
        for sid, row in series.items():
            if known.get(sid, 0) >= row.size:
                continue  # all known material: nothing new to look at
            cases = cases_of[sid]
            touched = _aware(row.last_activity or row.created_at)
            inputs = PriorityInputs(
                size=row.size,
                known=known.get(sid, 0),
                agencies=len({agency_of[c] for c in cases if agency_of.get(c) is not None}),
                clue_kinds=kinds.get(sid, 0),
                country_decided=row.country is not None,
                idle_days=(now - touched).total_seconds() / 86400,
            )
            ranked.append((priority(inputs), sid, inputs))
        ranked.sort(key=lambda item: (-item[0], item[1]))
        start = (page - 1) * per_page
        rows = tuple(
            self._python_row(series[sid], len(cases_of[sid]), score, inputs)
            for score, sid, inputs in ranked[start : start + per_page]
        )
        return TriagePage(rows, len(ranked), page, per_page, hidden)

    @staticmethod
    def _python_row(series: Any, cases: int, score: float, inputs: PriorityInputs) -> TriageRow:
        return TriageRow(
            series_id=series.id,
            name=series.name,
            size=series.size,
            status=series.status,
            assignee=series.assignee,
            country=series.country,
            cases=cases,
            agencies=inputs.agencies,
            priority=score,
            parts=priority_parts(inputs),
            representative=series.representative,
            last_activity=_aware(series.last_activity).isoformat()
            if series.last_activity
            else None,
        )

    @staticmethod
    def _cases_of(conn: Connection, viewer: Viewer) -> dict[int, set[int]]:
        """Per series with a member in a visible case: those visible cases."""
        # From the summary (store/series_summary.py): a join of every member to its
        # occurrences here was most of the page's time.
        query = select(SeriesCase.series_id, SeriesCase.case_id)
        if viewer.role != Role.ADMIN:
            # The ids as values: a short IN list on the case index beats the subquery.
            visible = list(conn.scalars(visible_cases(viewer)))
            query = query.where(SeriesCase.case_id.in_(visible))
        cases_of: dict[int, set[int]] = defaultdict(set)
        for sid, case_id in conn.execute(query):
            cases_of[sid].add(case_id)
        return cases_of

    @staticmethod
    def _series(conn: Connection, filters: TriageFilters, wanted: set[int]) -> dict[int, Any]:
        query = select(
            Series.id,
            Series.name,
            Series.size,
            Series.status,
            Series.assignee,
            Series.country,
            Series.representative,
            Series.last_activity,
            Series.created_at,
        ).where(Series.merged_into.is_(None), Series.size > 0)
        if filters.status:
            query = query.where(Series.status == filters.status)
        if filters.assignee:
            query = query.where(Series.assignee == filters.assignee)
        return {row.id: row for row in conn.execute(query) if row.id in wanted}

    @staticmethod
    def _known_members(conn: Connection) -> dict[int, int]:
        query = select(Series.id, Series.known_members).where(Series.known_members > 0)
        return {sid: count for sid, count in conn.execute(query)}

    @staticmethod
    def _clue_kinds(conn: Connection) -> dict[int, int]:
        query = select(Series.id, Series.clue_kinds).where(Series.clue_kinds > 0)
        return {sid: count for sid, count in conn.execute(query)}

    @staticmethod
    def _python_naming_country(conn: Connection, country: str) -> set[int]:
        """Series whose decided country is ``country``, or that a clue not rejected names."""
        # Clue countries are a JSON object keyed by ISO code; its values are numbers, so the
        # quoted code can only match a key.
        named = (
            select(SeriesMember.series_id)
            .join(ClueRow, ClueRow.media_sha256 == SeriesMember.media_sha256)
            .where(
                ClueRow.status != "rejected",
                cast(ClueRow.countries, String).like(f'%"{country}"%'),
            )
        )
        decided = select(Series.id).where(Series.country == country)
        return set(conn.scalars(named.union(decided)))
