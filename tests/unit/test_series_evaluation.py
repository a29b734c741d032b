"""The grouping measures against hand-computed values."""

from __future__ import annotations

import pytest

from vidtrace.series.evaluation import evaluate


def test_perfect_grouping_scores_one() -> None:
    truth = {"a": 1, "b": 1, "c": 2}
    result = evaluate(truth, {"a": "x", "b": "x"})
    assert result.pairwise.f1 == 1.0 and result.bcubed.f1 == 1.0 and result.false_merges == 0


def test_one_false_merge_and_one_miss() -> None:
    # truth {a,b} {c,d}; predicted {a,b,c} and d alone
    truth = {"a": 1, "b": 1, "c": 2, "d": 2}
    result = evaluate(truth, {"a": 9, "b": 9, "c": 9})
    assert result.pairwise.precision == pytest.approx(1 / 3)
    assert result.pairwise.recall == pytest.approx(1 / 2)
    # BCubed precision: a,b 2/3 each, c 1/3, d 1 -> (2/3+2/3+1/3+1)/4
    assert result.bcubed.precision == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    # BCubed recall: a,b 1, c 1/2, d 1/2
    assert result.bcubed.recall == pytest.approx(3 / 4)
    assert result.false_merges == 1


def test_items_missing_from_the_prediction_stand_alone() -> None:
    result = evaluate({"a": 1, "b": 1}, {})
    assert result.pairwise.recall == 0.0 and result.bcubed.recall == pytest.approx(0.5)
    assert result.bcubed.precision == 1.0
