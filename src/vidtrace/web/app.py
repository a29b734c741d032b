"""The workbench application: services from the bootstrapped App, routes, templates, headers."""

from __future__ import annotations

from pathlib import Path

import jinja2
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from vidtrace.bootstrap import App
from vidtrace.store.triage_queries import TriageQueries
from vidtrace.store.users import UserStore
from vidtrace.web.audit_origin import AuditOrigin
from vidtrace.web.deps import WebServices, csrf_guard, refuse_nul_characters
from vidtrace.web.errors import install_error_handlers
from vidtrace.web.headers import SecurityHeaders
from vidtrace.web.routes.admin import router as admin_routes
from vidtrace.web.routes.auth import router as auth_routes
from vidtrace.web.routes.media import router as media_routes
from vidtrace.web.routes.objects import router as objects_routes
from vidtrace.web.routes.search import router as search_routes
from vidtrace.web.routes.series import router as series_routes
from vidtrace.web.routes.tips import router as tips_routes
from vidtrace.web.routes.triage import router as triage_routes
from vidtrace.web.routes.viewer import router as viewer_routes
from vidtrace.web.security.login_throttle import LoginThrottle
from vidtrace.web.security.sessions import SessionStore

HERE = Path(__file__).parent


def templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every value is escaped; series names and notes are user text
        undefined=jinja2.StrictUndefined,
    )
    return Jinja2Templates(env=env)


def create_app(
    app: App,
    idle_minutes: int = 30,
    secure_cookies: bool = False,
    admin_totp_required: bool | None = None,
) -> FastAPI:
    """The workbench over ``app``'s database and vault. Sessions end after ``idle_minutes``
    without a request; ``secure_cookies`` marks cookies Secure (set it when served over https);
    ``admin_totp_required`` (default: the settings') refuses admins without a TOTP secret.
    """
    if admin_totp_required is None:
        admin_totp_required = app.settings.admin_totp_required
    web = FastAPI(
        title="vidtrace workbench",
        docs_url=None,  # the docs pages load scripts from a CDN; the schema stays at /openapi.json
        redoc_url=None,
        dependencies=[Depends(csrf_guard), Depends(refuse_nul_characters)],
    )
    web.state.services = WebServices(
        engine=app.engine,
        vault=app.vault,
        users=UserStore(app.engine),
        sessions=SessionStore(app.engine, idle_minutes),
        throttle=LoginThrottle(app.engine),
        triage=TriageQueries(app.engine),
        templates=templates(),
        secure_cookies=secure_cookies,
        admin_totp_required=admin_totp_required,
        portal_url=app.settings.portal_url,
        portal_token=app.settings.portal_token,
    )
    install_error_handlers(web)
    web.add_middleware(SecurityHeaders)
    web.add_middleware(AuditOrigin)
    web.include_router(auth_routes)
    web.include_router(triage_routes)
    web.include_router(media_routes)
    web.include_router(series_routes)
    web.include_router(viewer_routes)
    web.include_router(objects_routes)
    web.include_router(search_routes)
    web.include_router(admin_routes)
    web.include_router(tips_routes)
    web.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return web
