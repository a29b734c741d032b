"""Search (page and JSON): media by hash, PDQ hash, file name or path, camera, recognised text
and clue value, among the items the viewer may see (store/search_queries.py).

app.py: ``web.include_router(search_routes)`` with
``from vidtrace.web.routes.search import router as search_routes``.

A search shows masked thumbnails and metadata only, so it is not a view of evidence and writes
no audit row; the clear picture still needs the media page's audited reveal.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from vidtrace.domain.search import (
    DEFAULT_DISTANCE,
    DEFAULT_LIMIT,
    MAX_DISTANCE,
    MAX_LIMIT,
    MAX_TEXT,
    SearchKind,
    SearchResult,
)
from vidtrace.domain.viewer import Viewer
from vidtrace.store.search_queries import SearchQueries
from vidtrace.web.deps import Viewing, form_token, me_summary, services

router = APIRouter()

Kind = Annotated[
    SearchKind,
    Query(description="auto recognises hashes; otherwise it searches every text kind"),
]
Distance = Annotated[
    int, Query(ge=0, le=MAX_DISTANCE, description="PDQ: the most bits that may differ")
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="the most hits per kind searched")]
KIND_LABELS = {
    SearchKind.AUTO: "anything",
    SearchKind.HASH: "MD5, SHA-1 or SHA-256",
    SearchKind.PDQ: "PDQ hash",
    SearchKind.PATH: "file name or path",
    SearchKind.CAMERA: "camera make, model or serial",
    SearchKind.TEXT: "recognised text (OCR)",
    SearchKind.CLUE: "clue value",
}


def _search(
    request: Request, viewer: Viewer, q: str, kind: SearchKind, distance: int, limit: int
) -> SearchResult:
    try:
        return SearchQueries(services(request).engine).search(viewer, q, kind, distance, limit)
    except ValueError as error:
        raise HTTPException(400, str(error)) from error


@router.get("/search", include_in_schema=False)
def search_page(
    request: Request,
    viewer: Viewing,
    q: Annotated[str, Query(max_length=MAX_TEXT)] = "",
    kind: Kind = SearchKind.AUTO,
    distance: Distance = DEFAULT_DISTANCE,
    limit: Limit = DEFAULT_LIMIT,
) -> Response:
    result, error = None, None
    if q.strip():
        try:
            result = _search(request, viewer, q, kind, distance, limit)
        except HTTPException as refused:
            error = str(refused.detail)
    return services(request).templates.TemplateResponse(
        request,
        "search.html",
        {
            "me": me_summary(request, viewer),
            "csrf_token": form_token(request),
            "q": q,
            "kind": kind.value,
            "distance": distance,
            "limit": limit,
            "kinds": {k.value: label for k, label in KIND_LABELS.items()},
            "max_distance": MAX_DISTANCE,
            "result": result,
            "error": error,
        },
        status_code=400 if error else 200,
    )


@router.get("/api/search")
def search_json(
    request: Request,
    viewer: Viewing,
    q: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description="what to look for")],
    kind: Kind = SearchKind.AUTO,
    distance: Distance = DEFAULT_DISTANCE,
    limit: Limit = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """Media you may see that match ``q``: by MD5, SHA-1 or SHA-256 (exact), PDQ hash (within
    ``distance`` bits; a 64-hex query is tried as both), file name or path (contains), camera
    make, model or serial (starts with), recognised text or clue value (contains; text needs
    three characters). Each hit: ``media``, ``media_kind``, ``match`` (the kind that found it),
    ``where`` and ``value`` (what matched), ``series``, ``known``, ``known_good``, ``distance``
    (PDQ) and ``case`` (paths). ``more``: the kinds with more hits than ``limit``. A query that
    cannot be searched as asked answers 400 with the reason."""
    return dataclasses.asdict(_search(request, viewer, q, kind, distance, limit))
