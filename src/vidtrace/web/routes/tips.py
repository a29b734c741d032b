"""The tips queue (Trace an Object): tips from the public, similar ones together, moderated
by moderators and admins; and the button that fetches new tips from the portal.

app.py: ``web.include_router(tips_routes)`` with
``from vidtrace.web.routes.tips import router as tips_routes``; this router carries the
admins' outcome figures too (web/routes/portal_admin.py).

A tip about an object cropped from media the viewer may not see answers 404 like a missing
one, before any permission check. Decisions post back here and are redirected to the queue
(303); a refused decision answers 400 with the message for the moderator.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from vidtrace.clues.kinds import ClueError
from vidtrace.domain.viewer import Permission, Viewer
from vidtrace.publish.portal_client import PortalError
from vidtrace.publish.tip_moderation import TipModeration
from vidtrace.publish.tip_pull import pull_tips
from vidtrace.store.tip_queries import TipQueries
from vidtrace.store.tips import DECISIONS, STATUSES, TipError, TipStore
from vidtrace.web.deps import Viewing, ensure_allowed, form_token, me_summary, require, services
from vidtrace.web.params import MAX_INTEGER
from vidtrace.web.routes.portal_admin import router as portal_admin_routes

log = logging.getLogger(__name__)

router = APIRouter()
router.include_router(portal_admin_routes)

Moderating = Annotated[Viewer, Depends(require(Permission.MODERATE))]
TipId = Annotated[int, Path(ge=1, le=MAX_INTEGER, description="a tip id")]
SHOWN_STATUSES = (*STATUSES, "all")


class QueueFilters:
    """The queue's filters: a state (``all`` for every state) and an object."""

    def __init__(
        self,
        status: str = Query("new", pattern="^(" + "|".join(SHOWN_STATUSES) + ")$"),
        object_id: int | None = Query(None, alias="object", ge=1, le=MAX_INTEGER),
        page: int = Query(1, ge=1, le=100_000),
    ) -> None:
        self.status = status
        self.object_id = object_id
        self.page = page

    def query(self) -> dict[str, str]:
        """The filters as a query string's fields, for links and the way back after a
        decision."""
        fields = {"status": self.status}
        if self.object_id is not None:
            fields["object"] = str(self.object_id)
        return fields


Filters = Annotated[QueueFilters, Depends()]


def _queue(request: Request, viewer: Viewer, filters: QueueFilters) -> dict[str, Any]:
    queries = TipQueries(services(request).engine)
    status = None if filters.status == "all" else filters.status
    found = queries.page(viewer, status, filters.object_id, filters.page)
    return {**found, "counts": queries.counts(viewer)}


def _clusters(tips: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's tips grouped by cluster, in the order the clusters first appear."""
    grouped: dict[str, dict[str, Any]] = {}
    for tip in tips:
        key = tip["cluster"] or f"tip-{tip['id']}"
        group = grouped.setdefault(key, {"key": key, "size": tip["cluster_size"], "tips": []})
        group["tips"].append(tip)
    return list(grouped.values())


@router.get("/tips", include_in_schema=False)
def tips_page(
    request: Request,
    viewer: Moderating,
    filters: Filters,
    fetched: str | None = Query(None, pattern=r"^(\d{1,9}|failed)$"),
    skipped: int = Query(0, ge=0, le=MAX_INTEGER),
) -> Response:
    queue = _queue(request, viewer, filters)
    query = filters.query()
    back = "/tips?" + "&".join(f"{name}={value}" for name, value in query.items())
    last_page = max(1, -(-queue["total"] // queue["per_page"]))
    return services(request).templates.TemplateResponse(
        request,
        "tips.html",
        {
            "me": me_summary(request, viewer),
            "csrf_token": form_token(request),
            "queue": queue,
            "clusters": _clusters(queue["tips"]),
            "filters": {"object": "", **query},
            "statuses": SHOWN_STATUSES,
            "decisions": DECISIONS,
            "back": back,
            "last_page": last_page,
            "fetched": fetched,
            "skipped": skipped,
        },
    )


@router.get("/api/tips")
def tips_json(request: Request, viewer: Moderating, filters: Filters) -> dict[str, Any]:
    """The tips queue: one page of tips (100; ``status`` new by default, ``all`` for every
    state; ``object`` one object's), similar ones together with their cluster's size, and the
    counts of tips per object and per series."""
    return _queue(request, viewer, filters)


@router.post("/tips/pull", include_in_schema=False)
def fetch_tips(request: Request, viewer: Moderating) -> Response:
    """Fetch the tips the portal received since the last pull; the queue then says how many
    arrived, or that the portal cannot be reached."""
    web = services(request)
    try:
        with web.portal() as portal:
            result = pull_tips(portal, TipStore(web.engine), viewer.name)
    except PortalError as error:
        log.warning("fetching tips for %s: %s", viewer.name, error)
        return RedirectResponse("/tips?fetched=failed", status_code=303)
    where = f"/tips?fetched={result.stored}&skipped={result.unknown}"
    return RedirectResponse(where, status_code=303)


@router.post("/tips/{tip_id}/mark", include_in_schema=False)
def mark_tip(
    request: Request,
    tip_id: TipId,
    viewer: Viewing,
    status: str = Form(max_length=20),
    back: str = Form("/tips", max_length=2000, pattern=r"^/tips(\?[^#]*)?$"),
) -> Response:
    """Mark a tip useful, duplicate, spam or forwarded (audited). A useful tip naming a
    country or a place becomes a ``tip`` clue on its object's media item."""
    engine = services(request).engine
    if not TipStore(engine).visible(viewer, tip_id):
        raise HTTPException(404, f"no tip {tip_id}")
    ensure_allowed(viewer, Permission.MODERATE)
    try:
        TipModeration(engine).mark(tip_id, status, viewer.name)
    except (TipError, ClueError) as error:
        raise HTTPException(400, str(error)) from error
    return RedirectResponse(f"{back}#tip-{tip_id}", status_code=303)
