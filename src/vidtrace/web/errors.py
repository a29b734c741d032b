"""Error answers without stack traces: JSON ``{"error": ...}`` for the API and media, a small
page for everything else."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from vidtrace.web.deps import SignInRequired, services

log = logging.getLogger(__name__)

JSON_PREFIXES = ("/api/", "/media/")
TITLES = {
    400: "Bad request",
    401: "Sign in first",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    422: "Bad parameters",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "Storage unavailable",
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith(JSON_PREFIXES) or "application/json" in request.headers.get(
        "accept", ""
    )


def error_response(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    return services(request).templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "title": TITLES.get(status, "Error"), "message": message},
        status_code=status,
    )


def describe_validation(error: RequestValidationError) -> str:
    parts = []
    for problem in error.errors():
        where = ".".join(str(p) for p in problem.get("loc", ()) if p not in ("query", "body"))
        parts.append(f"{where}: {problem.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        message = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "")
        if exc.status_code == 404 and message == "Not Found":
            message = "there is nothing at this address, or you may not see it"
        return error_response(request, exc.status_code, message)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return error_response(request, 422, describe_validation(exc))

    async def sign_in_required(request: Request, exc: Exception) -> Response:
        if wants_json(request):
            return JSONResponse({"error": "sign in first"}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    async def storage_error(request: Request, exc: Exception) -> Response:
        # Logged for the operator; the client learns only that nothing was served.
        log.error("storage error on %s %s: %s", request.method, request.url.path, exc)
        return error_response(request, 503, "the store is unavailable; nothing was served")

    async def unexpected_error(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "an unexpected error; it was logged")

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(SignInRequired, sign_in_required)
    app.add_exception_handler(SQLAlchemyError, storage_error)
    app.add_exception_handler(Exception, unexpected_error)
