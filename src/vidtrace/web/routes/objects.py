"""Trace an Object in the workbench: proposing a crop from the media page, the review queue,
one proposal's page with its sanitised preview, the four-eyes review, publication and
withdrawal (ADR 008).

app.py: ``web.include_router(objects_routes)`` with
``from vidtrace.web.routes.objects import router as objects_routes``.

A proposal on a media item the viewer may not see answers 404 like a missing one, before any
permission check. Forms post back and are redirected to the proposal's page (303); a refused
change answers 400 with the message for the analyst, a portal that cannot remove an object
502. Every view of the clear preview is audited before its bytes go out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from PIL import UnidentifiedImageError

from vidtrace.domain.viewer import Permission, Viewer
from vidtrace.publish.crop_geometry import CropError, parse_region
from vidtrace.publish.object_text import CATEGORIES, ObjectTextError, object_text
from vidtrace.publish.proposer import ObjectProposer
from vidtrace.publish.publisher import Publication, Publisher, WithdrawError
from vidtrace.store.access import media_visible
from vidtrace.store.object_proposals import ObjectError, ObjectNotFound, ObjectProposals
from vidtrace.store.object_queries import STATUSES, ObjectQueries, object_row
from vidtrace.web.deps import (
    Viewing,
    client_address,
    ensure_allowed,
    form_token,
    me_summary,
    services,
)
from vidtrace.web.media_images import masked_thumbnail
from vidtrace.web.params import MAX_INTEGER
from vidtrace.web.routes.media import NO_STORE, NOT_FOUND, SHA256
from vidtrace.web.security.roles import allowed

router = APIRouter()

ObjectId = Annotated[int, Path(ge=1, le=MAX_INTEGER, description="a proposed object's id")]
PER_PAGE = 100
STATUS_CHOICE = f"^(|all|{'|'.join(STATUSES)})$"
CATEGORY_CHOICE = f"^(|{'|'.join(CATEGORIES)})$"
T = TypeVar("T")


def _refused(change: Callable[[], T]) -> T:
    """Run a change; a refusal becomes a 400 (404 for what the viewer may not see)."""
    try:
        return change()
    except ObjectNotFound as error:
        raise HTTPException(404, str(error)) from error
    except (ObjectError, CropError, ObjectTextError) as error:
        raise HTTPException(400, str(error)) from error
    except WithdrawError as error:
        raise HTTPException(502, str(error)) from error


def _visible(request: Request, viewer: Viewer, object_id: int) -> None:
    """404 unless the object exists and its media item is visible to ``viewer``."""
    with services(request).engine.connect() as conn:
        _refused(lambda: object_row(conn, viewer, object_id))


def _publisher(request: Request) -> Publisher:
    web = services(request)
    # ``web.portal`` is looked up per request, so a test can hand the app a fake portal.
    return Publisher(ObjectProposals(web.engine), web.vault, web.portal)


def _actions(viewer: Viewer, item: dict[str, Any]) -> list[str]:
    """What ``viewer`` may do to the object now, as the page offers it."""
    status, found = item["status"], []
    reviewed = {r["reviewer"] for r in item["reviews"]}
    if allowed(viewer.role, Permission.REVIEW_OBJECTS):
        if status == "proposed" and viewer.name != item["proposer"] and viewer.name not in reviewed:
            found.append("approve")
        if status in ("proposed", "approved"):
            found.append("reject")
        if status == "approved":
            found.append("publish")
    if allowed(viewer.role, Permission.ADMINISTER) and status in ("approved", "published"):
        found.append("withdraw")
    return found


def object_detail(request: Request, viewer: Viewer, object_id: int) -> dict[str, Any]:
    item = _refused(lambda: ObjectQueries(services(request).engine).get(viewer, object_id))
    return {**item, "actions": _actions(viewer, item)}


def _listing(
    request: Request, viewer: Viewer, status: str, category: str, page: int
) -> dict[str, Any]:
    queries = ObjectQueries(services(request).engine)
    rows = queries.listing(
        viewer,
        status=None if status in ("", "all") else status,
        category=category or None,
        limit=PER_PAGE + 1,
        offset=(page - 1) * PER_PAGE,
    )
    return {
        "status": status or "all",
        "category": category,
        "page": page,
        "more": len(rows) > PER_PAGE,
        "objects": rows[:PER_PAGE],
        "counts": queries.counts(viewer),
    }


StatusFilter = Annotated[str, Query(max_length=20, pattern=STATUS_CHOICE)]
CategoryFilter = Annotated[str, Query(max_length=20, pattern=CATEGORY_CHOICE)]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]


@router.get("/objects", include_in_schema=False)
def objects_page(
    request: Request,
    viewer: Viewing,
    status: StatusFilter = "proposed",
    category: CategoryFilter = "",
    page: PageNumber = 1,
) -> Response:
    return services(request).templates.TemplateResponse(
        request,
        "objects.html",
        {
            "me": me_summary(request, viewer),
            "csrf_token": form_token(request),
            "q": _listing(request, viewer, status, category, page),
            "statuses": STATUSES,
            "categories": CATEGORIES,
        },
    )


@router.get("/api/objects")
def objects_json(
    request: Request,
    viewer: Viewing,
    status: StatusFilter = "all",
    category: CategoryFilter = "",
    page: PageNumber = 1,
) -> dict[str, Any]:
    """Proposed objects on visible media, newest first, 100 a page: ``status`` one of
    all, proposed, approved (publication pending), published, rejected, withdrawn."""
    return _listing(request, viewer, status, category, page)


@router.get("/objects/{object_id}", include_in_schema=False)
def object_page(request: Request, object_id: ObjectId, viewer: Viewing) -> Response:
    return services(request).templates.TemplateResponse(
        request,
        "object.html",
        {
            "me": me_summary(request, viewer),
            "csrf_token": form_token(request),
            "o": object_detail(request, viewer, object_id),
            "may_reveal": allowed(viewer.role, Permission.REVEAL),
        },
    )


@router.get("/api/objects/{object_id}")
def object_json(request: Request, object_id: ObjectId, viewer: Viewing) -> dict[str, Any]:
    """One proposal: public text, region, status, reviews, the error of the last attempt to
    publish it (while approved), and what the viewer may do to it now."""
    return object_detail(request, viewer, object_id)


@router.get("/objects/{object_id}/thumbnail", response_class=Response, include_in_schema=False)
def object_thumbnail(request: Request, object_id: ObjectId, viewer: Viewing) -> Response:
    """The sanitised crop, masked by the viewer's exposure settings (JPEG)."""
    web = services(request)
    with web.engine.connect() as conn:
        blob = _refused(lambda: object_row(conn, viewer, object_id)).image_sha256
    if not blob or not web.vault.exists(blob):
        raise HTTPException(404, "this object has no rendering")
    try:
        data = masked_thumbnail(web.vault.read_bytes(blob), viewer.blur_level, viewer.greyscale)
    except (OSError, UnidentifiedImageError) as error:
        raise HTTPException(404, "this object's rendering cannot be read") from error
    return Response(data, media_type="image/jpeg", headers=NO_STORE)


@router.get("/objects/{object_id}/preview", response_class=Response, include_in_schema=False)
def object_preview(request: Request, object_id: ObjectId, viewer: Viewing) -> Response:
    """The sanitised crop itself, exactly the bytes that are (or would be) published;
    audited as "view-object-preview" and committed before the bytes go out."""
    _visible(request, viewer, object_id)
    ensure_allowed(viewer, Permission.REVEAL)
    web = services(request)
    proposals = ObjectProposals(web.engine)
    blob = _refused(
        lambda: proposals.audit_preview_view(viewer, object_id, client_address(request))
    )
    if not web.vault.exists(blob):
        raise HTTPException(404, "this object's rendering is not in the vault")
    return Response(web.vault.read_bytes(blob), media_type="image/webp", headers=NO_STORE)


def _answer(request: Request, object_id: int, outcome: dict[str, Any]) -> Response:
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"id": object_id, **outcome})
    return RedirectResponse(f"/objects/{object_id}", status_code=303)


@router.post(
    "/media/{sha256}/objects",
    status_code=201,
    responses={303: {"description": "a form post (no JSON asked for): to the proposal's page"}},
)
def propose_object(
    request: Request,
    sha256: str,
    viewer: Viewing,
    title: str = Form(max_length=400),
    category: str = Form(max_length=40),
    box: str = Form("", max_length=200),
    description: str = Form("", max_length=8_000),
    questions: str = Form("", max_length=8_000),
    polygon: str = Form("", max_length=10_000),
    outside: str = Form("keep", max_length=10),
) -> Response:
    """Propose the marked region as an object for Trace an Object (audited): ``box``
    "x,y,w,h" and ``polygon`` "x,y;x,y;..." as fractions of the picture; ``outside`` keep,
    blur or mask (outside the polygon); ``questions`` one per line; ``category`` one of
    clothing, packaging, furniture, toys, logos, places, vehicles, other. The sanitised
    crop is rendered now; a region or text that cannot be used answers 400 with the reason."""
    web = services(request)
    with web.engine.connect() as conn:
        if not SHA256.fullmatch(sha256) or not media_visible(conn, viewer, sha256):
            raise HTTPException(404, NOT_FOUND)
    ensure_allowed(viewer, Permission.ANNOTATE)
    proposer = ObjectProposer(ObjectProposals(web.engine), web.vault)

    def propose() -> int:
        text = object_text(title, description, questions, category)
        return proposer.propose(viewer, sha256, text, parse_region(box, polygon, outside))

    object_id = _refused(propose)
    if "application/json" in request.headers.get("accept", ""):
        body = {"id": object_id, "url": f"/objects/{object_id}", "status": "proposed"}
        return JSONResponse(body, status_code=201)
    return RedirectResponse(f"/objects/{object_id}", status_code=303)


def _review_change(
    request: Request, viewer: Viewer, object_id: int, permission: Permission
) -> Publisher:
    _visible(request, viewer, object_id)
    ensure_allowed(viewer, permission)
    return _publisher(request)


def _outcome(done: Publication) -> dict[str, Any]:
    return {"status": done.status, "pending": done.pending, "error": done.error}


@router.post("/objects/{object_id}/approve", include_in_schema=False)
def approve_object(request: Request, object_id: ObjectId, viewer: Viewing) -> Response:
    """Approve (audited); the second approval by another reviewer publishes."""
    publisher = _review_change(request, viewer, object_id, Permission.REVIEW_OBJECTS)
    done = _refused(lambda: publisher.approve(viewer, object_id))
    return _answer(request, object_id, _outcome(done))


@router.post("/objects/{object_id}/reject", include_in_schema=False)
def reject_object(
    request: Request, object_id: ObjectId, viewer: Viewing, reason: str = Form(max_length=4_000)
) -> Response:
    """Reject with a reason (audited): the proposal ends."""
    publisher = _review_change(request, viewer, object_id, Permission.REVIEW_OBJECTS)
    _refused(lambda: publisher.proposals.reject(viewer, object_id, reason))
    return _answer(request, object_id, {"status": "rejected"})


@router.post("/objects/{object_id}/publish", include_in_schema=False)
def retry_publication(request: Request, object_id: ObjectId, viewer: Viewing) -> Response:
    """Send an approved object to the portal again (after the portal could not be reached)."""
    publisher = _review_change(request, viewer, object_id, Permission.REVIEW_OBJECTS)
    done = _refused(lambda: publisher.publish(object_id, viewer.name))
    return _answer(request, object_id, _outcome(done))


@router.post("/objects/{object_id}/withdraw", include_in_schema=False)
def withdraw_object(
    request: Request, object_id: ObjectId, viewer: Viewing, reason: str = Form(max_length=4_000)
) -> Response:
    """Withdraw from the portal, with a reason (admins; audited)."""
    publisher = _review_change(request, viewer, object_id, Permission.ADMINISTER)
    _refused(lambda: publisher.withdraw(viewer, object_id, reason))
    return _answer(request, object_id, {"status": "withdrawn"})
