"""Every route of the workbench against every role: the explicit table below says who may use
each route; everyone else is refused (403 signed in; anonymous: 401 on the API, a redirect to
the sign-in page elsewhere). A route missing from the table fails the suite, so a new route
cannot ship without its row. An object of another agency answers 404, never 403.

To add a route: one row in MATRIX; if its path has a new parameter, one entry in OBJECT_IDS
(an object Agency A can see, and one only Agency B can see).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from tests.kit.tips import other_tip, own_tip
from tests.kit.trace_objects import PROPOSAL, object_in
from tests.web.conftest import PASSWORD, Workbench, csrf_of, login
from tests.web.test_admin_audit import browser, workbench_app
from vidtrace.bootstrap import bootstrap
from vidtrace.clues.analyst_clues import analyst_clue
from vidtrace.config import Settings
from vidtrace.domain.viewer import Role
from vidtrace.store.clue_reviews import ClueReviews
from vidtrace.store.models import Derivative
from vidtrace.store.users import UserStore
from vidtrace.web.deps import LOGIN_CSRF_COOKIE

ANONYMOUS = "anonymous"
ROLES = ("admin", "analyst", "reviewer", "moderator", "read-only")
EVERYONE = frozenset({*ROLES, ANONYMOUS})
SIGNED_IN = frozenset(ROLES)  # the view permission: every role
REVEALERS = frozenset({"admin", "analyst", "reviewer"})
ANNOTATORS = frozenset({"admin", "analyst", "reviewer"})
DECIDERS = frozenset({"admin", "analyst"})
MODERATORS = frozenset({"admin", "moderator"})
OBJECT_REVIEWERS = frozenset({"admin", "reviewer"})
ADMINS = frozenset({"admin"})

# (method, path as declared) -> who may use it. Keep one row per route of create_app.
MATRIX: dict[tuple[str, str], frozenset[str]] = {
    # signing in and out
    ("GET", "/login"): EVERYONE,
    ("POST", "/login"): EVERYONE,
    ("POST", "/login/code"): EVERYONE,
    ("POST", "/logout"): EVERYONE,
    # triage and the viewer's own settings
    ("GET", "/"): SIGNED_IN,
    ("GET", "/api/triage"): SIGNED_IN,
    ("GET", "/api/me"): SIGNED_IN,
    ("GET", "/me/exposure"): SIGNED_IN,
    ("POST", "/me/exposure"): SIGNED_IN,
    # media
    ("GET", "/media/{sha256}/thumbnail"): SIGNED_IN,
    ("POST", "/media/{sha256}/reveal"): REVEALERS,
    ("GET", "/media/{sha256}/full"): REVEALERS,
    ("GET", "/media/{sha256}/download"): REVEALERS,
    ("GET", "/media/{sha256}"): SIGNED_IN,
    ("GET", "/api/media/{sha256}"): SIGNED_IN,
    ("GET", "/media/{sha256}/keyframes/{position}"): SIGNED_IN,
    ("POST", "/media/{sha256}/clues"): ANNOTATORS,
    ("POST", "/clues/{clue_id}/confirm"): ANNOTATORS,
    ("POST", "/clues/{clue_id}/reject"): ANNOTATORS,
    # series
    ("GET", "/series/{series_id}"): SIGNED_IN,
    ("GET", "/api/series/{series_id}"): SIGNED_IN,
    ("POST", "/series/{series_id}/notes"): ANNOTATORS,
    ("POST", "/series/{series_id}/status"): DECIDERS,
    ("POST", "/series/assign"): DECIDERS,
    ("POST", "/series/{series_id}/assign"): DECIDERS,
    ("POST", "/series/{series_id}/country"): DECIDERS,
    ("POST", "/series/{series_id}/merge"): DECIDERS,
    ("POST", "/series/{series_id}/split"): DECIDERS,
    ("POST", "/series/{series_id}/move"): DECIDERS,
    # search
    ("GET", "/search"): SIGNED_IN,
    ("GET", "/api/search"): SIGNED_IN,
    # administration
    ("GET", "/admin/audit"): ADMINS,
    ("GET", "/admin/audit.csv"): ADMINS,
    ("GET", "/api/audit"): ADMINS,
    ("GET", "/admin/users"): ADMINS,
    ("POST", "/admin/users/{user_id}/disable"): ADMINS,
    ("POST", "/admin/users/{user_id}/enable"): ADMINS,
    # Trace an Object: proposals, four-eyes review, withdrawal (web/routes/objects.py)
    ("GET", "/objects"): SIGNED_IN,
    ("GET", "/api/objects"): SIGNED_IN,
    ("GET", "/objects/{object_id}"): SIGNED_IN,
    ("GET", "/api/objects/{object_id}"): SIGNED_IN,
    ("GET", "/objects/{object_id}/thumbnail"): SIGNED_IN,
    ("GET", "/objects/{object_id}/preview"): REVEALERS,
    ("POST", "/media/{sha256}/objects"): ANNOTATORS,
    ("POST", "/objects/{object_id}/approve"): OBJECT_REVIEWERS,
    ("POST", "/objects/{object_id}/reject"): OBJECT_REVIEWERS,
    ("POST", "/objects/{object_id}/publish"): OBJECT_REVIEWERS,
    ("POST", "/objects/{object_id}/withdraw"): ADMINS,
    # Trace an Object: tips from the public, moderation (web/routes/tips.py)
    ("GET", "/tips"): MODERATORS,
    ("GET", "/api/tips"): MODERATORS,
    ("POST", "/tips/pull"): MODERATORS,
    ("POST", "/tips/{tip_id}/mark"): MODERATORS,
    ("GET", "/admin/portal-statistics"): ADMINS,
    ("POST", "/admin/portal-statistics"): ADMINS,
}

# Routes that end the session run after every other route of that role.
LAST = {("POST", "/logout")}
ALLOWED_ERRORS = {400, 422}  # an allowed request the service turns down (bad or missing fields)


@dataclass
class Objects:
    """The bench's objects and the extra accounts this module adds."""

    bench: Workbench
    target_user: int
    clues: dict[str, int]  # "own" (on a-1), "other" (on c-1)
    # Objects that a route family makes on first use (from its kit in tests/kit/), by name.
    made: dict[str, Any] = field(default_factory=dict)


# Form fields per route. A form that fails validation answers 422 before the permission is
# checked, so a refusal is only seen with valid fields. The series edits are chosen to be
# turned down by the service (400) after the permission check, so no role's run changes what
# the next role sees.
FORMS: dict[tuple[str, str], Callable[[Objects], dict[str, str]]] = {
    ("POST", "/me/exposure"): lambda o: {"blur_level": "12", "greyscale": "true"},
    ("POST", "/media/{sha256}/clues"): lambda o: {"kind": "sign", "value": "x", "countries": "NL"},
    ("POST", "/series/{series_id}/notes"): lambda o: {"text": "role matrix"},
    ("POST", "/series/{series_id}/status"): lambda o: {"status": "in analysis"},
    ("POST", "/series/assign"): lambda o: {"series": str(o.bench.series["a"]), "assignee": "alice"},
    ("POST", "/series/{series_id}/assign"): lambda o: {"assignee": "alice"},
    ("POST", "/series/{series_id}/country"): lambda o: {"country": "NL"},
    ("POST", "/series/{series_id}/merge"): lambda o: {"others": str(o.bench.series["a"])},
    ("POST", "/series/{series_id}/move"): lambda o: {
        "media": o.bench.media["a-1"],
        "to": str(o.bench.series["a"]),
    },
    # Trace an Object: proposals (forms)
    ("POST", "/media/{sha256}/objects"): lambda o: dict(PROPOSAL),
    ("POST", "/objects/{object_id}/reject"): lambda o: {"reason": "role matrix"},
    ("POST", "/objects/{object_id}/withdraw"): lambda o: {"reason": "role matrix"},
    # Trace an Object: tips (forms)
    ("POST", "/tips/{tip_id}/mark"): lambda o: {"status": "forwarded"},
    ("POST", "/admin/portal-statistics"): lambda o: {
        "countries_narrowed": "1",
        "children_identified": "0",
        "offenders_prosecuted": "0",
    },
}


# Path parameter -> (an object of Agency A's, an object only Agency B may see). None for
# "other" when the object belongs to no agency (accounts).
OBJECT_IDS: dict[str, tuple[Callable[[Objects], str], Callable[[Objects], str] | None]] = {
    "sha256": (lambda o: o.bench.media["a-1"], lambda o: o.bench.media["c-1"]),
    "series_id": (lambda o: str(o.bench.series["a"]), lambda o: str(o.bench.series["c"])),
    "user_id": (lambda o: str(o.target_user), None),
    "clue_id": (lambda o: str(o.clues["own"]), lambda o: str(o.clues["other"])),
    "position": (lambda o: "0", lambda o: "0"),
    # Trace an Object: proposals (path parameters)
    "object_id": (
        lambda o: object_in(o.made, o.bench.app, "alice", o.bench.media["a-1"]),
        lambda o: object_in(o.made, o.bench.app, "bob", o.bench.media["c-1"]),
    ),
    # Trace an Object: tips (path parameters)
    "tip_id": (lambda o: str(own_tip(o)), lambda o: str(other_tip(o))),
}
PARAMETER = re.compile(r"{([^}:]+)(?::[^}]*)?}")


def app_routes(web: FastAPI) -> set[tuple[str, str]]:
    """(method, path) for every route of ``web`` but the static files and the schema."""
    found = set()
    # web.routes holds included routers unexpanded; this walks into them, as the schema does.
    for route in iter_route_contexts(web.routes):
        path = route.path or ""
        if path.startswith("/static") or path == "/openapi.json":
            continue
        found.update((method, path) for method in route.methods or () if method != "HEAD")
    return found


def concrete(path: str, objects: Objects, own: bool) -> str | None:
    """The path with each parameter filled in; None when there is no "other agency" object."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in OBJECT_IDS, f"no object for path parameter {name!r}: add it to OBJECT_IDS"
        mine, theirs = OBJECT_IDS[name]
        chosen = mine if own else theirs
        if chosen is None:
            raise LookupError(name)
        return chosen(objects)

    try:
        return PARAMETER.sub(fill, path)
    except LookupError:
        return None


@pytest.fixture
def objects(workbench: Workbench) -> Objects:
    users = UserStore(workbench.app.engine)
    users.add("rita", PASSWORD, Role.REVIEWER, "Agency A", "test")
    users.add("mona", PASSWORD, Role.MODERATOR, "Agency A", "test")
    target = users.add("target", PASSWORD, Role.ANALYST, "Agency A", "test")
    reviews = ClueReviews(workbench.app.engine)
    clues = {
        side: reviews.add(analyst_clue(workbench.media[stem], "sign", "x", "test", {"NL": 1.0}))
        for side, stem in (("own", "a-1"), ("other", "c-1"))
    }
    with workbench.app.engine.begin() as conn:
        # A keyframe for the image, reusing its thumbnail: the bench has no video.
        table = Derivative.__table__
        thumbs = conn.execute(select(table).where(table.c.role == "thumbnail")).all()
        frames = [{**row._asdict(), "role": "keyframe"} for row in thumbs]
        conn.execute(insert(table), frames)
    return Objects(workbench, target, clues)


SIGN_IN_AS = {
    "admin": "admin",
    "analyst": "alice",
    "reviewer": "rita",
    "moderator": "mona",
    "read-only": "reader",
}


def client_as(objects: Objects, role: str) -> tuple[TestClient, str]:
    """A browser signed in with ``role`` (or anonymous) and its CSRF token."""
    client = browser(objects.bench)
    if role == ANONYMOUS:
        client.get("/login")  # the double-submit cookie, so CSRF passes and sign-in is judged
        return client, client.cookies.get(LOGIN_CSRF_COOKIE) or ""
    login(client, SIGN_IN_AS[role])
    return client, csrf_of(client)


def send(
    client: TestClient, method: str, url: str, token: str, form: dict[str, str] | None = None
) -> httpx.Response:
    headers = {"X-CSRF-Token": token} if method != "GET" else {}
    return client.request(method, url, headers=headers, data=form, follow_redirects=False)


def form_of(route: tuple[str, str], objects: Objects) -> dict[str, str] | None:
    make = FORMS.get(route)
    return make(objects) if make else None


def refused(role: str, response: httpx.Response) -> bool:
    if role != ANONYMOUS:
        return response.status_code == 403
    redirected = response.status_code == 303 and response.headers["location"] == "/login"
    return response.status_code == 401 or redirected


def served(response: httpx.Response) -> bool:
    status = response.status_code
    return 200 <= status < 400 or status in ALLOWED_ERRORS


def test_every_route_is_in_the_matrix(tmp_path: Path) -> None:
    app = bootstrap(Settings(workspace=tmp_path / "workspace"))
    try:
        routes = app_routes(workbench_app(app))
    finally:
        app.close()
    missing = sorted(routes - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes)
    assert not missing, f"routes without a row in MATRIX: {missing}"
    assert not stale, f"rows in MATRIX for routes that do not exist: {stale}"


def test_each_role_reaches_exactly_its_routes(objects: Objects) -> None:
    ordered = sorted(MATRIX, key=lambda route: (route in LAST, route))
    wrong = []
    for role in (*ROLES, ANONYMOUS):
        client, token = client_as(objects, role)
        for method, path in ordered:
            url = concrete(path, objects, own=True)
            assert url is not None
            response = send(client, method, url, token, form_of((method, path), objects))
            if role in MATRIX[(method, path)]:
                # Signing out sends everyone to the sign-in page; elsewhere that means refused.
                sent_to_login = refused(role, response) and (method, path) not in LAST
                ok, expected = served(response) and not sent_to_login, "allowed"
            else:
                ok, expected = refused(role, response), "refused"
            if not ok:
                wrong.append(f"{role} {method} {url}: {expected}, got {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_another_agencys_object_is_not_found(objects: Objects) -> None:
    """Visibility is checked before permission: even a role that may not use the route learns
    nothing about whether Agency B's object exists."""
    wrong = []
    for role in ("analyst", "read-only"):
        client, token = client_as(objects, role)
        for method, path in sorted(MATRIX):
            url = concrete(path, objects, own=False)
            if "{" not in path or (method, path) in LAST or url is None:
                continue
            form = form_of((method, path), objects)
            status = send(client, method, url, token, form).status_code
            if status != 404:
                wrong.append(f"{role} {method} {url}: expected 404, got {status}")
    assert not wrong, "\n".join(wrong)
