"""The country ranking as JSON (``vidtrace country ID --json``, stored with each decision) and
as text for people (``vidtrace country ID``)."""

from __future__ import annotations

from typing import Any

from vidtrace.clues.kinds import country_name
from vidtrace.domain.clue import ClueEffect, CountryRanking, RankedCountry

SHOWN_PER_LIST = 3
"""The text shows this many clues for and against each country; the JSON shows them all."""


def ranking_to_json(ranking: CountryRanking) -> dict[str, Any]:
    """The JSON contract: ``{"ranking": [{"country", "name", "probability", "clues",
    "against"}], "conflict", "conflict_sides": [{"countries", "clues"}], "clue_count",
    "notes"}``; a clue reference is ``{"id", "ids", "kind", "value", "effect"}``. Probabilities are
    rounded to 4 decimals, effects (natural-log units) to 3."""
    return {
        "ranking": [
            {
                "country": entry.country,
                "name": country_name(entry.country),
                "probability": round(entry.probability, 4),
                "clues": [_ref(effect) for effect in entry.supporting],
                "against": [_ref(effect) for effect in entry.against],
            }
            for entry in ranking.ranking
        ],
        "conflict": ranking.conflict,
        "conflict_sides": [
            {"countries": list(side.countries), "clues": [_ref(e) for e in side.clues]}
            for side in ranking.conflict_sides
        ],
        "clue_count": ranking.clue_count,
        "notes": list(ranking.notes),
    }


def _ref(effect: ClueEffect) -> dict[str, Any]:
    return {
        "id": effect.clue_id,
        "ids": list(effect.clue_ids),
        "kind": effect.kind,
        "value": effect.value,
        "effect": round(effect.effect, 3),
    }


def ranking_to_text(ranking: CountryRanking) -> str:
    """A few lines per country: its probability and its strongest clues for and against."""
    plural = "s" * (ranking.clue_count != 1)
    lines = [f"Country of production, from {ranking.clue_count} clue{plural}"]
    if ranking.conflict:  # said first too: the probabilities below must not be read alone
        sides = " against ".join(" or ".join(side.countries) for side in ranking.conflict_sides)
        lines.append(f"CONFLICTING EVIDENCE: {sides} (both sides below)")
    for place, entry in enumerate(ranking.ranking, start=1):
        lines.extend(_country_lines(place, entry))
    if ranking.conflict:
        lines.append("CONFLICT: reliable clues disagree; no ranking can settle this")
        for side in ranking.conflict_sides:
            clues = "; ".join(_clue_words(effect) for effect in side.clues)
            lines.append(f"  {' or '.join(side.countries)}: {clues}")
    if ranking.notes:
        lines.append("Notes:")
        lines.extend(f"  - {note}" for note in ranking.notes)
    return "\n".join(lines) + "\n"


def _country_lines(place: int, entry: RankedCountry) -> list[str]:
    name = f"{country_name(entry.country)} ({entry.country})"
    lines = [f"{place:>2}. {name:<40} {_percent(entry.probability):>8}"]
    for label, effects in (("for", entry.supporting), ("against", entry.against)):
        for effect in effects[:SHOWN_PER_LIST]:
            lines.append(f"      {label:<8}{effect.effect:+8.3f}  {_clue_words(effect)}")
        if len(effects) > SHOWN_PER_LIST:
            lines.append(f"      {label:<8}  ... and {len(effects) - SHOWN_PER_LIST} more")
    return lines


def _percent(probability: float) -> str:
    if 0 < probability < 0.0005:
        return "<0.1 %"
    return f"{probability * 100:.1f} %"


def _clue_words(effect: ClueEffect) -> str:
    where = f" (clue {effect.clue_id})" if effect.clue_id is not None else ""
    return f"{effect.kind} {effect.value!r}{where}"
