"""The triage queue (page and JSON), who am I, and the exposure settings form."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from vidtrace.domain.viewer import Viewer
from vidtrace.store.triage_queries import PRIORITY_RULE, TriageFilters, TriagePage
from vidtrace.web.deps import Viewing, form_token, me_summary, services
from vidtrace.web.media_images import MAX_BLUR

router = APIRouter()


def triage_filters(
    case: str | None = Query(None, max_length=200),
    agency: str | None = Query(None, max_length=200),
    operation: str | None = Query(None, max_length=200),
    status: str | None = Query(None, max_length=30),
    country: str | None = Query(None, min_length=2, max_length=2, pattern="^[A-Za-z]{2}$"),
    assignee: str | None = Query(None, max_length=200),
) -> TriageFilters:
    # An empty form field means "any", not "the empty name".
    return TriageFilters(
        case=case or None,
        agency=agency or None,
        operation=operation or None,
        status=status or None,
        country=country.upper() if country else None,
        assignee=assignee or None,
    )


def _queue(
    request: Request, viewer: Viewer, filters: TriageFilters, page: int, per_page: int
) -> TriagePage:
    return services(request).triage.queue(viewer, filters, page, per_page)


@router.get("/", include_in_schema=False)
def triage_page(
    request: Request,
    viewer: Viewing,
    filters: Annotated[TriageFilters, Depends(triage_filters)],
    page: int = Query(1, ge=1, le=100_000),
    per_page: int = Query(50, ge=1, le=200),
) -> Response:
    result = _queue(request, viewer, filters, page, per_page)
    last_page = max(1, -(-result.total // per_page))
    return services(request).templates.TemplateResponse(
        request,
        "triage.html",
        {
            "me": me_summary(request, viewer),
            "csrf_token": form_token(request),
            "queue": result,
            "filters": filters,
            "rule": PRIORITY_RULE,
            "last_page": last_page,
            "page_query": {k: v for k, v in dataclasses.asdict(filters).items() if v},
        },
    )


@router.get("/api/triage")
def triage_json(
    request: Request,
    viewer: Viewing,
    filters: Annotated[TriageFilters, Depends(triage_filters)],
    page: int = Query(1, ge=1, le=100_000),
    per_page: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    """The triage queue for the signed-in viewer, ordered by priority (see ``rule``)."""
    result = _queue(request, viewer, filters, page, per_page)
    return {**dataclasses.asdict(result), "rule": PRIORITY_RULE}


@router.get("/api/me")
def me_json(request: Request, viewer: Viewing) -> dict[str, Any]:
    """The signed-in user, their permissions, exposure settings and items revealed today."""
    return me_summary(request, viewer)


@router.get("/me/exposure", include_in_schema=False)
def exposure_form(request: Request, viewer: Viewing, saved: bool = False) -> Response:
    return services(request).templates.TemplateResponse(
        request,
        "exposure.html",
        {
            "me": me_summary(request, viewer),
            "csrf_token": form_token(request),
            "max_blur": MAX_BLUR,
            "saved": saved,
        },
    )


@router.post("/me/exposure", include_in_schema=False)
def set_exposure(
    request: Request,
    viewer: Viewing,
    blur_level: int = Form(ge=0, le=MAX_BLUR),
    greyscale: bool = Form(False),
) -> Response:
    services(request).users.set_exposure(viewer.user_id, blur_level, greyscale)
    return RedirectResponse("/me/exposure?saved=true", status_code=303)
