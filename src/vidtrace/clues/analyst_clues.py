"""An analyst's clue, checked before it is stored: a known kind, real country codes, and for the
kinds with a reference table (plug type, driving side, currency) the countries filled in."""

from __future__ import annotations

from collections.abc import Mapping

from vidtrace.clues.kinds import ClueError, clue_kind, country_weights
from vidtrace.domain.clue import Box, Clue, ClueStatus

ANALYST_CONFIDENCE = 0.9


def analyst_clue(
    media_sha256: str,
    kind: str,
    value: str,
    analyst: str,
    countries: Mapping[str, float] | None = None,
    box: Box | None = None,
    seconds: float | None = None,
    confirmed: bool = True,
) -> Clue:
    """The clue an analyst marks. Without ``countries``, a tabled kind looks them up ("plug",
    "F" -> the countries using type F sockets); other kinds need them named."""
    from vidtrace.clues.reference import analyst_clue_countries

    clue_kind(kind)
    value = value.strip()
    if not value:
        raise ClueError("a clue needs a value (what was seen)")
    if box is not None and not _inside(box):
        raise ClueError("a box is given as fractions of the picture: x, y, width, height in 0..1")
    if countries:
        weights = country_weights(countries)
    else:
        weights = analyst_clue_countries(kind, value) or {}
        if not weights:
            raise ClueError(f"name the countries a {kind!r} clue points to (--countries NL,BE)")
    return Clue(
        media_sha256=media_sha256,
        kind=kind,
        value=value,
        countries=weights,
        confidence=ANALYST_CONFIDENCE,
        analyst=analyst,
        status=ClueStatus.CONFIRMED if confirmed else ClueStatus.PROPOSED,
        box=box,
        seconds=seconds,
        detail=f"marked by {analyst}",
    )


def parse_countries(text: str) -> dict[str, float]:
    """ "NL,BE" or "NL:3,BE:1" -> checked weights."""
    weights: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        code, _, weight = part.partition(":")
        try:
            weights[code] = float(weight) if weight else 1.0
        except ValueError:
            raise ClueError(f"bad country weight in {part!r}") from None
    return country_weights(weights)


def parse_box(text: str) -> Box:
    """ "x,y,width,height" as fractions of the picture."""
    try:
        x, y, width, height = (float(v) for v in text.split(","))
    except ValueError:
        raise ClueError(f"a box is x,y,width,height (fractions), not {text!r}") from None
    return Box(x, y, width, height)


def _inside(box: Box) -> bool:
    return (
        0 <= box.x <= 1
        and 0 <= box.y <= 1
        and 0 < box.width <= 1 - box.x + 1e-9
        and 0 < box.height <= 1 - box.y + 1e-9
    )
