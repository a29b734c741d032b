"""The demo's country check: each true series judged by the vidtrace series holding most of its
media; top-1 and top-3 over series without conflicting clues; conflicts flagged or missed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vidtrace.demo.country_check import check_demo_countries
from vidtrace.domain.clue import CountryRanking, RankedCountry


def ranking(*countries: str, conflict: bool = False) -> CountryRanking:
    """Countries best first, with falling probabilities."""
    weights = [2.0**-i for i in range(len(countries))]
    total = sum(weights)
    return CountryRanking(
        tuple(RankedCountry(c, w / total) for c, w in zip(countries, weights, strict=True)),
        conflict=conflict,
    )


@pytest.fixture
def ground_truth(tmp_path: Path) -> Path:
    series = [
        ("S01", "NL", False, ["a/1.jpg", "a/2.jpg", "b/1.jpg"]),
        ("S02", "DE", False, ["a/3.jpg", "a/4.jpg"]),
        ("S03", "RS", False, ["c/1.jpg", "c/2.jpg", "c/3.jpg"]),
        ("S04", "PL", False, ["c/4.jpg"]),  # never grouped: no ranking
        ("S05", "AT", True, ["d/1.jpg", "d/2.jpg"]),
    ]
    document = {
        "version": 2,
        "series": [{"id": i, "country": c, "conflict": f, "members": m} for i, c, f, m in series],
    }
    path = tmp_path / "ground-truth.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def located_in(ground_truth: Path) -> dict[str, str]:
    root = ground_truth.parent.resolve()
    names = ["a/1", "a/2", "b/1", "a/3", "a/4", "c/1", "c/2", "c/3", "c/4", "d/1", "d/2"]
    located = {f"{root}/{name}.jpg": f"sha-{name}" for name in names}
    located[f"{root}/b/1.jpg"] = "sha-a/1"  # an exact copy: one media item in two places
    return located


SERIES_OF = {
    "sha-a/1": 10,
    "sha-a/2": 10,
    "sha-a/3": 20,
    "sha-a/4": 21,  # S02 split in two series of one: the lower id is taken
    "sha-c/1": 30,
    "sha-c/2": 30,
    "sha-c/3": 10,  # a stray member merged elsewhere: S03 is still judged by series 30
    "sha-d/1": 50,
    "sha-d/2": 50,
}
RANKINGS = {
    10: ranking("NL", "BE", "DE"),
    20: ranking("AT", "DE", "CH", "LI"),  # right, but only second
    21: ranking("FR"),
    30: ranking("ME", "BA", "HR", "RS"),  # right only fourth: neither top-1 nor top-3
    50: ranking("DE", "AT", conflict=True),
}


def test_top1_and_top3_over_the_series_without_conflict(ground_truth: Path) -> None:
    asked: list[int] = []

    def rank(series_id: int) -> CountryRanking:
        asked.append(series_id)
        return RANKINGS[series_id]

    check = check_demo_countries(ground_truth, located_in(ground_truth), SERIES_OF, rank)
    rows = {row.truth_id: row for row in check.rows}
    assert [row.series_id for row in check.rows] == [10, 20, 30, None, 50]
    assert sorted(asked) == [10, 20, 30, 50]  # once per series, none for the ungrouped
    assert rows["S01"].top1 and rows["S01"].top3
    assert not rows["S02"].top1 and rows["S02"].top3
    assert not rows["S03"].top1 and not rows["S03"].top3
    assert rows["S03"].ranked == tuple((c.country, c.probability) for c in RANKINGS[30].ranking[:3])
    assert rows["S04"].ranked == () and not rows["S04"].top3
    assert [row.truth_id for row in check.scored] == ["S01", "S02", "S03", "S04"]
    assert check.top1 == pytest.approx(1 / 4)
    assert check.top3 == pytest.approx(2 / 4)


def test_conflicts_flagged_and_false_conflicts(ground_truth: Path) -> None:
    rankings = dict(RANKINGS)
    rankings[10] = ranking("NL", "DE", conflict=True)
    check = check_demo_countries(
        ground_truth, located_in(ground_truth), SERIES_OF, rankings.__getitem__
    )
    assert check.conflicts_expected == ("S05",)
    assert check.conflicts_flagged == ("S05",)
    assert check.false_conflicts == ("S01",)
    # the conflict series is reported, never scored: its GPS country is second here
    conflict = next(row for row in check.rows if row.truth_id == "S05")
    assert conflict.expected == "AT" and not conflict.top1 and conflict.top3


def test_a_missed_conflict(ground_truth: Path) -> None:
    rankings = dict(RANKINGS)
    rankings[50] = ranking("AT", "DE")
    check = check_demo_countries(
        ground_truth, located_in(ground_truth), SERIES_OF, rankings.__getitem__
    )
    assert check.conflicts_flagged == () and check.conflicts_expected == ("S05",)
    assert "conflicts flagged 0/1" in check.to_text()


def test_json_and_text(ground_truth: Path) -> None:
    check = check_demo_countries(
        ground_truth, located_in(ground_truth), SERIES_OF, RANKINGS.__getitem__
    )
    document = check.to_json()
    assert json.loads(json.dumps(document)) == document
    assert document["series"] == 5 and document["scored"] == 4
    assert document["top1_accuracy"] == 0.25 and document["top3_accuracy"] == 0.5
    assert document["conflicts_flagged"] == ["S05"] and document["false_conflicts"] == []
    first = document["rows"][0]
    assert first["truth"] == "S01" and first["series"] == 10 and first["expected"] == "NL"
    assert [r["country"] for r in first["ranked"]] == ["NL", "BE", "DE"]
    assert check.to_text() == (
        "top-1 1/4 (0.250), top-3 2/4 (0.500); conflicts flagged 1/1; 0 false conflicts"
    )


def test_a_version_1_truth_has_no_conflicts(tmp_path: Path) -> None:
    path = tmp_path / "ground-truth.json"
    document = {"version": 1, "series": [{"id": "S01", "country": "NL", "members": ["x.jpg"]}]}
    path.write_text(json.dumps(document), encoding="utf-8")
    located = {f"{tmp_path.resolve()}/x.jpg": "sha-x"}
    check = check_demo_countries(path, located, {"sha-x": 1}, lambda _: ranking("NL"))
    assert check.top1 == 1.0 and check.conflicts_expected == ()


def test_series_of_known_material_are_left_out(ground_truth: Path) -> None:
    rankings = {10: ranking(), 20: ranking("DE"), 30: ranking("RS"), 50: ranking("AT")}
    known = {"sha-a/1", "sha-a/2"}  # every member of S01 matched a bank
    check = check_demo_countries(
        ground_truth, located_in(ground_truth), SERIES_OF, rankings.__getitem__, known
    )
    assert [row.truth_id for row in check.rows if row.known] == ["S01"]
    assert [row.truth_id for row in check.scored] == ["S02", "S03", "S04"]
    assert check.to_json()["known_series"] == ["S01"]
    assert check.to_text().endswith("; 1 series of known material not read")
