"""The series page (and its JSON): header, paged member grid, workflow, edits, notes, country.

app.py: ``web.include_router(series_routes)`` with
``from vidtrace.web.routes.series import router as series_routes``.

A series the viewer may not see answers 404 like a missing one, before any permission check.
Forms post back here and are redirected to the page (303); a refused change answers 400 with
the service's message for the analyst.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Connection, exists, func, select

from vidtrace.clues.assessment import CountryAssessor
from vidtrace.clues.kinds import CLUE_KINDS, ClueError
from vidtrace.clues.ranking import ranking_to_json
from vidtrace.domain.viewer import Permission, Role, Viewer
from vidtrace.store.access import (
    media_visible,
    series_visible,
    visible_cases,
    visible_media_among,
)
from vidtrace.store.clue_queries import ClueQueries
from vidtrace.store.country_decisions import CountryDecisions
from vidtrace.store.models import Case, Media, MediaLink, Occurrence, Series, SeriesMember
from vidtrace.store.series_edits import SeriesEditError, SeriesEdits
from vidtrace.store.series_queries import case_spread
from vidtrace.store.series_rankings import SeriesRankings
from vidtrace.store.series_workflow import (
    STATUSES,
    SeriesWorkflow,
    WorkflowError,
    transition_allowed,
)
from vidtrace.web.deps import Viewing, ensure_allowed, form_token, me_summary, services
from vidtrace.web.params import MAX_INTEGER, SeriesId, SeriesIdInForm
from vidtrace.web.ranking_view import ranking_as_seen_by

router = APIRouter()

PER_PAGE = 60
CLUES_SHOWN = 200  # a big series' further clues are listed by `vidtrace clues list --series`
STRONGEST = 5
SHA256 = re.compile(r"[0-9a-f]{64}")
T = TypeVar("T")


def visible_series(request: Request, viewer: Viewer, series_id: int) -> None:
    """404 unless the series exists and ``viewer`` may see it."""
    with services(request).engine.connect() as conn:
        if not 0 < series_id <= MAX_INTEGER or not series_visible(conn, viewer, series_id):
            raise HTTPException(404, f"no series {series_id}")


def refused(change: Callable[[], T]) -> T:
    """Run a service change; its refusal becomes a 400 carrying the analyst-facing message."""
    try:
        return change()
    except (WorkflowError, SeriesEditError, ClueError) as error:
        raise HTTPException(400, str(error)) from error


def _seen_by(viewer: Viewer) -> Any:
    """Filters on ``series_member`` rows: the members ``viewer`` may see (none for admins)."""
    if viewer.role == Role.ADMIN:
        return ()
    seen = exists().where(
        Occurrence.media_sha256 == SeriesMember.media_sha256,
        Occurrence.case_id.in_(visible_cases(viewer)),
    )
    return (seen,)


def member_page(conn: Connection, viewer: Viewer, series_id: int, page: int) -> dict[str, Any]:
    """One page of visible members (60, by SHA-256) and their total: both walk the index on
    (series, SHA-256), whatever the series' size."""
    in_series = (SeriesMember.series_id == series_id, *_seen_by(viewer))
    total = conn.scalar(select(func.count()).select_from(SeriesMember).where(*in_series)) or 0
    rows = conn.execute(
        select(Media.sha256, Media.kind, Media.precategorised)
        .join(SeriesMember, SeriesMember.media_sha256 == Media.sha256)
        .where(*in_series)
        # The member's column, not the media's: ordered as the index is, so it is walked
        # rather than the whole media table.
        .order_by(SeriesMember.media_sha256)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return {
        "page": page,
        "per_page": PER_PAGE,
        "total": total,
        "last_page": max(1, -(-total // PER_PAGE)),
        "items": [{"sha256": r.sha256, "kind": r.kind, "known": r.precategorised} for r in rows],
    }


def _strongest_links(conn: Connection, series_id: int) -> list[dict[str, Any]]:
    inside = select(SeriesMember.media_sha256).where(SeriesMember.series_id == series_id)
    rows = conn.execute(
        select(MediaLink)
        .where(MediaLink.a_sha256.in_(inside), MediaLink.b_sha256.in_(inside))
        .order_by((MediaLink.strength != "strong"), MediaLink.score.desc(), MediaLink.id)
        .limit(STRONGEST)
    )
    return [
        {"a": r.a_sha256, "b": r.b_sha256, "kind": r.kind, "strength": r.strength,
         "score": round(float(r.score), 4), "evidence": r.evidence}
        for r in rows
    ]  # fmt: skip


def series_detail(request: Request, viewer: Viewer, series_id: int, page: int) -> dict[str, Any]:
    """What the page and ``/api/series/{id}`` show; only the viewer's visible cases are named."""
    web = services(request)
    with web.engine.connect() as conn:
        if not series_visible(conn, viewer, series_id):
            raise HTTPException(404, f"no series {series_id}")
        row = conn.execute(select(Series).where(Series.id == series_id)).one()
        if row.merged_into is not None:
            return {"id": series_id, "merged_into": row.merged_into}
        seen = set(conn.scalars(select(Case.name).where(Case.id.in_(visible_cases(viewer)))))
        spread = case_spread(conn, [series_id]).get(series_id, [])
        members = member_page(conn, viewer, series_id, page)
        strongest = _strongest_links(conn, series_id)
    shown = [c for c in spread if c["case"] in seen]
    status = row.status or "new"
    assessor = CountryAssessor(ClueQueries(web.engine), CountryDecisions(web.engine))
    rankings = SeriesRankings(web.engine, lambda s: ranking_to_json(assessor.rank_series(s)))
    clues = ClueQueries(web.engine).find(series_id=series_id, limit=CLUES_SHOWN + 1)
    with web.engine.connect() as conn:
        visible_clue_media = visible_media_among(conn, viewer, [c["media"] for c in clues])
        ranking = ranking_as_seen_by(conn, viewer, rankings.of(series_id))
    return {
        "id": series_id,
        "name": row.name,
        "status": status,
        "next_statuses": [s for s in STATUSES if s != status and transition_allowed(status, s)],
        "assignee": row.assignee,
        "locked": row.locked,
        "country": row.country,
        "size": row.size,
        "links": dict(sorted((row.links_by_kind or {}).items())),
        "strongest": strongest,
        "cases": shown,
        "agencies": sorted({c["agency"] for c in shown if c["agency"]}),
        # Counts only: the names of cases the viewer may not see stay hidden.
        "cases_elsewhere": len(spread) - len(shown),
        "agencies_in_all": len({c["agency"] for c in spread if c["agency"]}),
        "members": members,
        "notes": SeriesWorkflow(web.engine).notes(series_id),
        "country_ranking": ranking,
        "decisions": assessor.decisions.history(series_id),
        "clues": [c for c in clues[:CLUES_SHOWN] if c["media"] in visible_clue_media],
        "more_clues": len(clues) > CLUES_SHOWN,
    }


@router.get("/series/{series_id}", include_in_schema=False)
def series_page(
    request: Request, series_id: SeriesId, viewer: Viewing, page: int = Query(1, ge=1, le=100_000)
) -> Response:
    detail = series_detail(request, viewer, series_id, page)
    if "merged_into" in detail:
        return RedirectResponse(f"/series/{detail['merged_into']}", status_code=303)
    return services(request).templates.TemplateResponse(
        request,
        "series.html",
        {
            "me": me_summary(request, viewer),
            "csrf_token": form_token(request),
            "s": detail,
            "kinds": CLUE_KINDS,
        },
    )


@router.get("/api/series/{series_id}")
def series_json(
    request: Request, series_id: SeriesId, viewer: Viewing, page: int = Query(1, ge=1, le=100_000)
) -> dict[str, Any]:
    """One series: header, one page of members (60), notes, country ranking and clues. A
    merged series answers ``{"id", "merged_into"}``."""
    return series_detail(request, viewer, series_id, page)


def _back(series_id: int) -> RedirectResponse:
    return RedirectResponse(f"/series/{series_id}", status_code=303)


def _workflow_change(
    request: Request,
    viewer: Viewer,
    series_id: int,
    needs: Permission,
    change: Callable[[SeriesWorkflow], object],
) -> Response:
    """A change from the series page: 404 for a series the viewer may not see, then 403
    without ``needs``, 400 when refused; back to the page when made."""
    visible_series(request, viewer, series_id)
    ensure_allowed(viewer, needs)
    workflow = SeriesWorkflow(services(request).engine)
    refused(lambda: change(workflow))
    return _back(series_id)


@router.post("/series/{series_id}/status", include_in_schema=False)
def set_status(
    request: Request, series_id: SeriesId, viewer: Viewing, status: str = Form(max_length=30)
) -> Response:
    return _workflow_change(
        request, viewer, series_id, Permission.DECIDE,
        lambda workflow: workflow.set_status(viewer, series_id, status),
    )  # fmt: skip


@router.post("/series/{series_id}/assign", include_in_schema=False)
def assign(
    request: Request, series_id: SeriesId, viewer: Viewing, assignee: str = Form("", max_length=200)
) -> Response:
    return _workflow_change(
        request, viewer, series_id, Permission.DECIDE,
        lambda workflow: workflow.assign(viewer, [series_id], assignee or None),
    )  # fmt: skip


@router.post("/series/assign", include_in_schema=False)
def assign_selected(
    request: Request,
    viewer: Viewing,
    series: Annotated[list[SeriesIdInForm], Form(min_length=1, max_length=500)],
    assignee: str = Form("", max_length=200),
    back: str = Form("/", max_length=2000, pattern=r"^/(\?.*)?$"),
) -> Response:
    """Assign several series at once (from the triage queue); all or none. ``back`` is the
    queue page to return to, with its filters."""
    ensure_allowed(viewer, Permission.DECIDE)
    workflow = SeriesWorkflow(services(request).engine)
    refused(lambda: workflow.assign(viewer, series, assignee or None))
    return RedirectResponse(back, status_code=303)


@router.post("/series/{series_id}/notes", include_in_schema=False)
def add_note(
    request: Request, series_id: SeriesId, viewer: Viewing, text: str = Form(max_length=10_000)
) -> Response:
    return _workflow_change(
        request, viewer, series_id, Permission.ANNOTATE,
        lambda workflow: workflow.add_note(viewer, series_id, text),
    )  # fmt: skip


@router.post("/series/{series_id}/merge", include_in_schema=False)
def merge(
    request: Request, series_id: SeriesId, viewer: Viewing, others: str = Form(max_length=2000)
) -> Response:
    """``others``: the ids of the series to fold in, separated by commas or spaces."""
    parts = re.split(r"[\s,]+", others.strip())
    ids = [int(part) for part in parts if part.isascii() and part.isdigit()]
    if not ids:
        raise HTTPException(400, "name the series to merge with, by id")
    for sid in [series_id, *ids]:
        visible_series(request, viewer, sid)
    ensure_allowed(viewer, Permission.DECIDE)
    edits = SeriesEdits(services(request).engine)
    target = refused(lambda: edits.merge([series_id, *ids], viewer.name))
    return _back(target)


@router.post("/series/{series_id}/split", include_in_schema=False)
def split(
    request: Request,
    series_id: SeriesId,
    viewer: Viewing,
    member: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Move the chosen ``member`` items out into a new series; answers with the new page."""
    visible_series(request, viewer, series_id)
    ensure_allowed(viewer, Permission.DECIDE)
    chosen = member or []
    _check_visible_media(request, viewer, chosen)
    edits = SeriesEdits(services(request).engine)
    new_id = refused(lambda: edits.split(series_id, chosen, viewer.name))
    return _back(new_id)


@router.post("/series/{series_id}/move", include_in_schema=False)
def move(
    request: Request, series_id: SeriesId, viewer: Viewing, media: str = Form(max_length=64),
    to: int = Form(ge=1, le=MAX_INTEGER),
) -> Response:  # fmt: skip
    """Move one ``media`` item of this series into series ``to`` (pinned there)."""
    for sid in (series_id, to):
        visible_series(request, viewer, sid)
    ensure_allowed(viewer, Permission.DECIDE)
    _check_visible_media(request, viewer, [media])
    edits = SeriesEdits(services(request).engine)
    refused(lambda: edits.move([media], to, viewer.name))
    return _back(series_id)


@router.post("/series/{series_id}/country", include_in_schema=False)
def decide_country(
    request: Request, series_id: SeriesId, viewer: Viewing, country: str = Form(max_length=2),
    note: str = Form("", max_length=2000),
) -> Response:  # fmt: skip
    """Record the country of production (audited; opens a notification to that country)."""
    visible_series(request, viewer, series_id)
    ensure_allowed(viewer, Permission.DECIDE)
    engine = services(request).engine
    assessor = CountryAssessor(ClueQueries(engine), CountryDecisions(engine))
    refused(lambda: assessor.decide(series_id, country, viewer.name, note=note))
    return _back(series_id)


def _check_visible_media(request: Request, viewer: Viewer, keys: list[str]) -> None:
    with services(request).engine.connect() as conn:
        for key in keys:
            if not SHA256.fullmatch(key) or not media_visible(conn, viewer, key):
                raise HTTPException(404, "no such media item")


def neighbours(conn: Connection, viewer: Viewer, sha256: str, series_id: int) -> dict[str, Any]:
    """The previous and next visible member of the series (by SHA-256), for j/k on the
    media page."""
    in_series = (SeriesMember.series_id == series_id, *_seen_by(viewer))
    key = SeriesMember.media_sha256
    before = conn.scalar(select(func.max(key)).where(*in_series, key < sha256))
    after = conn.scalar(select(func.min(key)).where(*in_series, key > sha256))
    return {"series": series_id, "previous": before, "next": after}
