"""The triage queue on both databases: priority parts and order on a hand-built set, known
material hidden and counted, merged series never shown, each filter, and visibility."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, insert, literal, null, select, update

from tests.kit.workbench import add_media, sha
from vidtrace.config import Settings
from vidtrace.domain.viewer import Role, Viewer
from vidtrace.store.access import Sharing
from vidtrace.store.database import make_engine, upgrade_schema
from vidtrace.store.models import Agency, Case, ClueRow, Media, Occurrence, Series, Source
from vidtrace.store.series_summary import refresh_series_summary
from vidtrace.store.sql_functions import days_since
from vidtrace.store.triage_priority import PriorityInputs, priority, priority_parts, priority_sql
from vidtrace.store.triage_queries import PRIORITY_RULE, TriageFilters, TriageQueries

NOW = datetime(2026, 6, 1, tzinfo=UTC)
ADMIN = Viewer(user_id=9, name="root", role=Role.ADMIN, agency_id=None)
ALICE = Viewer(user_id=1, name="alice", role=Role.ANALYST, agency_id=1)  # Agency A
BRUNO = Viewer(user_id=2, name="bruno", role=Role.ANALYST, agency_id=2)  # Agency B


def clue(media: int, kind: str, countries: dict[str, float], status: str = "proposed") -> Any:
    return insert(ClueRow).values(
        media_sha256=sha(media),
        kind=kind,
        value=kind,
        countries=countries,
        confidence=0.5,
        status=status,
    )


@pytest.fixture
def engine(settings: Settings) -> Engine:
    """Case a1 (Agency A), case b1 (Agency B).

    series 1: media 1-3 in a1, media 3 also in b1; all new; clues of 2 kinds (+1 rejected);
              made 60 days ago, untouched.
    series 2: media 4-5 in a1; media 5 known; country DE decided; touched 3 days ago.
    series 3: media 6-7 in a1, both known: not listed.
    series 4: merged into series 1: never listed.
    media 8 (known, b1) and 9 (known-good, a1) belong to no series: hidden, counted.
    """
    engine = make_engine(settings.database_url)
    upgrade_schema(engine)
    with engine.begin() as conn:
        for n, code in ((1, "A"), (2, "B")):
            conn.execute(insert(Agency).values(id=n, name=f"Agency {code}"))
            conn.execute(insert(Case).values(id=n, name=f"{code.lower()}1", agency_id=n))
            conn.execute(insert(Source).values(case_id=n, root_path=f"/ev/{n}", kind="folder"))
    for n, series_id in ((1, 1), (2, 1), (3, 1), (4, 2), (5, 2), (6, 3), (7, 3), (9, None)):
        add_media(engine, 1, n, series_id)
    add_media(engine, 2, 8)
    with engine.begin() as conn:
        known = [sha(5), sha(6), sha(7), sha(8)]
        conn.execute(update(Media).where(Media.sha256.in_(known)).values(precategorised=True))
        conn.execute(update(Media).where(Media.sha256 == sha(9)).values(known_good=True))
        conn.execute(update(Series).where(Series.id == 1).values(size=3))
        conn.execute(update(Series).where(Series.id.in_([2, 3])).values(size=2))
        conn.execute(update(Series).where(Series.id == 1).values(created_at=NOW - timedelta(60)))
        conn.execute(
            update(Series)
            .where(Series.id == 2)
            .values(country="DE", created_at=NOW - timedelta(90), last_activity=NOW - timedelta(3))
        )
        conn.execute(insert(Series).values(id=4, size=0, merged_into=1, links_by_kind={}))
        conn.execute(clue(1, "gps", {"NL": 0.9}))
        conn.execute(clue(2, "language", {"NL": 0.5, "BE": 0.5}))
        conn.execute(clue(3, "phone", {"FR": 1.0}, status="rejected"))
    add_occurrence(engine, 3, case_id=2)
    with engine.begin() as conn:
        refresh_series_summary(conn, None)  # the rows above bypass the writers
    return engine


def add_occurrence(engine: Engine, media: int, case_id: int) -> None:
    """One more place ``media`` was found: in ``case_id`` (whose source has the same id)."""
    with engine.begin() as conn:
        conn.execute(
            insert(Occurrence).values(
                media_sha256=sha(media),
                case_id=case_id,
                source_id=case_id,
                path=f"again/{media}.jpg",
                member_path=f"{media}.jpg",
            )
        )


def ids(engine: Engine, viewer: Viewer = ADMIN, **filters: str) -> list[int]:
    page = TriageQueries(engine, now=lambda: NOW).queue(viewer, TriageFilters(**filters))
    return [row.series_id for row in page.rows]


def test_priority_parts_and_order(engine: Engine) -> None:
    page = TriageQueries(engine, now=lambda: NOW).queue(ADMIN)
    assert (page.total, page.page, page.per_page) == (2, 1, 50)
    first, second = page.rows
    assert (first.series_id, second.series_id) == (1, 2)
    assert (first.cases, first.agencies, first.size, first.status) == (2, 2, 3, "new")
    assert first.representative is None and first.last_activity is None
    parts = {p.name: (p.value, round(p.points, 2)) for p in first.parts}
    assert parts == {
        "new material": (1.0, 35.0),
        "overlap across agencies": (2, 10.0),
        "size": (3, 1.93),
        "clue richness": (2, 10.0),  # the rejected phone clue does not count
        "no country decided": (1.0, 10.0),
        "last activity": (pytest.approx(60.0), 5.0),
    }
    assert first.priority == 71.9 == round(sum(p.points for p in first.parts), 1)
    assert first.parts[0].reason == "100% of members match no bank"

    parts = {p.name: round(p.points, 2) for p in second.parts}
    assert parts == {
        "new material": 17.5,
        "overlap across agencies": 0.0,
        "size": 1.22,
        "clue richness": 0.0,
        "no country decided": 0.0,
        "last activity": 0.5,
    }
    assert (second.priority, second.country) == (19.2, "DE")
    assert second.last_activity is not None and second.last_activity.startswith("2026-05-29")
    assert "100 points" in PRIORITY_RULE and "new material" in PRIORITY_RULE


def test_known_material_is_hidden_and_counted(engine: Engine) -> None:
    queries = TriageQueries(engine, now=lambda: NOW)
    assert queries.queue(ADMIN).hidden_known == 5  # media 5, 6, 7, 8 known; 9 known-good
    assert queries.queue(ALICE).hidden_known == 4
    assert queries.queue(BRUNO).hidden_known == 1
    assert queries.queue(ADMIN, TriageFilters(case="b1")).hidden_known == 1


def test_paging_keeps_the_order(engine: Engine) -> None:
    queries = TriageQueries(engine, now=lambda: NOW)
    second = queries.queue(ADMIN, page=2, per_page=1)
    assert [r.series_id for r in second.rows] == [2] and second.total == 2
    assert queries.queue(ADMIN, page=3, per_page=1).rows == ()
    for page, per_page in ((0, 50), (1, 0), (1, 501)):
        with pytest.raises(ValueError, match="per_page"):
            queries.queue(ADMIN, page=page, per_page=per_page)


def test_each_viewer_sees_their_series_and_counts(engine: Engine) -> None:
    assert ids(engine, ALICE) == [1, 2]
    (row,) = TriageQueries(engine, now=lambda: NOW).queue(BRUNO).rows
    assert row.series_id == 1
    assert (row.cases, row.agencies) == (1, 1), "cases the viewer may not see do not count"
    assert ids(engine, Viewer(user_id=5, name="x", role=Role.ANALYST, agency_id=None)) == []


def test_filters(engine: Engine) -> None:
    assert ids(engine, case="a1") == [1, 2]
    assert ids(engine, case="b1") == [1]
    assert ids(engine, case="zz") == []
    assert ids(engine, BRUNO, case="a1") == [], "a case the viewer may not see keeps nothing"
    assert ids(engine, agency="Agency A") == [1, 2]
    assert ids(engine, agency="Agency B") == [1]

    sharing = Sharing(engine)
    sharing.add_operation("Op Sunrise", "root")
    sharing.share_case("b1", "Op Sunrise", "root")
    assert ids(engine, operation="Op Sunrise") == [1]
    assert ids(engine, operation="Op Dusk") == []

    assert ids(engine, country="nl") == [1]  # named by a clue
    assert ids(engine, country="BE") == [1]
    assert ids(engine, country="DE") == [2]  # decided
    assert ids(engine, country="FR") == [], "rejected clues name no country"
    with pytest.raises(ValueError, match="two-letter"):
        ids(engine, country='%"')

    with engine.begin() as conn:
        conn.execute(update(Series).where(Series.id == 2).values(status="in-analysis"))
        conn.execute(update(Series).where(Series.id == 1).values(assignee="bob"))
    assert ids(engine, status="in-analysis") == [2]
    assert ids(engine, status="new") == [1]
    assert ids(engine, assignee="bob") == [1]
    assert ids(engine, assignee="bob", status="in-analysis") == []


@pytest.mark.parametrize(
    ("size", "known", "agencies", "clue_kinds", "decided", "idle_days"),
    [
        (1, 0, 1, 0, False, 0.0),
        (2, 1, 1, 1, True, 0.5),
        (7, 0, 2, 2, False, 3.25),
        (40, 39, 3, 3, True, 29.9),
        (4999, 10, 5, 9, False, 30.0),
        (5000, 0, 1, 0, True, 400.0),
        (123456, 5, 2, 1, False, -2.0),  # a clock step back counts as just touched
    ],
)
def test_the_database_ranks_by_the_same_rule(
    engine: Engine,
    size: int,
    known: int,
    agencies: int,
    clue_kinds: int,
    decided: bool,
    idle_days: float,
) -> None:
    """priority_sql (what orders the queue) equals priority (what each row explains)."""
    inputs = PriorityInputs(size, known, agencies, clue_kinds, decided, idle_days)
    expression = priority_sql(
        literal(size),
        literal(known),
        literal(agencies),
        literal(clue_kinds),
        literal("DE") if decided else null(),
        literal(idle_days),
    )
    with engine.connect() as conn:
        in_database = conn.scalar(select(expression))
    assert in_database == pytest.approx(sum(part.points for part in priority_parts(inputs)))
    assert round(in_database, 1) == pytest.approx(priority(inputs))


def test_days_since_a_stored_moment(engine: Engine) -> None:
    touched = NOW - timedelta(days=12, hours=6)
    with engine.begin() as conn:
        conn.execute(update(Series).where(Series.id == 2).values(last_activity=touched))
        days = conn.scalar(select(days_since(Series.last_activity, NOW)).where(Series.id == 2))
    assert days == pytest.approx(12.25, abs=1e-6)
