"""The triage summary (series_case, series.known_members, .clue_kinds, .case_count,
.agency_count, case_known_media) on both databases:
after each writer that changes it, it equals a from-scratch recomputation from the base tables.
And a kept country ranking (series_ranking) is used only until such a writer changes its series."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select

from tests.kit.hashset_files import write_vics
from vidtrace.bootstrap import App, bootstrap
from vidtrace.clues.ranking import ranking_to_json
from vidtrace.clues.results import ExtractionResult
from vidtrace.config import Settings
from vidtrace.domain.clue import Clue, ClueStatus
from vidtrace.domain.series import SeriesGroup
from vidtrace.store.clue_reviews import ClueReviews
from vidtrace.store.clue_store import ClueStore
from vidtrace.store.models import (
    Agency,
    Case,
    CaseKnownMedia,
    ClueRow,
    Media,
    Occurrence,
    Series,
    SeriesCase,
    SeriesMember,
    Source,
)
from vidtrace.store.series_edits import SeriesEdits
from vidtrace.store.series_rankings import SeriesRankings
from vidtrace.store.series_store import SeriesStore


def sha(n: int) -> str:
    return f"{n:064x}"


def md5(n: int) -> str:
    return f"{n:032x}"


def stored(engine: Engine) -> dict[int, tuple[dict[int, int], int, int]]:
    """Per live series with members: ({case: members}, known members, clue kinds), as stored."""
    with engine.connect() as conn:
        cases: dict[int, dict[int, int]] = defaultdict(dict)
        for sid, case_id, members in conn.execute(select(SeriesCase.__table__)):
            cases[sid][case_id] = members
        counts = conn.execute(select(Series.id, Series.known_members, Series.clue_kinds)).all()
    return {sid: (cases.get(sid, {}), known, kinds) for sid, known, kinds in counts}


def recomputed(engine: Engine) -> dict[int, tuple[dict[int, int], int, int]]:
    """The same, worked out in Python from members, occurrences, media flags and clues."""
    with engine.connect() as conn:
        members = conn.execute(select(SeriesMember.media_sha256, SeriesMember.series_id)).all()
        places = conn.execute(select(Occurrence.media_sha256, Occurrence.case_id)).all()
        known = set(
            conn.scalars(select(Media.sha256).where(Media.precategorised | Media.known_good))
        )
        clues = conn.execute(
            select(ClueRow.media_sha256, ClueRow.kind).where(ClueRow.status != "rejected")
        ).all()
        series = list(conn.scalars(select(Series.id)))
    series_of = dict(members)
    in_case: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for key, case_id in places:
        if key in series_of:
            in_case[series_of[key]][case_id].add(key)
    kinds: dict[int, set[str]] = defaultdict(set)
    for key, kind in clues:
        if key in series_of:
            kinds[series_of[key]].add(kind)
    return {
        sid: (
            {case_id: len(keys) for case_id, keys in in_case[sid].items()},
            sum(1 for key, s in members if s == sid and key in known),
            len(kinds[sid]),
        )
        for sid in series
    }


def assert_current(engine: Engine) -> None:
    summary = stored(engine)
    assert summary == recomputed(engine)
    with engine.connect() as conn:
        agency_of = dict(conn.execute(select(Case.id, Case.agency_id)).all())
        reach = conn.execute(select(Series.id, Series.case_count, Series.agency_count)).all()
        known_pairs = set(conn.execute(select(CaseKnownMedia.__table__)).all())
        expected_pairs = set(
            conn.execute(
                select(Occurrence.case_id, Occurrence.media_sha256)
                .join(Media, Media.sha256 == Occurrence.media_sha256)
                .where(Media.precategorised | Media.known_good)
            ).all()
        )
    for sid, cases, agencies in reach:
        in_cases = summary[sid][0]
        assert cases == len(in_cases), sid
        assert agencies == len({agency_of[c] for c in in_cases}), sid
    assert known_pairs == expected_pairs


@pytest.fixture
def app(settings: Settings) -> App:
    """Cases 1 and 2 (agencies 1 and 2); media 1-12 in case 1, media 5-8 also in case 2;
    grouped by SeriesStore.apply into series of 1-4, 5-8 and 9-12."""
    app = bootstrap(settings)
    with app.engine.begin() as conn:
        for n in (1, 2):
            conn.execute(insert(Agency).values(id=n, name=f"Agency {n}"))
            conn.execute(insert(Case).values(id=n, name=f"case-{n}", agency_id=n))
            conn.execute(insert(Source).values(id=n, case_id=n, root_path=f"/ev/{n}", kind="f"))
        conn.execute(
            insert(Media),
            [
                {"sha256": sha(n), "md5": md5(n), "sha1": "0" * 40, "size": 1, "kind": "image"}
                for n in range(1, 13)
            ],
        )
        places = [(n, 1) for n in range(1, 13)] + [(n, 2) for n in range(5, 9)]
        conn.execute(
            insert(Occurrence),
            [
                {
                    "media_sha256": sha(n),
                    "case_id": c,
                    "source_id": c,
                    "path": f"{n}.jpg",
                    "member_path": f"{n}.jpg",
                }
                for n, c in places
            ],
        )
    groups = [SeriesGroup({sha(n) for n in range(first, first + 4)}) for first in (1, 5, 9)]
    SeriesStore(app.engine).apply(groups, min)
    return app


def series_of(engine: Engine, n: int) -> int:
    with engine.connect() as conn:
        found = conn.scalar(
            select(SeriesMember.series_id).where(SeriesMember.media_sha256 == sha(n))
        )
    assert found is not None
    return found


def test_grouping_writes_the_summary(app: App) -> None:
    summary = stored(app.engine)
    assert summary[series_of(app.engine, 5)] == ({1: 4, 2: 4}, 0, 0)
    assert summary[series_of(app.engine, 1)] == ({1: 4}, 0, 0)
    assert_current(app.engine)


def test_merge_split_and_move_keep_it_current(app: App) -> None:
    edits = SeriesEdits(app.engine)
    a, b, c = (series_of(app.engine, n) for n in (1, 5, 9))
    target = edits.merge([a, b], "alice")
    assert stored(app.engine)[target][0] == {1: 8, 2: 4}
    assert_current(app.engine)
    split = edits.split(target, [sha(5), sha(6)], "alice")
    assert stored(app.engine)[split][0] == {1: 2, 2: 2}
    assert_current(app.engine)
    edits.move([sha(7), sha(9)], c, "alice")
    assert stored(app.engine)[c][0] == {1: 5, 2: 1}
    assert_current(app.engine)


def test_matching_counts_known_members(app: App, tmp_path: Path) -> None:
    bank = write_vics(
        tmp_path / "vics.json",
        [{"MD5": md5(n), "Category": 1, "MediaID": n} for n in (2, 6, 7)],
    )
    app.importer().run(bank, "VICS US")
    app.matcher().run()
    summary = stored(app.engine)
    assert summary[series_of(app.engine, 1)][1] == 1
    assert summary[series_of(app.engine, 5)][1] == 2
    assert_current(app.engine)
    with app.engine.connect() as conn:
        pairs = conn.execute(select(CaseKnownMedia.case_id, CaseKnownMedia.media_sha256)).all()
    assert sorted(pairs) == [(1, sha(2)), (1, sha(6)), (1, sha(7)), (2, sha(6)), (2, sha(7))]


def clue(n: int, kind: str, **more: Any) -> Clue:
    return Clue(sha(n), kind, kind, {"NL": 1.0}, 0.5, **more)


def test_extraction_and_review_count_clue_kinds(app: App) -> None:
    store = ClueStore(app.engine, app.vault)
    store.save(
        [
            ExtractionResult(sha(1), {"gps": 1}, [clue(1, "gps", extractor="gps")]),
            ExtractionResult(sha(2), {"text": 1}, [clue(2, "language", extractor="text")]),
            ExtractionResult(sha(3), {"gps": 1}, [clue(3, "gps", extractor="gps")]),
        ]
    )
    first = series_of(app.engine, 1)
    assert stored(app.engine)[first][2] == 2
    assert_current(app.engine)

    reviews = ClueReviews(app.engine)
    reviews.add(clue(9, "phone", analyst="alice"))
    assert stored(app.engine)[series_of(app.engine, 9)][2] == 1
    with app.engine.connect() as conn:
        language = conn.scalar(select(ClueRow.id).where(ClueRow.kind == "language"))
    assert language is not None
    reviews.review(language, ClueStatus.REJECTED, "alice")
    assert stored(app.engine)[first][2] == 1
    assert_current(app.engine)


def test_a_kept_country_ranking_lasts_until_its_series_changes(app: App) -> None:
    assessor = app.country_assessor()
    computed: list[int] = []

    def rank(series_id: int) -> dict[str, Any]:
        computed.append(series_id)
        return ranking_to_json(assessor.rank_series(series_id))

    rankings = SeriesRankings(app.engine, rank)
    first, other = series_of(app.engine, 1), series_of(app.engine, 9)
    reviews = ClueReviews(app.engine)
    reviews.add(clue(1, "phone", analyst="alice"))
    assert rankings.of(first)["ranking"][0]["country"] == "NL"
    assert rankings.of(other)["clue_count"] == 0
    assert rankings.of(first) == ranking_to_json(assessor.rank_series(first))
    assert computed == [first, other]  # the second read of each was kept

    german = reviews.add(Clue(sha(2), "gps", "52.5 N 13.4 E", {"DE": 1.0}, 0.99, analyst="bob"))
    assert rankings.of(first) == ranking_to_json(assessor.rank_series(first))
    assert rankings.of(first)["clue_count"] == 2
    reviews.review(german, ClueStatus.REJECTED, "alice")
    assert rankings.of(first) == ranking_to_json(assessor.rank_series(first))
    SeriesEdits(app.engine).move([sha(1)], other, "alice")  # the Dutch clue goes along
    assert rankings.of(first)["ranking"] == []
    assert rankings.of(other)["ranking"][0]["country"] == "NL"
    assert computed == [first, other, first, first, first, other]
    with pytest.raises(KeyError):
        rankings.of(999)
