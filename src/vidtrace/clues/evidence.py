"""Clues become items of evidence for the country ranking.

Repeats are not independent evidence: every clue of one (kind, value) — the same GPS fix on
200 photos of a series, the same language on every page of a document — becomes ONE item.
Distinct values of one kind are correlated too (30 German web sites on one screen say one
thing: someone reads German sites), so a kind's items share its weight with diminishing
returns. ``docs/user-guide/country-ranking.md`` gives the formulas.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property

import pycountry

from vidtrace.clues.kinds import CLUE_KINDS, ClueKind
from vidtrace.domain.clue import Clue, ClueEffect, ClueStatus

CONFIRMED_BONUS = 1.5
"""An analyst-confirmed clue counts with confidence 1 and this factor on its kind's
reliability: a person looked at it."""

KIND_CORRELATION = 0.5
"""How alike two distinct values of one kind are as evidence (Kish's intra-class correlation
ρ): n distinct values count as n / (1 + (n - 1)·ρ) independent items, never more than 1/ρ = 2."""


@cache
def iso_countries() -> tuple[str, ...]:
    """Every ISO 3166-1 alpha-2 code (pycountry's table, about 249): the ranking's universe."""
    return tuple(sorted(country.alpha_2 for country in pycountry.countries))


@cache
def _iso_set() -> frozenset[str]:
    return frozenset(iso_countries())


@dataclass(frozen=True)
class Evidence:
    """One item of evidence: every counted clue of one kind and value.

    ``distribution`` is the normalised share per country (summing to 1), largest first.
    ``weight`` is reliability × confirmed bonus × confidence × the kind's share, the factor
    on the item's log-likelihood.
    """

    kind: ClueKind
    value: str
    distribution: tuple[tuple[str, float], ...]
    confidence: float
    confirmed: bool
    weight: float
    clue_ids: tuple[int, ...]
    clue_count: int

    @property
    def clue_id(self) -> int | None:
        """The item's reference in explanations: its lowest stored clue id."""
        return self.clue_ids[0] if self.clue_ids else None

    @cached_property
    def _shares(self) -> dict[str, float]:
        return dict(self.distribution)

    def share(self, country: str) -> float:
        return self._shares.get(country, 0.0)

    def effect(self, country: str) -> float:
        """How far this item moves ``country``'s log-score: weight · ln(p(c)·N), with
        p(c) = (1 - ε)·q(c) + ε/N. Positive supports, negative speaks against."""
        return self.weight * _log_lift(self.kind.error_rate, self.share(country))

    def effect_elsewhere(self) -> float:
        """The effect on a country this item does not name: weight · ln(ε)."""
        return self.weight * math.log(self.kind.error_rate)

    def ref(self, country: str) -> ClueEffect:
        return ClueEffect(
            self.clue_id, self.kind.name, self.value, self.effect(country), tuple(self.clue_ids)
        )


def _log_lift(error_rate: float, share: float) -> float:
    n = len(iso_countries())
    return math.log(((1.0 - error_rate) * share + error_rate / n) * n)


@dataclass
class Collapsed:
    """The evidence items, and what could not count (reported in the ranking's notes)."""

    items: list[Evidence] = field(default_factory=list)
    unknown_kinds: set[str] = field(default_factory=set)
    unknown_countries: set[str] = field(default_factory=set)


# Kinds whose values OCR may cut short (the end of a number hidden or blurred on one picture).
PARTIAL_READING_KINDS = ("phone",)


def collapse(clues: Sequence[Clue]) -> Collapsed:
    """Evidence items from counted clues (the caller drops rejected ones), in a fixed order
    (kind, value) whatever the order of ``clues``."""
    found = Collapsed()
    known = [clue for clue in clues if clue.kind in CLUE_KINDS]
    found.unknown_kinds.update(clue.kind for clue in clues if clue.kind not in CLUE_KINDS)
    whole = _whole_readings(known)
    groups: dict[tuple[str, str], list[Clue]] = {}
    for clue in known:
        value = whole.get((clue.kind, clue.value), clue.value)
        groups.setdefault((clue.kind, value), []).append(clue)
    unshared: list[Evidence] = []
    for (kind_name, value), members in sorted(groups.items()):
        confirmed = any(c.status is ClueStatus.CONFIRMED for c in members)
        trusted = [c for c in members if c.status is ClueStatus.CONFIRMED] if confirmed else members
        distribution = _mean_distribution(
            [_normalised(c.countries, found.unknown_countries) for c in trusted]
        )
        confidence = 1.0 if confirmed else max(_clamp(c.confidence) for c in members)
        if not distribution or confidence <= 0.0:
            continue
        kind = CLUE_KINDS[kind_name]
        bonus = CONFIRMED_BONUS if confirmed else 1.0
        unshared.append(
            Evidence(
                kind=kind,
                value=value,
                distribution=distribution,
                confidence=confidence,
                confirmed=confirmed,
                weight=kind.reliability * bonus * confidence,
                clue_ids=tuple(sorted({c.id for c in members if c.id is not None})),
                clue_count=len(members),
            )
        )
    distinct = Counter(item.kind.name for item in unshared)
    for item in unshared:
        kind_share = 1.0 / (1.0 + (distinct[item.kind.name] - 1) * KIND_CORRELATION)
        found.items.append(replace(item, weight=item.weight * kind_share))
    return found


def _whole_readings(clues: Sequence[Clue]) -> dict[tuple[str, str], str]:
    """A number OCR read only in part ("+49865155" beside "+498651555012") is the same number,
    not a second one: each such value maps to the longest value it begins."""
    whole: dict[tuple[str, str], str] = {}
    for kind in PARTIAL_READING_KINDS:
        values = sorted({c.value for c in clues if c.kind == kind}, key=lambda v: (-len(v), v))
        for index, value in enumerate(values):
            longer = next((v for v in values[:index] if v.startswith(value)), None)
            if longer is not None:
                whole[(kind, value)] = whole.get((kind, longer), longer)
    return whole


def _clamp(confidence: float) -> float:
    return min(max(float(confidence), 0.0), 1.0)


def _normalised(countries: Mapping[str, float], unknown: set[str]) -> tuple[tuple[str, float], ...]:
    weights: dict[str, float] = {}
    for code, weight in countries.items():
        upper = code.strip().upper()
        if upper not in _iso_set():
            unknown.add(code)
        elif weight > 0:
            weights[upper] = weights.get(upper, 0.0) + float(weight)
    total = math.fsum(weights.values())
    return tuple(sorted(((c, w / total) for c, w in weights.items()), key=_by_share))


def _mean_distribution(
    distributions: Sequence[tuple[tuple[str, float], ...]],
) -> tuple[tuple[str, float], ...]:
    # Identical readings (the usual case) average to themselves exactly; the sort makes the
    # float sums independent of the clues' order.
    distinct = sorted({d for d in distributions if d})
    if len(distinct) <= 1:
        return distinct[0] if distinct else ()
    summed: dict[str, list[float]] = {}
    for distribution in distinct:
        for code, share in distribution:
            summed.setdefault(code, []).append(share)
    mean = ((code, math.fsum(shares) / len(distinct)) for code, shares in summed.items())
    return tuple(sorted(mean, key=_by_share))


def _by_share(entry: tuple[str, float]) -> tuple[float, str]:
    return (-entry[1], entry[0])
