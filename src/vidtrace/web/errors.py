"""Error answers without stack traces: JSON ``{"error": ...}`` for the API and media, a small
page for everything else. Bad input is a 4xx naming the parameter; only a fault of ours is a
5xx, and its details go to the log, never to the client."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from vidtrace.web.deps import SignInRequired, services

log = logging.getLogger(__name__)

JSON_PREFIXES = ("/api/",)
MEDIA_PREFIX = "/media/"
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


# Where FastAPI found a parameter: left out of messages, which name the parameter alone.
LOCATIONS = frozenset({"query", "body", "path", "header", "cookie"})


def wants_json(request: Request) -> bool:
    """JSON for the API, for what scripts fetch below a media item (its thumbnail, reveal,
    clues) and for whoever asks for it; the item's own page (``/media/{sha256}``) and every
    other page answer an error page."""
    path = request.url.path
    if path.startswith(JSON_PREFIXES) or "application/json" in request.headers.get("accept", ""):
        return True
    return path.startswith(MEDIA_PREFIX) and path.rstrip("/").count("/") > 2


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
        where = ".".join(str(p) for p in problem.get("loc", ()) if p not in LOCATIONS)
        parts.append(f"{where}: {problem.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


ERROR_ANSWER = {
    "title": "ErrorAnswer",
    "type": "object",
    "properties": {"error": {"type": "string", "description": "what was wrong, for a person"}},
    "required": ["error"],
}
REFUSED = {
    "description": "Refused: bad parameters (422), not signed in (401), not allowed (403), or "
    "nothing visible at this address (404; an object of another agency answers the same)",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorAnswer"}}},
}


def document_error_answers(app: FastAPI) -> None:
    """Make the OpenAPI schema say what the handlers below answer: ``{"error": message}``
    for every 4xx. FastAPI documents only a 422 of its own shape (``{"detail": [...]}``),
    which this app never sends; a client built from the schema would misread every error."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()  # FastAPI's, cached on the app after the first call
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        components["ErrorAnswer"] = ERROR_ANSWER
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                responses.pop("422", None)
                responses["4XX"] = REFUSED
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error as :func:`error_response` does, and document those answers."""
    document_error_answers(app)

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

    async def refused_value(request: Request, exc: Exception) -> Response:
        # The database refused a value of the request (a number out of its range, a character
        # it cannot hold) that slipped past the parameter checks: the request's fault, not an
        # outage. Logged so the missing check can be added.
        log.warning(
            "value refused by the store on %s %s: %s", request.method, request.url.path, exc
        )
        return error_response(request, 400, "a value in this request cannot be stored or looked up")

    async def unexpected_error(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "an unexpected error; it was logged")

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(SignInRequired, sign_in_required)
    app.add_exception_handler(DataError, refused_value)
    app.add_exception_handler(SQLAlchemyError, storage_error)
    app.add_exception_handler(Exception, unexpected_error)
