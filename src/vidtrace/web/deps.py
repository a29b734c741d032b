"""What a request carries: the services, the signed-in viewer, permission and CSRF checks.

Routes take these as FastAPI dependencies; none of them holds business logic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from vidtrace.config import DEFAULT_PORTAL_URL
from vidtrace.domain.viewer import Permission, Viewer
from vidtrace.publish.portal_client import PortalClient
from vidtrace.store.audit_queries import revealed_today
from vidtrace.store.triage_queries import TriageQueries
from vidtrace.store.users import UserStore
from vidtrace.store.vault import Vault
from vidtrace.web.security.csrf import new_token, tokens_match
from vidtrace.web.security.login_throttle import LoginThrottle
from vidtrace.web.security.roles import PERMISSIONS, allowed
from vidtrace.web.security.sessions import SessionInfo, SessionStore

SESSION_COOKIE = "vidtrace_session"
# Before there is a session, the login form is protected by a double-submit cookie.
LOGIN_CSRF_COOKIE = "vidtrace_csrf"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SignInRequired(Exception):
    """No signed-in session: pages redirect to /login, the JSON API answers 401."""


@dataclass
class WebServices:
    engine: Engine
    vault: Vault
    users: UserStore
    sessions: SessionStore
    throttle: LoginThrottle
    triage: TriageQueries
    templates: Jinja2Templates
    secure_cookies: bool
    admin_totp_required: bool = False
    # Trace an Object: the public portal this workbench publishes to and pulls tips from.
    portal_url: str = DEFAULT_PORTAL_URL
    portal_token: str | None = None

    def portal(self) -> PortalClient:
        """A client of the portal's sync API (close it after use); PortalError without a token."""
        return PortalClient(self.portal_url, self.portal_token)


def services(request: Request) -> WebServices:
    found: WebServices = request.app.state.services
    return found


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def session_of(request: Request) -> SessionInfo | None:
    """The request's session, signed in or waiting for its second factor; looked up once."""
    if not getattr(request.state, "session_checked", False):
        token = request.cookies.get(SESSION_COOKIE)
        request.state.session = services(request).sessions.current(token) if token else None
        request.state.session_checked = True
    found: SessionInfo | None = request.state.session
    return found


def signed_in(request: Request) -> SessionInfo:
    session = session_of(request)
    if session is None or not session.second_factor_done:
        raise SignInRequired()
    return session


def current_viewer(session: Annotated[SessionInfo, Depends(signed_in)]) -> Viewer:
    return session.viewer


def require(permission: Permission) -> Callable[[Viewer], Viewer]:
    """A dependency: the viewer, or 403 when their role lacks ``permission``. Check that the
    object is visible first where there is one, so an invisible object stays a 404."""

    def check(viewer: Annotated[Viewer, Depends(current_viewer)]) -> Viewer:
        ensure_allowed(viewer, permission)
        return viewer

    return check


SignedInViewer = Annotated[Viewer, Depends(current_viewer)]
"""A route parameter: the signed-in viewer (pages redirect to /login, the API answers 401)."""
Viewing = Annotated[Viewer, Depends(require(Permission.VIEW))]
"""A route parameter: the signed-in viewer, whose role may view the workbench."""


def ensure_allowed(viewer: Viewer, permission: Permission) -> None:
    if not allowed(viewer.role, permission):
        raise HTTPException(403, f"the {viewer.role} role may not {permission}")


async def csrf_guard(request: Request) -> None:
    """App-wide: every state-changing request carries the CSRF token, as the form field
    ``csrf_token`` or the ``X-CSRF-Token`` header. With a session it must be the session's;
    without one (the login form) it must equal the double-submit cookie."""
    if request.method not in UNSAFE_METHODS:
        return
    submitted = request.headers.get("x-csrf-token")
    content_type = request.headers.get("content-type", "")
    if submitted is None and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        field = (await request.form()).get("csrf_token")
        submitted = field if isinstance(field, str) else None
    session = await run_in_threadpool(session_of, request)
    expected = session.csrf_token if session else request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not tokens_match(expected, submitted):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")


async def refuse_nul_characters(request: Request) -> None:
    """App-wide: no query parameter or form field may hold a NUL character. PostgreSQL can
    neither store nor compare one (SQLite would), so it is a 422 here, the same on both."""
    fields = list(request.query_params.multi_items())
    content_type = request.headers.get("content-type", "")
    if request.method in UNSAFE_METHODS and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        fields += [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
    for name, value in fields:
        if "\x00" in name or "\x00" in value:
            shown = name.replace("\x00", "?")
            raise HTTPException(422, f"{shown}: text may not contain NUL characters")


def form_token(request: Request) -> str:
    """The CSRF token a rendered form must send back (see :func:`csrf_guard`); for the login
    form, the double-submit cookie's value, or a new one the route must set as the cookie."""
    session = session_of(request)
    if session is not None:
        return session.csrf_token
    return request.cookies.get(LOGIN_CSRF_COOKIE) or new_token()


def me_summary(request: Request, viewer: Viewer) -> dict[str, Any]:
    """The signed-in user as pages and /api/me show them."""
    return {
        "name": viewer.name,
        "role": str(viewer.role),
        "agency": viewer.agency,
        "blur_level": viewer.blur_level,
        "greyscale": viewer.greyscale,
        "permissions": sorted(str(p) for p in PERMISSIONS.get(viewer.role, frozenset())),
        "revealed_today": revealed_today(services(request).engine, viewer.name),
    }
