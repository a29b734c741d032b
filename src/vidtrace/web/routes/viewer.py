"""The media page (and its JSON), masked video keyframes, and analysts' clues: marking one with
a box, confirming or rejecting a proposal.

app.py: ``web.include_router(viewer_routes)`` with
``from vidtrace.web.routes.viewer import router as viewer_routes``.

An item the viewer may not see answers 404 like a missing one, before any permission check;
so does a clue on such an item. Only the viewer's visible cases, and links to media they may
see, are shown.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import select

from vidtrace.clues.analyst_clues import analyst_clue, parse_box, parse_countries
from vidtrace.clues.kinds import CLUE_KINDS, ClueError
from vidtrace.domain.clue import ClueStatus
from vidtrace.domain.viewer import Permission, Viewer
from vidtrace.store.access import media_visible, visible_cases
from vidtrace.store.clue_queries import ClueQueries
from vidtrace.store.clue_reviews import ClueReviews
from vidtrace.store.links import LinkRepository
from vidtrace.store.media_queries import MediaQueries
from vidtrace.store.models import Case, ClueRow
from vidtrace.web.deps import Viewing, ensure_allowed, form_token, me_summary, services
from vidtrace.web.params import ClueId, FramePosition
from vidtrace.web.routes.media import JPEG, NOT_FOUND, SHA256, masked_derivative
from vidtrace.web.routes.series import neighbours

router = APIRouter()

SHOWN_LINKS = 50


def _check_visible(request: Request, viewer: Viewer, sha256: str) -> None:
    with services(request).engine.connect() as conn:
        if not SHA256.fullmatch(sha256) or not media_visible(conn, viewer, sha256):
            raise HTTPException(404, NOT_FOUND)


def media_detail(request: Request, viewer: Viewer, sha256: str) -> dict[str, Any]:
    """What the page and ``/api/media/{sha256}`` show: metadata, hashes, matches, occurrences
    in visible cases, keyframes, clues and recognised text, links to visible media, and the
    series neighbours."""
    engine = services(request).engine
    _check_visible(request, viewer, sha256)
    item = MediaQueries(engine).get(sha256)
    if item is None:
        raise HTTPException(404, NOT_FOUND)
    links = LinkRepository(engine).touching([sha256])
    with engine.connect() as conn:
        seen = set(conn.scalars(select(Case.name).where(Case.id.in_(visible_cases(viewer)))))
        others = {ln.b if ln.a == sha256 else ln.a for ln in links}
        visible = {key for key in others if media_visible(conn, viewer, key)}
        around = neighbours(conn, viewer, sha256, item["series"]) if item["series"] else None
    similar = [
        {
            "media": ln.b if ln.a == sha256 else ln.a,
            "kind": ln.kind,
            "strength": str(ln.strength),
            "score": round(float(ln.score), 4),
            "evidence": ln.evidence,
        }
        for ln in links
        if (ln.b if ln.a == sha256 else ln.a) in visible
    ][:SHOWN_LINKS]
    report = ClueQueries(engine).media_report(sha256)
    return {
        **{k: v for k, v in item.items() if k not in ("occurrences", "derivatives", "frames")},
        "occurrences": [o for o in item["occurrences"] if o["case"] in seen],
        "keyframes": [
            {"position": d["position"], "seconds": d["seconds"]}
            for d in item["derivatives"]
            if d["role"] == "keyframe"
        ],
        # The PDQ near-duplicates the grouping found (its index is rebuilt per run), with the
        # item's other links: each with the evidence the linker recorded.
        "similar": similar,
        "clues": report["clues"],
        "texts": report["texts"],
        "neighbours": around,
    }


@router.get("/media/{sha256}", include_in_schema=False)
def media_page(request: Request, sha256: str, viewer: Viewing) -> Response:
    return services(request).templates.TemplateResponse(
        request,
        "media.html",
        {
            "me": me_summary(request, viewer),
            "csrf_token": form_token(request),
            "m": media_detail(request, viewer, sha256),
            "kinds": CLUE_KINDS,
        },
    )


@router.get("/api/media/{sha256}")
def media_json(request: Request, sha256: str, viewer: Viewing) -> dict[str, Any]:
    """One media item: EXIF, hashes, matches, occurrences, keyframes, clues, recognised text,
    similar items (links with their evidence) and its previous/next series member."""
    return media_detail(request, viewer, sha256)


@router.get("/media/{sha256}/keyframes/{position}", response_class=Response, responses=JPEG)
def keyframe(request: Request, sha256: str, position: FramePosition, viewer: Viewing) -> Response:
    """A video keyframe, masked like a thumbnail by the viewer's exposure settings (JPEG)."""
    _check_visible(request, viewer, sha256)
    return masked_derivative(request, viewer, sha256, "keyframe", position)


@router.post(
    "/media/{sha256}/clues",
    status_code=201,
    responses={303: {"description": "a form post (no JSON asked for): back to the media page"}},
)
def add_clue(
    request: Request,
    sha256: str,
    viewer: Viewing,
    kind: str = Form(max_length=40),
    value: str = Form(max_length=500),
    countries: str = Form("", max_length=500),
    box: str = Form("", max_length=200),
) -> Response:
    """Mark a clue on the item (audited). ``countries``: "NL,BE" or "NL:3,BE:1", optional for
    the kinds with a reference table; ``box``: "x,y,width,height" as fractions of the picture.
    A clue that cannot be stored answers 400 with the reason."""
    _check_visible(request, viewer, sha256)
    ensure_allowed(viewer, Permission.ANNOTATE)
    try:
        clue = analyst_clue(
            sha256,
            kind,
            value,
            viewer.name,
            countries=parse_countries(countries) if countries.strip() else None,
            box=parse_box(box) if box.strip() else None,
        )
        clue_id = ClueReviews(services(request).engine).add(clue)
    except ClueError as error:
        raise HTTPException(400, str(error)) from error
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"id": clue_id}, status_code=201)
    return RedirectResponse(f"/media/{sha256}", status_code=303)


def _review(request: Request, viewer: Viewer, clue_id: int, status: ClueStatus) -> Response:
    engine = services(request).engine
    with engine.connect() as conn:
        media = conn.scalar(select(ClueRow.media_sha256).where(ClueRow.id == clue_id))
        if media is None or not media_visible(conn, viewer, media):
            raise HTTPException(404, f"no clue {clue_id}")
    ensure_allowed(viewer, Permission.ANNOTATE)
    try:
        ClueReviews(engine).review(clue_id, status, viewer.name)
    except ClueError as error:
        raise HTTPException(400, str(error)) from error
    series = request.query_params.get("series", "")
    back = f"/series/{series}" if series.isdigit() else f"/media/{media}"
    return RedirectResponse(back, status_code=303)


@router.post("/clues/{clue_id}/confirm", include_in_schema=False)
def confirm_clue(request: Request, clue_id: ClueId, viewer: Viewing) -> Response:
    """Confirm a clue (audited); back to ``?series=`` if given, else to its media page."""
    return _review(request, viewer, clue_id, ClueStatus.CONFIRMED)


@router.post("/clues/{clue_id}/reject", include_in_schema=False)
def reject_clue(request: Request, clue_id: ClueId, viewer: Viewing) -> Response:
    """Reject a clue (audited): it no longer counts in the ranking."""
    return _review(request, viewer, clue_id, ClueStatus.REJECTED)
