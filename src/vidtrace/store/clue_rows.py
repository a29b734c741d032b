"""Clue and recognised-text rows <-> domain objects, in one place."""

from __future__ import annotations

from typing import Any

from vidtrace.domain.clue import Box, Clue, ClueStatus, RecognisedText


def box_columns(box: Box | None) -> dict[str, float | None]:
    if box is None:
        return {"box_x": None, "box_y": None, "box_width": None, "box_height": None}
    return {"box_x": box.x, "box_y": box.y, "box_width": box.width, "box_height": box.height}


def box_of(row: Any) -> Box | None:
    if row.box_x is None:
        return None
    return Box(row.box_x, row.box_y, row.box_width, row.box_height)


def clue_values(clue: Clue) -> dict[str, Any]:
    return {
        "media_sha256": clue.media_sha256,
        "kind": clue.kind,
        "value": clue.value[:500],
        "countries": dict(clue.countries),
        "confidence": clue.confidence,
        "extractor": clue.extractor,
        "extractor_version": clue.extractor_version,
        "analyst": clue.analyst,
        "status": str(clue.status),
        "seconds": clue.seconds,
        "detail": clue.detail,
        **box_columns(clue.box),
    }


def clue_of(row: Any) -> Clue:
    return Clue(
        media_sha256=row.media_sha256,
        kind=row.kind,
        value=row.value,
        countries=dict(row.countries or {}),
        confidence=row.confidence,
        extractor=row.extractor,
        extractor_version=row.extractor_version,
        analyst=row.analyst,
        status=ClueStatus(row.status),
        box=box_of(row),
        seconds=row.seconds,
        detail=row.detail or "",
        id=row.id,
    )


def text_values(sha256: str, text: RecognisedText) -> dict[str, Any]:
    return {
        "media_sha256": sha256,
        "text": text.text,
        "script": text.script,
        "language": text.language,
        "language_probability": text.language_probability,
        "confidence": text.confidence,
        "seconds": text.seconds,
        **box_columns(text.box),
    }


def text_of(row: Any) -> RecognisedText:
    return RecognisedText(
        text=row.text,
        script=row.script,
        confidence=row.confidence,
        language=row.language,
        language_probability=row.language_probability,
        seconds=row.seconds,
        box=box_of(row),
    )


def clue_json(clue: Clue, reviewed_by: str | None = None) -> dict[str, Any]:
    """The clue as `clues list --json` and `media show` print it."""
    box = clue.box
    return {
        "id": clue.id,
        "media": clue.media_sha256,
        "kind": clue.kind,
        "value": clue.value,
        "countries": {k: round(v, 6) for k, v in sorted(clue.countries.items())},
        "confidence": round(clue.confidence, 4),
        "status": str(clue.status),
        "source": clue.source,
        "extractor": clue.extractor,
        "extractor_version": clue.extractor_version,
        "analyst": clue.analyst,
        "box": None if box is None else [box.x, box.y, box.width, box.height],
        "seconds": clue.seconds,
        "detail": clue.detail,
        "reviewed_by": reviewed_by,
    }
