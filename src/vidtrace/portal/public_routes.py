"""The public pages: the gallery, an object with its tip form, its image, the privacy notice
and the statistics. Server-rendered; nothing needs JavaScript."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from vidtrace.portal.categories import CATEGORIES
from vidtrace.portal.objects import GALLERY_PAGE, ShownObject
from vidtrace.portal.refusals import Problem, Refused
from vidtrace.portal.services import services
from vidtrace.portal.sync_api import PUBLIC_ID
from vidtrace.portal.tip_form import TipForm, new_idempotency_key

router = APIRouter()
IMAGE_CACHE = "public, max-age=300"  # a withdrawn object's image is gone within 5 minutes
MOST_PAGES = 10_000


def published_object(request: Request, public_id: str) -> ShownObject:
    """The published object, or 404 (unknown, malformed or withdrawn alike)."""
    found = (
        services(request).objects.published(public_id) if PUBLIC_ID.fullmatch(public_id) else None
    )
    if found is None:
        raise Refused(404)
    return found


def object_page(
    request: Request,
    item: ShownObject,
    form: TipForm | None = None,
    problems: dict[str, Problem] | None = None,
    status: int = 200,
    language: str | None = None,
) -> HTMLResponse:
    """The object and its tip form: empty with a fresh key, or as sent with what is wrong."""
    form = form or TipForm(idempotency_key=new_idempotency_key())
    portal = services(request)
    return portal.pages.render(
        request,
        "object.html",
        {"item": item, "form": form, "problems": problems or {}, "limits": portal.settings.limits},
        status=status,
        language=language,
        here=f"/objects/{item.public_id}",
    )


@router.get("/", response_class=HTMLResponse)
def gallery(
    request: Request,
    category: str | None = None,
    page: Annotated[int, Query(ge=1, le=MOST_PAGES)] = 1,
) -> HTMLResponse:
    if category is not None and category not in CATEGORIES:
        raise Refused(404)
    portal = services(request)
    items, total = portal.objects.gallery(category, page)
    context: dict[str, Any] = {
        "items": items,
        "total": total,
        "category": category,
        "page": page,
        "pages": max(1, math.ceil(total / GALLERY_PAGE)),
    }
    return portal.pages.render(request, "gallery.html", context)


@router.get("/objects/{public_id}", response_class=HTMLResponse)
def show_object(request: Request, public_id: str) -> HTMLResponse:
    return object_page(request, published_object(request, public_id))


@router.get("/objects/{public_id}/image.webp")
def object_image(request: Request, public_id: str) -> Response:
    image = services(request).objects.image(public_id) if PUBLIC_ID.fullmatch(public_id) else None
    if image is None:
        raise Refused(404)
    return Response(image, media_type="image/webp", headers={"cache-control": IMAGE_CACHE})


@router.get("/privacy", response_class=HTMLResponse)
def privacy(request: Request) -> HTMLResponse:
    portal = services(request)
    hours = portal.settings.limits.address_hash_hours
    return portal.pages.render(request, "privacy.html", {"hours": hours})


@router.get("/statistics", response_class=HTMLResponse)
def statistics(request: Request) -> HTMLResponse:
    portal = services(request)
    context = {
        "published": portal.objects.count_published(),
        "tips": portal.tips.count_received(),
        "figures": portal.figures.current(),
        "today": datetime.now(UTC),
    }
    return portal.pages.render(request, "statistics.html", context)
