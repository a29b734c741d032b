"""Route parameters that name rows by number: bounded by what the database columns hold.

Without the bounds an absurd id (``/series/10000000000000000000``) reaches the driver, which
fails (SQLite: ``OverflowError``; PostgreSQL: "integer out of range") and the request ends in
a server error. With them it is a 422 that names the limit, and the OpenAPI schema shows it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import Field

MAX_INTEGER = 2**31 - 1  # an INTEGER column on PostgreSQL (series ids, keyframe positions)
MAX_BIG_INTEGER = 2**63 - 1  # a BIGINT column (clues, audit events)

SeriesId = Annotated[int, Path(ge=1, le=MAX_INTEGER, description="a series id")]
SeriesIdInForm = Annotated[int, Field(ge=1, le=MAX_INTEGER)]
"""One of several series ids sent in a form field (``list[SeriesIdInForm]``)."""
ClueId = Annotated[int, Path(ge=1, le=MAX_BIG_INTEGER, description="a clue id")]
FramePosition = Annotated[
    int, Path(ge=0, le=MAX_INTEGER, description="the keyframe's position, from 0")
]
