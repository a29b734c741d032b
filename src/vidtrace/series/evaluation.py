"""How well series match a ground truth: pairwise precision/recall and BCubed F1.

Both measures work on media (binary-unique files): ``truth`` maps each media item to its true
group label, ``predicted`` to its series (an item missing from ``predicted`` stands alone).
Pairwise scores count pairs of media put together; BCubed scores average, per item, how much
of its predicted series is right (precision) and how much of its true group it found (recall),
so one huge wrong merge and many small misses weigh as an analyst feels them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class Evaluation:
    items: int
    pairwise: Scores
    bcubed: Scores
    false_merges: int  # predicted series mixing two or more true groups of size > 1

    def to_json(self) -> dict[str, float | int]:
        return {
            "items": self.items,
            "pairwise_precision": round(self.pairwise.precision, 4),
            "pairwise_recall": round(self.pairwise.recall, 4),
            "pairwise_f1": round(self.pairwise.f1, 4),
            "bcubed_precision": round(self.bcubed.precision, 4),
            "bcubed_recall": round(self.bcubed.recall, 4),
            "bcubed_f1": round(self.bcubed.f1, 4),
            "false_merges": self.false_merges,
        }


def _predicted_labels(
    truth: Mapping[str, Hashable], predicted: Mapping[str, Hashable]
) -> dict[str, Hashable]:
    return {item: predicted.get(item, ("alone", item)) for item in truth}


def _pairs(counts: Mapping[Any, int]) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def evaluate(truth: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> Evaluation:
    """Score ``predicted`` against ``truth`` over the items of ``truth``."""
    guess = _predicted_labels(truth, predicted)
    both: Counter[tuple[Hashable, Hashable]] = Counter((truth[i], guess[i]) for i in truth)
    true_sizes: Counter[Hashable] = Counter(truth.values())
    guess_sizes: Counter[Hashable] = Counter(guess.values())
    together, true_pairs, guess_pairs = _pairs(both), _pairs(true_sizes), _pairs(guess_sizes)
    pairwise = Scores(
        together / guess_pairs if guess_pairs else 1.0,
        together / true_pairs if true_pairs else 1.0,
    )
    precision = recall = 0.0
    for (label, series), n in both.items():
        precision += n * n / guess_sizes[series]
        recall += n * n / true_sizes[label]
    items = len(truth)
    bcubed = Scores(precision / items if items else 1.0, recall / items if items else 1.0)
    groups_in: dict[Hashable, set[Hashable]] = defaultdict(set)
    for (label, series), _ in both.items():
        if true_sizes[label] > 1:
            groups_in[series].add(label)
    false_merges = sum(1 for labels in groups_in.values() if len(labels) > 1)
    return Evaluation(items, pairwise, bcubed, false_merges)
