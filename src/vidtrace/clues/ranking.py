"""The country of production: a ranking of countries from the clues of a series or media item.

A log-linear model with one reliability weight per clue kind (``clues.kinds``): every item of
evidence adds weight · ln(p(c)·N) to each country's score, and the probabilities are the
softmax of the scores over every ISO country. Pure: no database, no I/O; the same clues in
any order give the same ranking. ``docs/user-guide/country-ranking.md`` is the full account,
with a worked example.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from vidtrace.clues.conflict import conflict_sides, is_reliable
from vidtrace.clues.evidence import Collapsed, Evidence, collapse, iso_countries
from vidtrace.clues.kinds import CLUE_KINDS
from vidtrace.clues.ranking_report import ranking_to_json, ranking_to_text
from vidtrace.domain.clue import (
    Clue,
    ClueEffect,
    ClueStatus,
    ConflictSide,
    CountryRanking,
    RankedCountry,
)

__all__ = ["rank_countries", "ranking_to_json", "ranking_to_text"]

NO_CLUES = "no clues yet"
BARCODE_NOTE = "barcode: the GS1 office that issued the number, not the country of origin"


def rank_countries(clues: Sequence[Clue], top: int = 10) -> CountryRanking:
    """The ``top`` most likely countries among those the clues name, most likely first (ties by
    country code), each with the clues for and against it.

    Rejected clues do not count. A country that leads one side of a conflict is listed even
    when it falls outside ``top``, so disagreement is never hidden.
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    counted = [clue for clue in clues if clue.status is not ClueStatus.REJECTED]
    collapsed = collapse(counted)
    items = collapsed.items
    probabilities = _probabilities(items)
    named = {code for item in items for code, _ in item.distribution}
    order = sorted(named, key=lambda code: (-round(probabilities[code], 4), code))
    sides = conflict_sides(items)
    shown = order[:top]
    shown += [code for code in order[top:] if any(code == side.countries[0] for side in sides)]
    ranking = tuple(
        RankedCountry(code, probabilities[code], *_explained(items, code)) for code in shown
    )
    return CountryRanking(
        ranking=ranking,
        conflict=bool(sides),
        conflict_sides=sides,
        clue_count=len(counted),
        notes=_notes(len(clues) - len(counted), len(counted), collapsed, sides),
    )


def _probabilities(items: Sequence[Evidence]) -> dict[str, float]:
    """Softmax of the scores over every ISO country (a uniform prior)."""
    # A country no item names gets every item's "elsewhere" effect; a named one gets the
    # difference on top. This keeps the work proportional to the clues, not clues × countries.
    elsewhere = math.fsum(item.effect_elsewhere() for item in items)
    lifts: dict[str, list[float]] = {}
    for item in items:
        for code, _ in item.distribution:
            lifts.setdefault(code, []).append(item.effect(code) - item.effect_elsewhere())
    scores = {code: elsewhere + math.fsum(lifts.get(code, ())) for code in iso_countries()}
    highest = max(scores.values())
    exps = {code: math.exp(score - highest) for code, score in scores.items()}
    total = math.fsum(exps.values())
    return {code: value / total for code, value in exps.items()}


def _explained(
    items: Sequence[Evidence], code: str
) -> tuple[tuple[ClueEffect, ...], tuple[ClueEffect, ...]]:
    """The clues for ``code`` (largest effect first) and against it (most negative first)."""
    refs = [item.ref(code) for item in items]
    supporting = sorted(
        (ref for ref in refs if ref.effect > 0), key=lambda r: (-r.effect, r.kind, r.value)
    )
    against = sorted(
        (ref for ref in refs if ref.effect < 0), key=lambda r: (r.effect, r.kind, r.value)
    )
    return tuple(supporting), tuple(against)


def _notes(
    rejected: int, counted: int, collapsed: Collapsed, sides: Sequence[ConflictSide]
) -> tuple[str, ...]:
    items = collapsed.items
    notes: list[str] = []
    if not items:
        notes.append(NO_CLUES)
    if rejected:
        notes.append(f"{rejected} rejected clue{'s' * (rejected != 1)} ignored")
    if items and counted > len(items):
        notes.append(
            f"{counted} clues are {len(items)} distinct observations: "
            "repeats of one kind and value count once"
        )
    if items and not any(is_reliable(item) for item in items):
        notes.append("no strong clue yet: the ranking rests on weak clues only")
    if any(item.kind.name == "barcode" for item in items):
        notes.append(BARCODE_NOTE)
    if sides:
        notes.append("conflicting evidence: " + ", ".join(_side_in_words(s) for s in sides))
    if collapsed.unknown_kinds:
        notes.append("unknown clue kinds ignored: " + ", ".join(sorted(collapsed.unknown_kinds)))
    if collapsed.unknown_countries:
        codes = ", ".join(sorted(collapsed.unknown_countries))
        notes.append(f"not ISO 3166-1 country codes, ignored: {codes}")
    return tuple(notes)


def _side_in_words(side: ConflictSide) -> str:
    """ "GPS position says NL", "phone number and vehicle plate say DE or AT"."""
    labels = list(dict.fromkeys(_label(CLUE_KINDS[ref.kind].label) for ref in side.clues))
    verb = "says" if len(labels) == 1 else "say"
    return f"{' and '.join(labels)} {verb} {' or '.join(side.countries)}"


def _label(label: str) -> str:
    first = label.split()[0]
    return label if first.isupper() else label[0].lower() + label[1:]
