"""Administration: the audit log (page, CSV, JSON) and the accounts list (disable, enable).

Every route needs the administer permission. The CSV export is itself audited
("export-audit", with its filters) before the first row goes out.

Wired in web/app.py by:
    from vidtrace.web.routes.admin import router as admin_routes
    web.include_router(admin_routes)
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from vidtrace.domain.viewer import Permission, Viewer
from vidtrace.store.audit import record_audit
from vidtrace.store.audit_queries import AuditFilters, AuditQueries, audit_csv
from vidtrace.store.users import AccountError
from vidtrace.web.deps import client_address, form_token, me_summary, require, services

router = APIRouter()

Administering = Annotated[Viewer, Depends(require(Permission.ADMINISTER))]
TEXT_FILTERS = ("actor", "agency", "action", "object_type", "object_id")


def _moment(value: str | None, name: str, end_of_day: bool) -> datetime | None:
    """A form's date (YYYY-MM-DD) or ISO time; a bare ``until`` date includes that whole day."""
    if not value:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            moment = datetime.combine(day, time(), tzinfo=UTC)
            return moment + timedelta(days=1) if end_of_day and day < date.max else moment
        moment = datetime.fromisoformat(value)
        # Converted here, where an overflow (0001-01-01T00:00+14:00) is the caller's mistake.
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        raise HTTPException(422, f"{name}: give a date (YYYY-MM-DD) or an ISO time") from None


def audit_filters(
    actor: str | None = Query(None, max_length=200),
    agency: str | None = Query(None, max_length=200),
    action: str | None = Query(None, max_length=60),
    object_type: str | None = Query(None, max_length=40),
    object_id: str | None = Query(None, max_length=200),
    since: str | None = Query(None, max_length=40, description="from (inclusive): date or time"),
    until: str | None = Query(None, max_length=40, description="to: a date includes its day"),
) -> AuditFilters:
    # An empty form field means "any", not "the empty name".
    return AuditFilters(
        actor=actor or None,
        agency=agency or None,
        action=action or None,
        object_type=object_type or None,
        object_id=object_id or None,
        since=_moment(since, "since", end_of_day=False),
        until=_moment(until, "until", end_of_day=True),
    )


Filters = Annotated[AuditFilters, Depends(audit_filters)]


FILTER_FIELDS = (*TEXT_FILTERS, "since", "until")


def _filter_query(request: Request) -> dict[str, str]:
    # The filters as the form sent them, for the paging links and the CSV link.
    params = request.query_params
    return {name: params[name] for name in FILTER_FIELDS if params.get(name)}


@router.get("/admin/audit", include_in_schema=False)
def audit_page(
    request: Request,
    viewer: Administering,
    filters: Filters,
    page: int = Query(1, ge=1, le=100_000),
    per_page: int = Query(100, ge=1, le=500),
) -> Response:
    result = AuditQueries(services(request).engine).browse(filters, page, per_page)
    return services(request).templates.TemplateResponse(
        request,
        "audit.html",
        {
            "me": me_summary(request, viewer),
            "csrf_token": form_token(request),
            "result": result,
            "fields": FILTER_FIELDS,
            "form": {**dict.fromkeys(FILTER_FIELDS, ""), **_filter_query(request)},
            "page_query": _filter_query(request),
        },
    )


@router.get("/api/audit")
def audit_json(
    request: Request,
    viewer: Administering,
    filters: Filters,
    page: int = Query(1, ge=1, le=100_000),
    per_page: int = Query(100, ge=1, le=500),
) -> dict[str, Any]:
    """The audit log, newest first: ``rows``, ``total``, ``page``, ``per_page``. Filters match
    exactly; ``since`` and ``until`` take a date or an ISO time (UTC when no zone is given)."""
    return dataclasses.asdict(
        AuditQueries(services(request).engine).browse(filters, page, per_page)
    )


@router.get("/admin/audit.csv", include_in_schema=False)
def audit_export(request: Request, viewer: Administering, filters: Filters) -> Response:
    web = services(request)
    detail = {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in dataclasses.asdict(filters).items()
        if value is not None
    }
    with web.engine.begin() as conn:
        # Committed before streaming starts: an export without its audit record cannot happen.
        record_audit(
            conn,
            viewer.name,
            "export-audit",
            "audit",
            "csv",
            detail,
            agency=viewer.agency,
            client=client_address(request),
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    headers = {
        "Content-Disposition": f'attachment; filename="vidtrace-audit-{stamp}.csv"',
        "Cache-Control": "no-store",
    }
    rows = AuditQueries(web.engine).stream(filters)
    return StreamingResponse(audit_csv(rows), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/admin/users", include_in_schema=False)
def users_page(request: Request, viewer: Administering) -> Response:
    web = services(request)
    return web.templates.TemplateResponse(
        request,
        "users.html",
        {
            "me": me_summary(request, viewer),
            "csrf_token": form_token(request),
            "users": web.users.list(),
        },
    )


def _set_disabled(request: Request, viewer: Viewer, user_id: int, disabled: bool) -> Response:
    web = services(request)
    found = [user for user in web.users.list() if user["id"] == user_id]
    if not found:
        raise HTTPException(404, "no such user")
    if disabled and user_id == viewer.user_id:
        raise HTTPException(400, "you cannot disable your own account")
    try:
        web.users.set_disabled(found[0]["name"], disabled, viewer.name)
    except AccountError as error:
        raise HTTPException(404, str(error)) from None
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/disable", include_in_schema=False)
def disable_user(request: Request, viewer: Administering, user_id: int) -> Response:
    """Block the account and end its sessions at once (audited as "disable-user")."""
    return _set_disabled(request, viewer, user_id, True)


@router.post("/admin/users/{user_id}/enable", include_in_schema=False)
def enable_user(request: Request, viewer: Administering, user_id: int) -> Response:
    """Let a disabled account sign in again (audited as "enable-user")."""
    return _set_disabled(request, viewer, user_id, False)
