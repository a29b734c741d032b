"""Sign in (password, then the TOTP code when the user has one), sign out.

Every attempt is audited through ``record_login``; failures count towards the login throttle,
TOTP failures included, so the second factor cannot be guessed either.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from vidtrace.domain.viewer import Role
from vidtrace.store.audit import record_audit
from vidtrace.store.users import record_login
from vidtrace.web.deps import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    WebServices,
    client_address,
    form_token,
    services,
    session_of,
)
from vidtrace.web.security import totp

router = APIRouter()

TOO_MANY = "Too many failed sign-ins from here for this account. Wait 15 minutes and try again."
ADMIN_NEEDS_TOTP = (
    "This server requires a second factor for administrators, and this account has none. "
    "Set one up with: vidtrace user totp NAME"
)


def _login_page(request: Request, message: str = "", status: int = 200) -> Response:
    web = services(request)
    session = session_of(request)
    token = form_token(request)
    template = "login_code.html" if session is not None else "login.html"
    response = web.templates.TemplateResponse(
        request, template, {"csrf_token": token, "message": message}, status_code=status
    )
    if session is None:
        _set_cookie(response, web, LOGIN_CSRF_COOKIE, token)
    return response


def _set_cookie(response: Response, web: WebServices, name: str, value: str) -> None:
    response.set_cookie(
        name, value, httponly=True, samesite="strict", secure=web.secure_cookies, path="/"
    )


@router.get("/login", include_in_schema=False)
def login_form(request: Request) -> Response:
    session = session_of(request)
    if session is not None and session.second_factor_done:
        return RedirectResponse("/", status_code=303)
    return _login_page(request)


@router.post("/login", include_in_schema=False)
def login(request: Request, name: str = Form(max_length=200), password: str = Form()) -> Response:
    web, client = services(request), client_address(request)
    if not web.throttle.allowed(client, name):
        return _login_page(request, TOO_MANY, 429)
    viewer = web.users.authenticate(name, password)
    if viewer is None:
        web.throttle.failed(client, name)
        record_login(web.engine, name, False, client)
        return _login_page(request, "Wrong name or password.", 401)
    web.throttle.succeeded(client, name)
    needs_code = web.users.totp_secret(viewer.user_id) is not None
    if web.admin_totp_required and viewer.role == Role.ADMIN and not needs_code:
        record_login(web.engine, name, False, client)
        return _login_page(request, ADMIN_NEEDS_TOTP, 403)
    # A new token at every sign-in: a session id planted before login is never promoted.
    token, _ = web.sessions.start(viewer.user_id, client, second_factor_done=not needs_code)
    if not needs_code:
        record_login(web.engine, viewer, True, client)
    response = RedirectResponse("/login" if needs_code else "/", status_code=303)
    _set_cookie(response, web, SESSION_COOKIE, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/login/code", include_in_schema=False)
def login_code(request: Request, code: str = Form(max_length=10)) -> Response:
    web, client = services(request), client_address(request)
    session = session_of(request)
    if session is None:
        return RedirectResponse("/login", status_code=303)
    if session.second_factor_done:
        return RedirectResponse("/", status_code=303)
    viewer = session.viewer
    if not web.throttle.allowed(client, viewer.name):
        return _login_page(request, TOO_MANY, 429)
    secret = web.users.totp_secret(viewer.user_id)
    if secret is None or not totp.verify(secret, code.strip()):
        web.throttle.failed(client, viewer.name)
        record_login(web.engine, viewer.name, False, client)
        return _login_page(request, "Wrong code.", 401)
    web.throttle.succeeded(client, viewer.name)
    web.sessions.complete_second_factor(request.cookies[SESSION_COOKIE])
    record_login(web.engine, viewer, True, client)
    return RedirectResponse("/", status_code=303)


@router.post("/logout", include_in_schema=False)
def logout(request: Request) -> Response:
    web = services(request)
    session = session_of(request)
    token = request.cookies.get(SESSION_COOKIE)
    if session is not None and token:
        web.sessions.end(token)
        with web.engine.begin() as conn:
            record_audit(
                conn,
                session.viewer.name,
                "logout",
                "user",
                session.viewer.user_id,
                agency=session.viewer.agency,
                client=client_address(request),
            )
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
