"""Error answers: a page in the visitor's language, JSON ``{"error": ...}`` for the sync API.
Never a stack trace; only a fault of ours is a 5xx, and its details go to the log."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from vidtrace.portal.refusals import MESSAGES, TITLES, Problem, Refused
from vidtrace.portal.services import services

log = logging.getLogger(__name__)

SYNC_PREFIX = "/sync/"


def error_page(
    request: Request, status: int, problem: Problem, language: str | None = None
) -> HTMLResponse:
    """A page saying ``problem``, in ``language`` (default: the request's)."""
    return services(request).pages.render(
        request,
        "error.html",
        {"status": status, "title": TITLES.get(status, TITLES[400]), "problem": problem},
        status=status,
        language=language,
        here="/",
    )


def _answer(
    request: Request, status: int, problem: Problem, english: str, headers: dict[str, str]
) -> Response:
    if request.url.path.startswith(SYNC_PREFIX):
        return JSONResponse({"error": english}, status_code=status, headers=headers)
    response = error_page(request, status, problem)
    response.headers.update(headers)
    return response


def describe_validation(error: RequestValidationError) -> str:
    parts = []
    for problem in error.errors():
        where = ".".join(str(p) for p in problem.get("loc", ()) if p not in {"query", "path"})
        parts.append(f"{where}: {problem.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Refused)
        english = exc.problem.text % exc.problem.values if exc.problem.values else exc.problem.text
        return _answer(request, exc.status, exc.problem, english, exc.headers)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        status = exc.status_code
        default = MESSAGES.get(status, MESSAGES[400])
        english = exc.detail if isinstance(exc.detail, str) and exc.detail else default
        headers = dict(exc.headers or {})
        return _answer(request, status, Problem(default), english, headers)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return _answer(request, 422, Problem(MESSAGES[422]), describe_validation(exc), {})

    async def unexpected_error(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _answer(request, 500, Problem(MESSAGES[500]), "an unexpected error", {})

    app.add_exception_handler(Refused, refused)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected_error)
