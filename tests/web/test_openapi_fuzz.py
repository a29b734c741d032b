"""Schemathesis over the workbench's OpenAPI schema, signed in as an administrator and as an
analyst with a real session and CSRF token (without them every request would only meet the
sign-in check). Every operation of the schema is fuzzed; none may answer a server error.

SQLite only: the fuzzing is about the request handling, and the database-specific limits
(PostgreSQL's integer range, NUL in text) are pinned by tests/web/test_bad_input.py on both.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok

from tests.kit.databases import sqlite_url
from tests.web.conftest import Workbench, csrf_of, login
from vidtrace.bootstrap import bootstrap
from vidtrace.config import Settings
from vidtrace.web.app import create_app
from vidtrace.web.deps import SESSION_COOKIE

EXAMPLES = 25  # per operation, user and mode: about 1,000 requests in all
EXPLANATIONS = ("title", "description")
# Operations that must have served something to both users (each sees its own agency's media
# and series), proof that the fuzzing got past sign-in and the 404 of random ids.
REACHED = {
    "GET /api/me",
    "GET /api/triage",
    "GET /api/series/{series_id}",
    "GET /api/media/{sha256}",
    "GET /media/{sha256}/thumbnail",
    "POST /media/{sha256}/reveal",
}

# The JSON API as it must stay documented: a route dropped from the schema fails here.
EXPECTED_OPERATIONS = {
    ("GET", "/api/me"),
    ("GET", "/api/triage"),
    ("GET", "/api/audit"),
    ("GET", "/api/series/{series_id}"),
    ("GET", "/api/media/{sha256}"),
    ("GET", "/media/{sha256}/thumbnail"),
    ("POST", "/media/{sha256}/reveal"),
    ("GET", "/media/{sha256}/full"),
    ("GET", "/media/{sha256}/download"),
    ("GET", "/media/{sha256}/keyframes/{position}"),
    ("POST", "/media/{sha256}/clues"),
    ("GET", "/api/search"),
}


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only, for this module (overrides the suite's two-database fixture)."""
    return sqlite_url(tmp_path)


def signed_in(workbench: Workbench, name: str) -> dict[str, Any]:
    """What every fuzzed request carries: a live session of ``name`` and its CSRF token."""
    browser = login(workbench.client(), name)
    session = browser.cookies.get(SESSION_COOKIE)
    assert session
    return {"cookies": {SESSION_COOKIE: session}, "headers": {"X-CSRF-Token": csrf_of(browser)}}


def known_objects(workbench: Workbench) -> dict[str, list[Any]]:
    """Path values that name real objects: one of Agency A, one of Agency B."""
    return {
        "sha256": [workbench.media["a-1"], workbench.media["c-1"]],
        "series_id": [workbench.series["a"], workbench.series["c"]],
    }


def modes(operation: Any) -> list[GenerationMode]:
    """Positive, and negative where the schema rules something out: an operation whose
    parameters are all unconstrained strings (or that has none) has no invalid request."""
    raw = operation.definition.raw
    shapes = [
        {key: value for key, value in parameter["schema"].items() if key not in EXPLANATIONS}
        for parameter in raw.get("parameters", [])
    ]
    if "requestBody" in raw or any(shape != {"type": "string"} for shape in shapes):
        return [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    return [GenerationMode.POSITIVE]


def cases(operation: Any, mode: GenerationMode, known: dict[str, list[Any]]) -> Any:
    """The operation's generated requests; positive ones also with each known object in its
    path, since a random SHA-256 or id almost never names one and would only meet the 404."""
    generated = operation.as_strategy(generation_mode=mode)
    if mode is GenerationMode.NEGATIVE:
        return generated
    names = set(re.findall(r"{(\w+)}", operation.path)) & known.keys()
    pinned = [
        operation.as_strategy(path_parameters={name: value})
        for name in sorted(names)
        for value in known[name]
    ]
    return st.one_of(generated, *pinned)


def test_schema_lists_the_json_api(settings: Settings) -> None:
    app = bootstrap(settings)
    try:
        paths = create_app(app).openapi()["paths"]
    finally:
        app.close()
    listed = {(method.upper(), path) for path, operations in paths.items() for method in operations}
    assert listed >= EXPECTED_OPERATIONS, EXPECTED_OPERATIONS - listed
    for path, operations in paths.items():
        for method, operation in operations.items():
            refused = operation["responses"]["4XX"]["content"]["application/json"]["schema"]
            assert refused == {"$ref": "#/components/schemas/ErrorAnswer"}, (method, path)


# The checks, and why these: no answer is a server error; every answer's status code is one
# the schema documents (errors as "4XX", see web/errors.py) and its JSON body matches the
# documented shape ({"error": message} for errors); a request the schema rules out (negative
# mode) is refused with a 4xx. Left out: positive_data_acceptance, because the schema cannot
# say everything the app checks (a clue kind must be known, "since" must be a date, a random
# SHA-256 names nothing: 400, 422 and 404 are right there); and content_type_conformance,
# because FastAPI documents the picture routes as JSON while they answer image/jpeg.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
HYPOTHESIS = hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same cases on every run, so CI is reproducible
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def fuzz(strategy: Any, credentials: dict[str, Any], statuses: set[int]) -> None:
    """Send every generated request as the signed-in user and check its answer."""

    @HYPOTHESIS
    @given(case=strategy)
    def send(case: Any) -> None:
        response = case.call(**credentials)
        statuses.add(response.status_code)
        # The session and the CSRF token must hold for the whole run, or the fuzzing would
        # test nothing but the sign-in and CSRF checks.
        assert response.status_code != 401, response.text_lossy
        assert b"CSRF" not in response.content, response.text_lossy
        case.validate_response(response, checks=CHECKS)

    send()


@pytest.mark.parametrize("user", ["admin", "alice"])
def test_no_server_errors(workbench: Workbench, user: str, subtests: Any) -> None:
    """Every operation, with data that fits the schema and data that does not."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(workbench.app))
    known = known_objects(workbench)
    credentials = signed_in(workbench, user)
    answered: dict[str, set[int]] = {}
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        for mode in modes(operation):
            with subtests.test(msg=f"{operation.label} ({mode})"):
                statuses = answered.setdefault(operation.label, set())
                fuzz(cases(operation, mode, known), credentials, statuses)
    # The fuzzing reached past the 404 to the objects themselves.
    served = {label for label, statuses in answered.items() if statuses & {200, 201}}
    assert served >= REACHED, REACHED - served
