"""The triage summary of each series: the cases holding its members (``series_case``), and in
columns of ``series`` its members a bank knows, its distinct kinds of clue not rejected, and
how many cases and agencies hold it; and per case, the media a bank knows
(``case_known_media``), which triage counts as hidden. Each refresh of a series also bumps its
``summary_version``, which retires what was derived from it and kept (store/series_rankings.py).

Triage reads these instead of joining every member to its occurrences on each page view. They
are derived data: every writer that changes membership, occurrences, known flags or clues calls
one of the functions below inside its own transaction, so the summary commits with the change.
Each call recomputes the named series from scratch with a few set-based statements, so a call
is always safe to repeat.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, Select, delete, func, insert, select, update

from vidtrace.store.models import (
    Case,
    CaseKnownMedia,
    ClueRow,
    Media,
    Occurrence,
    Series,
    SeriesCase,
    SeriesMember,
    media_known,
)

# Bound parameters per statement stay well below SQLite's and psycopg's limits.
CHUNK = 2_000


def series_reach() -> Select[int, int, int]:
    """Per series: ``cases`` holding its members and their distinct ``agencies`` (from
    ``series_case``; narrow it with a ``where`` on ``SeriesCase.case_id``)."""
    return (
        select(
            SeriesCase.series_id,
            func.count().label("cases"),
            func.count(func.distinct(Case.agency_id)).label("agencies"),
        )
        .join(Case, Case.id == SeriesCase.case_id)
        .group_by(SeriesCase.series_id)
    )


def _recompute(conn: Connection, series_ids: Sequence[int] | None) -> None:
    cases = (
        select(
            SeriesMember.series_id,
            Occurrence.case_id,
            func.count(func.distinct(Occurrence.media_sha256)),
        )
        .join(Occurrence, Occurrence.media_sha256 == SeriesMember.media_sha256)
        .group_by(SeriesMember.series_id, Occurrence.case_id)
    )
    # Grouped aggregates joined in (UPDATE ... FROM), not correlated subqueries per series:
    # PostgreSQL ran those as nested loops, seconds for a few thousand series.
    known = (
        select(SeriesMember.series_id, func.count().label("n"))
        .join(Media, Media.sha256 == SeriesMember.media_sha256)
        .where(media_known())
        .group_by(SeriesMember.series_id)
    )
    kinds = (
        select(SeriesMember.series_id, func.count(func.distinct(ClueRow.kind)).label("n"))
        .join(ClueRow, ClueRow.media_sha256 == SeriesMember.media_sha256)
        .where(ClueRow.status != "rejected")
        .group_by(SeriesMember.series_id)
    )
    reach = series_reach()
    clear = delete(SeriesCase)
    zero = update(Series).values(
        known_members=0,
        clue_kinds=0,
        case_count=0,
        agency_count=0,
        # What was kept about these series (a country ranking) is no longer current.
        summary_version=Series.summary_version + 1,
    )
    if series_ids is not None:
        ids = list(series_ids)
        clear = clear.where(SeriesCase.series_id.in_(ids))
        cases = cases.where(SeriesMember.series_id.in_(ids))
        zero = zero.where(Series.id.in_(ids))
        known = known.where(SeriesMember.series_id.in_(ids))
        kinds = kinds.where(SeriesMember.series_id.in_(ids))
        reach = reach.where(SeriesCase.series_id.in_(ids))
    conn.execute(clear)
    conn.execute(insert(SeriesCase).from_select(["series_id", "case_id", "members"], cases))
    conn.execute(zero)
    known_of = known.subquery()
    conn.execute(
        update(Series).where(Series.id == known_of.c.series_id).values(known_members=known_of.c.n)
    )
    kinds_of = kinds.subquery()
    conn.execute(
        update(Series).where(Series.id == kinds_of.c.series_id).values(clue_kinds=kinds_of.c.n)
    )
    reach_of = reach.subquery()
    conn.execute(
        update(Series)
        .where(Series.id == reach_of.c.series_id)
        .values(case_count=reach_of.c.cases, agency_count=reach_of.c.agencies)
    )


def refresh_series_summary(conn: Connection, series_ids: Sequence[int] | None) -> None:
    """Recompute the summary of ``series_ids`` (all series, and every case's known media,
    when None) on ``conn``'s open transaction. Ids of series that no longer have members
    (merged, emptied) are fine: their cases are cleared and their counts set to 0."""
    if series_ids is None:
        _recompute(conn, None)
        _refresh_known_in_cases(conn, None)
        return
    ids = sorted(set(series_ids))
    for start in range(0, len(ids), CHUNK):
        _recompute(conn, ids[start : start + CHUNK])


def _refresh_known_in_cases(conn: Connection, chunk: Sequence[str] | None) -> None:
    clear = delete(CaseKnownMedia)
    known_here = (
        select(Occurrence.case_id, Occurrence.media_sha256)
        .join(Media, Media.sha256 == Occurrence.media_sha256)
        .where(media_known())
        .distinct()
    )
    if chunk is not None:
        clear = clear.where(CaseKnownMedia.media_sha256.in_(chunk))
        known_here = known_here.where(Occurrence.media_sha256.in_(chunk))
    conn.execute(clear)
    conn.execute(insert(CaseKnownMedia).from_select(["case_id", "media_sha256"], known_here))


def refresh_summary_of_media(conn: Connection, media_sha256s: Iterable[str]) -> None:
    """Recompute the summary of ``media_sha256s`` (the cases they are known in) and of the
    series that hold any of them (for writers that change occurrences, known flags or clues,
    which know the media, not the series)."""
    keys = sorted(set(media_sha256s))
    series_ids: set[int] = set()
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        _refresh_known_in_cases(conn, chunk)
        series_ids.update(
            conn.scalars(select(SeriesMember.series_id).where(SeriesMember.media_sha256.in_(chunk)))
        )
    refresh_series_summary(conn, sorted(series_ids))
