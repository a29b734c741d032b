"""Read model for the triage queue: the series a viewer may see, most urgent first.

The database ranks every visible series by the rule in ``triage_priority`` (its SQL form) over
the series summary, and returns one page with the total; Python then explains each row on that
page term by term. Known
material stays out of sight: a series whose members are all known is not listed, and the known
media are only counted (``hidden_known``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Select, String, cast, func, select

from vidtrace.domain.viewer import Role, Viewer
from vidtrace.store.access import visible_cases
from vidtrace.store.models import (
    Agency,
    Case,
    CaseKnownMedia,
    CaseShare,
    ClueRow,
    Media,
    Operation,
    Series,
    SeriesCase,
    SeriesMember,
    media_known,
    utcnow,
)
from vidtrace.store.series_summary import series_reach
from vidtrace.store.sql_functions import days_since, round_tenth
from vidtrace.store.triage_priority import (
    PRIORITY_RULE,
    PriorityInputs,
    PriorityPart,
    priority,
    priority_parts,
    priority_sql,
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
        country = self._checked(filters, page, per_page)
        now = self.now()
        with self.engine.connect() as conn:
            visible = (
                None if viewer.role == Role.ADMIN else list(conn.scalars(visible_cases(viewer)))
            )
            scope = self._scope(conn, viewer, filters)
            query = self._ranked(filters, visible, scope, country, now)
            start = (page - 1) * per_page
            found = conn.execute(query.limit(per_page).offset(start)).all()
            total = conn.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
            hidden = self._hidden_known(conn, viewer, scope)
        rows = tuple(self._row(series, now) for series in found)
        return TriagePage(rows, total or 0, page, per_page, hidden)

    @staticmethod
    def _checked(filters: TriageFilters, page: int, per_page: int) -> str:
        """The country filter, upper-cased ("" for none), once the paging is checked."""
        if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
            raise ValueError(f"page starts at 1; per_page is 1 to {MAX_PER_PAGE}")
        country = (filters.country or "").strip().upper()
        if country and not COUNTRY_CODE.fullmatch(country):
            raise ValueError(f"a country is a two-letter ISO code, not {filters.country!r}")
        return country

    def _ranked(
        self,
        filters: TriageFilters,
        visible: list[int] | None,
        scope: set[int] | None,
        country: str,
        now: datetime,
    ) -> Select[*tuple[Any, ...]]:
        """Every queued series with its reach and priority, ranked; not yet paged."""
        reach = None if visible is None else self._reach(visible)
        if reach is None:
            # Sees every case: the counts stored with the series, no join.
            cases, agencies = Series.case_count, Series.agency_count
        else:
            cases, agencies = reach.c.cases, reach.c.agencies
        raw = priority_sql(
            Series.size,
            Series.known_members,
            agencies,
            Series.clue_kinds,
            Series.country,
            days_since(func.coalesce(Series.last_activity, Series.created_at), now),
        )
        # Rounded as shown, so equal scores on screen fall back to the documented tie-break.
        score = round_tenth(raw).label("score")
        query: Select[*tuple[Any, ...]] = (
            select(
                Series.id,
                Series.name,
                Series.size,
                Series.status,
                Series.assignee,
                Series.country,
                Series.representative,
                Series.last_activity,
                Series.created_at,
                Series.known_members,
                Series.clue_kinds,
                cases.label("cases"),
                agencies.label("agencies"),
            )
            # A series whose members are all known has nothing new to look at.
            .where(
                # Not "merged_into IS NULL": SQLite would walk its index for nearly every row.
                func.coalesce(Series.merged_into, 0) == 0,
                Series.size > 0,
                Series.known_members < Series.size,
                cases > 0,
            )
            .order_by(score.desc(), Series.id)
        )
        if reach is not None:
            query = query.join(reach, reach.c.series_id == Series.id)
        if filters.status:
            query = query.where(Series.status == filters.status)
        if filters.assignee:
            query = query.where(Series.assignee == filters.assignee)
        if scope is not None:
            in_scope = select(SeriesCase.series_id).where(SeriesCase.case_id.in_(sorted(scope)))
            query = query.where(Series.id.in_(in_scope))
        if country:
            query = query.where(Series.id.in_(self._naming_country(country)))
        return query

    @staticmethod
    def _reach(visible: list[int]) -> Any:
        """Per series with a member in a visible case: how many such cases and agencies."""
        # From the summary (store/series_summary.py): a join of every member to its
        # occurrences here was most of the page's time. The ids as values: a short IN list on
        # the case index beats the subquery.
        return series_reach().where(SeriesCase.case_id.in_(visible)).subquery("reach")

    @staticmethod
    def _row(series: Any, now: datetime) -> TriageRow:
        touched = _aware(series.last_activity or series.created_at)
        inputs = PriorityInputs(
            size=series.size,
            known=series.known_members,
            agencies=series.agencies,
            clue_kinds=series.clue_kinds,
            country_decided=series.country is not None,
            idle_days=(now - touched).total_seconds() / 86400,
        )
        return TriageRow(
            series_id=series.id,
            name=series.name,
            size=series.size,
            status=series.status,
            assignee=series.assignee,
            country=series.country,
            cases=series.cases,
            agencies=series.agencies,
            priority=priority(inputs),
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
    def _naming_country(country: str) -> Any:
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
        return named.union(decided)

    @staticmethod
    def _hidden_known(conn: Connection, viewer: Viewer, scope: set[int] | None) -> int:
        if scope is None and viewer.role == Role.ADMIN:
            # Sees every case, so every known item: counted on the partial index of known
            # media alone (distinct media over all cases' summaries took longer than the rest
            # of the page).
            return conn.scalar(select(func.count()).select_from(Media).where(media_known())) or 0
        # From the summary: joining every occurrence of the visible cases to its media was
        # most of an analyst's page time.
        query = select(func.count(func.distinct(CaseKnownMedia.media_sha256)))
        if scope is not None:
            query = query.where(CaseKnownMedia.case_id.in_(sorted(scope)))
        else:
            query = query.where(CaseKnownMedia.case_id.in_(visible_cases(viewer)))
        return conn.scalar(query) or 0
