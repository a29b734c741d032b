"""The outcome figures the public portal shows (Trace an Object): countries narrowed down,
children identified, offenders prosecuted. Admins enter them here; they are sent to the
portal and each sending is an audit event, which is also where the form finds the figures
sent last. Included by the tips router (web/routes/tips.py).
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Engine, select

from vidtrace.domain.viewer import Permission, Viewer
from vidtrace.publish.portal_client import PortalError
from vidtrace.store.audit import record_audit
from vidtrace.store.models import AuditEvent
from vidtrace.web.deps import form_token, me_summary, require, services
from vidtrace.web.params import MAX_INTEGER

log = logging.getLogger(__name__)

router = APIRouter()

Administering = Annotated[Viewer, Depends(require(Permission.ADMINISTER))]
Figure = Annotated[int, Form(ge=0, le=MAX_INTEGER)]
FIGURES = ("countries_narrowed", "children_identified", "offenders_prosecuted")
ACTION = "portal.statistics"


def last_sent(engine: Engine) -> dict[str, Any] | None:
    """The figures sent last, who sent them and when; None before the first sending."""
    query = (
        select(AuditEvent.detail, AuditEvent.actor, AuditEvent.at)
        .where(AuditEvent.action == ACTION)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return {**{name: (row.detail or {}).get(name, 0) for name in FIGURES},
            "by": row.actor, "at": row.at.isoformat() if row.at else None}  # fmt: skip


@router.get("/admin/portal-statistics", include_in_schema=False)
def statistics_page(
    request: Request,
    viewer: Administering,
    sent: str | None = Query(None, pattern="^(yes|failed)$"),
) -> Response:
    web = services(request)
    return web.templates.TemplateResponse(
        request,
        "portal_statistics.html",
        {
            "me": me_summary(request, viewer),
            "csrf_token": form_token(request),
            "last": last_sent(web.engine),
            "figures": FIGURES,
            "sent": sent,
        },
    )


@router.post("/admin/portal-statistics", include_in_schema=False)
def send_statistics(
    request: Request,
    viewer: Administering,
    countries_narrowed: Figure,
    children_identified: Figure,
    offenders_prosecuted: Figure,
) -> Response:
    """Send the figures to the portal; audited once the portal took them."""
    web = services(request)
    figures = {
        "countries_narrowed": countries_narrowed,
        "children_identified": children_identified,
        "offenders_prosecuted": offenders_prosecuted,
    }
    try:
        with web.portal() as portal:
            portal.set_statistics(**figures)
    except PortalError as error:
        log.warning("sending the outcome figures for %s: %s", viewer.name, error)
        return RedirectResponse("/admin/portal-statistics?sent=failed", status_code=303)
    with web.engine.begin() as conn:
        record_audit(conn, viewer.name, ACTION, "portal", "statistics", figures)
    return RedirectResponse("/admin/portal-statistics?sent=yes", status_code=303)
