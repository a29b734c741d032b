"""Read model for the triage queue: the series a viewer may see, most urgent first.

The queue is computed from a handful of grouped queries over every visible series (never one
query per series), ranked in Python by the rule in ``triage_priority``, then paged. Known
material stays out of sight: a series whose members are all known is not listed, and the known
media are only counted (``hidden_known``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, String, cast, func, select

from vidtrace.domain.viewer import Role, Viewer
from vidtrace.store.access import visible_cases
from vidtrace.store.models import (
    Agency,
    Case,
    CaseShare,
    ClueRow,
    Media,
    Occurrence,
    Operation,
    Series,
    SeriesCase,
    SeriesMember,
    utcnow,
)
from vidtrace.store.triage_priority import (
    PRIORITY_RULE,
    PriorityInputs,
    PriorityPart,
    priority,
    priority_parts,
)

__all__ = [
    "PRIORITY_RULE",
    "PriorityPart",
    "TriageFilters",
    "TriagePage",
    "TriageQueries",
    "TriageRow",
]

MAX_PER_PAGE = 500
COUNTRY_CODE = re.compile("[A-Z]{2}")


@dataclass(frozen=True)
class TriageFilters:
    """Narrow the queue; None means any. ``case``, ``agency`` and ``operation`` keep series
    with a member in such a case (shared with the operation, for ``operation``); ``country``
    keeps series that a clue not rejected names, or whose decided country it is."""

    case: str | None = None
    agency: str | None = None
    operation: str | None = None
    status: str | None = None
    country: str | None = None
    assignee: str | None = None


@dataclass(frozen=True)
class TriageRow:
    series_id: int
    name: str | None
    size: int
    status: str
    assignee: str | None
    country: str | None  # the decided country
    cases: int  # among the cases the viewer may see
    agencies: int  # likewise
    priority: float
    parts: tuple[PriorityPart, ...]
    representative: str | None
    last_activity: str | None  # ISO 8601, None when no one has worked on it yet


@dataclass(frozen=True)
class TriagePage:
    rows: tuple[TriageRow, ...]
    total: int  # series in the queue, over all pages
    page: int
    per_page: int
    hidden_known: int  # known media (known material, known-good) kept out of triage


def _known() -> Any:
    return Media.precategorised.is_(True) | Media.known_good.is_(True)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class TriageQueries:
    def __init__(self, engine: Engine, now: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.now = now

    def queue(
        self,
        viewer: Viewer,
        filters: TriageFilters = TriageFilters(),  # frozen, so safe to share
        page: int = 1,
        per_page: int = 50,
    ) -> TriagePage:
        """One page of the queue, ordered by priority (highest first), then series id.
        ValueError for a page below 1, ``per_page`` outside 1..500, or a country that is not
        a two-letter code."""
        if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
            raise ValueError(f"page starts at 1; per_page is 1 to {MAX_PER_PAGE}")
        country = (filters.country or "").strip().upper()
        if country and not COUNTRY_CODE.fullmatch(country):
            raise ValueError(f"a country is a two-letter ISO code, not {filters.country!r}")
        with self.engine.connect() as conn:
            scope = self._scope(conn, viewer, filters)
            cases_of = self._cases_of(conn, viewer)
            if scope is not None:
                cases_of = {sid: cases for sid, cases in cases_of.items() if cases & scope}
            if country:
                wanted = self._naming_country(conn, country)
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
            self._row(series[sid], len(cases_of[sid]), score, inputs)
            for score, sid, inputs in ranked[start : start + per_page]
        )
        return TriagePage(rows, len(ranked), page, per_page, hidden)

    @staticmethod
    def _row(series: Any, cases: int, score: float, inputs: PriorityInputs) -> TriageRow:
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
    def _scope(conn: Connection, viewer: Viewer, filters: TriageFilters) -> set[int] | None:
        """The visible cases the case/agency/operation filters keep; None when none is set."""
        if not (filters.case or filters.agency or filters.operation):
            return None
        query = select(Case.id).where(Case.id.in_(visible_cases(viewer)))
        if filters.case:
            query = query.where(Case.name == filters.case)
        if filters.agency:
            query = query.where(
                Case.agency_id.in_(select(Agency.id).where(Agency.name == filters.agency))
            )
        if filters.operation:
            shared = (
                select(CaseShare.case_id)
                .join(Operation, Operation.id == CaseShare.operation_id)
                .where(Operation.name == filters.operation)
            )
            query = query.where(Case.id.in_(shared))
        return set(conn.scalars(query))

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
    def _naming_country(conn: Connection, country: str) -> set[int]:
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

    @staticmethod
    def _hidden_known(conn: Connection, viewer: Viewer, scope: set[int] | None) -> int:
        if viewer.role == Role.ADMIN and scope is None:
            return conn.scalar(select(func.count()).select_from(Media).where(_known())) or 0
        query = (
            select(func.count(func.distinct(Occurrence.media_sha256)))
            .join(Media, Media.sha256 == Occurrence.media_sha256)
            .where(_known())
        )
        cases = scope if scope is not None else set(conn.scalars(visible_cases(viewer)))
        query = query.where(Occurrence.case_id.in_(sorted(cases)))
        return conn.scalar(query) or 0
