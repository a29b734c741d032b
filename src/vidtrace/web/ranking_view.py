"""A series' country ranking as one viewer may see it.

The ranking weighs every clue of the series, also those on members that only other agencies'
cases hold: which country the evidence points to is what overlapping agencies share. What such a
clue says (an OCR'd phone number, a street sign) and its id stay with the cases that hold it: the
viewer sees its kind and weight, marked as from a case they cannot see.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, select

from vidtrace.domain.viewer import Role, Viewer
from vidtrace.store.access import visible_media_among
from vidtrace.store.models import ClueRow

Ranking = dict[str, Any]


def _references(ranking: Ranking) -> Iterator[dict[str, Any]]:
    for entry in ranking.get("ranking", []):
        yield from entry["clues"]
        yield from entry["against"]
    for side in ranking.get("conflict_sides", []):
        yield from side["clues"]


def _shown(reference: dict[str, Any], visible: set[int]) -> dict[str, Any]:
    seen = [i for i in reference["ids"] if i in visible]
    if seen:
        first = reference["id"] if reference["id"] in visible else seen[0]
        return {**reference, "id": first, "ids": seen}
    return {**reference, "id": None, "ids": [], "value": "", "elsewhere": True}


def ranking_as_seen_by(conn: Connection, viewer: Viewer, ranking: Ranking) -> Ranking:
    """``ranking`` (as ``ranking_to_json`` gives it) with the clues ``viewer`` may not see
    reduced to their kind and effect (``"elsewhere": true``)."""
    if viewer.role == Role.ADMIN:
        return ranking
    ids = sorted({i for reference in _references(ranking) for i in reference["ids"]})
    if not ids:
        return ranking
    media_of = dict(
        conn.execute(select(ClueRow.id, ClueRow.media_sha256).where(ClueRow.id.in_(ids))).all()
    )
    seen_media = visible_media_among(conn, viewer, set(media_of.values()))
    visible = {i for i, media in media_of.items() if media in seen_media}

    def shown(references: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [_shown(reference, visible) for reference in references]

    return {
        **ranking,
        "ranking": [
            {**entry, "clues": shown(entry["clues"]), "against": shown(entry["against"])}
            for entry in ranking.get("ranking", [])
        ],
        "conflict_sides": [
            {**side, "clues": shown(side["clues"])} for side in ranking.get("conflict_sides", [])
        ],
    }
