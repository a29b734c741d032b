"""Series in the store on both databases: grouping is incremental and stable, and analysts'
decisions (split, move, lock, name, merge) survive every kind of re-grouping."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.kit.series_kit import prefix_grouper, write_named
from vidtrace.bootstrap import App, bootstrap
from vidtrace.config import Settings
from vidtrace.store.series_edits import SeriesEditError


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def membership(app: App) -> dict[int, set[str]]:
    groups: dict[int, set[str]] = {}
    for key, sid in app.series().series_of_media().items():
        groups.setdefault(sid, set()).add(key)
    return groups


def series_of(app: App, path: Path) -> int | None:
    return app.series().series_of_media().get(sha(path))


@pytest.fixture
def app(settings: Settings) -> App:
    return bootstrap(settings)


def ingest(app: App, folder: Path, case: str = "Case A", agency: str = "Agency NL") -> None:
    app.ingest_runner().run([folder], case, agency, agency[-2:])


def test_grouping_is_incremental_and_matches_a_single_run(app: App, tmp_path: Path) -> None:
    first = write_named(tmp_path / "one", ["a-1.jpg", "a-2.jpg", "b-1.jpg", "c-1.jpg"])
    later = write_named(tmp_path / "two", ["a-3.jpg", "b-2.jpg", "c-2.jpg"], first_seed=200)
    ingest(app, tmp_path / "one")
    summary = prefix_grouper(app).run()
    assert summary.series == 1 and summary.media_linked == 4
    a_series = series_of(app, first["a-1"])
    ingest(app, tmp_path / "two")
    summary = prefix_grouper(app).run()
    assert summary.media_linked == 3, "only the new media are linked again"
    assert series_of(app, later["a-3"]) == a_series, "new media join the existing series"
    incremental = sorted(map(sorted, membership(app).values()))

    # the same media grouped in one run, in another workspace, give the same series
    other = bootstrap(Settings(workspace=tmp_path / "ws2", workers=1))
    ingest(other, tmp_path / "two")
    ingest(other, tmp_path / "one")
    prefix_grouper(other).run()
    assert sorted(map(sorted, membership(other).values())) == incremental

    again = prefix_grouper(app).run()
    assert again.media_linked == 0 and again.created == 0 and again.merged == 0
    assert sorted(map(sorted, membership(app).values())) == incremental


def test_decisions_survive_regrouping(app: App, tmp_path: Path) -> None:
    files = write_named(tmp_path / "one", ["a-1.jpg", "a-2.jpg", "a-3.jpg", "b-1.jpg", "b-2.jpg"])
    ingest(app, tmp_path / "one")
    prefix_grouper(app).run()
    series_a, series_b = series_of(app, files["a-1"]), series_of(app, files["b-1"])
    assert series_a and series_b and series_a != series_b
    edits = app.series_edits()

    split_off = edits.split(series_a, [sha(files["a-3"])], "alice")
    edits.move([sha(files["b-2"])], series_a, "bob")
    edits.rename(series_b, "Blue room", "alice")
    edits.set_locked(series_b, True, "alice")

    more = write_named(tmp_path / "two", ["a-4.jpg", "b-3.jpg", "b-4.jpg"], first_seed=300)
    ingest(app, tmp_path / "two")
    for run in ({}, {"rebuild": True}, {"relink": True}):
        prefix_grouper(app).run(**run)
        # the split holds: a-3 never rejoins a-1, though their link is still there
        assert series_of(app, files["a-3"]) == split_off
        assert series_of(app, files["a-1"]) == series_a
        # the move holds: b-2 stays where bob put it, against its links to b-1
        assert series_of(app, files["b-2"]) == series_a
        # the lock holds: the locked series neither gains b-3 nor loses b-1
        assert membership(app)[series_b] == {sha(files["b-1"])}
        assert series_of(app, more["b-3"]) == series_of(app, more["b-4"]) != series_b
        # a-4 links to both sides of the split and joins exactly one of them
        assert series_of(app, more["a-4"]) in (series_a, split_off)
        shown = app.series().show(series_b)
        assert shown is not None and shown["name"] == "Blue room" and shown["locked"]

    trail = app.series().show(series_a)
    assert trail is not None
    assert [d["action"] for d in trail["decisions"]] == ["series.split", "series.move"]
    assert {d["actor"] for d in trail["decisions"]} == {"alice", "bob"}
    assert split_off in trail["kept_apart_from"]


def test_merge_folds_series_and_refuses_locked_ones(app: App, tmp_path: Path) -> None:
    files = write_named(tmp_path / "one", ["a-1.jpg", "a-2.jpg", "b-1.jpg", "b-2.jpg"])
    ingest(app, tmp_path / "one")
    prefix_grouper(app).run()
    series_a, series_b = sorted({series_of(app, files["a-1"]), series_of(app, files["b-1"])})
    edits = app.series_edits()
    edits.set_locked(series_b, True, "carol")
    with pytest.raises(SeriesEditError, match="locked"):
        edits.merge([series_a, series_b], "carol")
    edits.set_locked(series_b, False, "carol")
    assert edits.merge([series_b, series_a], "carol") == series_a
    assert len(membership(app)[series_a]) == 4
    assert app.series().show(series_b) == {"id": series_b, "merged_into": series_a}
    prefix_grouper(app).run(rebuild=True)
    assert len(membership(app)[series_a]) == 4, "a rebuild keeps the analyst's merge"


def test_overlaps_list_series_and_binaries_across_cases(app: App, tmp_path: Path) -> None:
    files = write_named(tmp_path / "nl", ["a-1.jpg", "a-2.jpg", "c-1.jpg", "c-2.jpg"])
    write_named(tmp_path / "de", ["a-3.jpg"], first_seed=400)
    (tmp_path / "de" / "copy-of-c.jpg").write_bytes(files["c-1"].read_bytes())
    ingest(app, tmp_path / "nl", "Case NL", "Agency NL")
    ingest(app, tmp_path / "de", "Case DE", "Agency DE")
    prefix_grouper(app).run()
    report = app.overlaps().report()
    (overlap,) = [s for s in report["series"] if s["series"] == series_of(app, files["a-1"])]
    assert overlap["agencies"] == ["Agency DE", "Agency NL"]
    assert overlap["countries"] == ["DE", "NL"]
    assert {(c["case"], c["media"]) for c in overlap["cases"]} == {("Case NL", 2), ("Case DE", 1)}
    assert report["media"]["binaries_in_several_cases"] == 1
    assert report["media"]["case_pairs"] == [{"cases": ["Case DE", "Case NL"], "media": 1}]
    c_series = series_of(app, files["c-1"])
    assert any(s["series"] == c_series for s in report["series"]), "c-1 is in both cases"
