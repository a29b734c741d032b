"""Bad or missing parameters on every kind of route answer a 4xx that says what was wrong:
JSON ``{"error": ...}`` on the API, an error page elsewhere, never a server error and never a
stack trace. Another agency's objects answer exactly like missing ones. Both databases: their
limits differ (PostgreSQL's INTEGER ends at 2**31 - 1; it cannot hold a NUL character)."""

from __future__ import annotations

import html
import re

import httpx
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.web.conftest import Workbench, csrf_of, post_login
from tests.web.test_series_page import browser
from vidtrace.clues.analyst_clues import analyst_clue
from vidtrace.store.clue_reviews import ClueReviews
from vidtrace.store.models import ClueRow, SeriesNote
from vidtrace.web.app import create_app

TRACES = ("Traceback", 'File "', "sqlalchemy", "psycopg")
MISSING_SHA = "0" * 64
MISSING_ID = 999_999
ABSURD_NUMBERS = ("abc", "-1", "1.5", str(2**31), str(2**63), "1" + "0" * 30)
# Path parameters that hold a number; a route with another parameter must be added here.
NUMERIC_PATH_PARAMETERS = {"series_id", "clue_id", "position", "user_id", "object_id", "tip_id"}


def is_api(url: str) -> bool:
    """Where errors are JSON (see web/errors.py): the API, and what lies below a media item."""
    path = url.split("?")[0]
    return path.startswith("/api/") or (path.startswith("/media/") and path.count("/") > 2)


def refusal(response: httpx.Response, status: int) -> str:
    """The message of a clear refusal with ``status``: JSON ``{"error"}`` on the API, the
    error page elsewhere, and no trace of the server's insides either way."""
    assert response.status_code == status, (response.status_code, response.text[:400])
    for trace in TRACES:
        assert trace not in response.text, response.text[:400]
    if is_api(str(response.url.path)):
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert set(body) == {"error"} and body["error"], body
        return str(body["error"])
    assert response.headers["content-type"].startswith("text/html")
    found = re.search(r'<p class="message">(.*?)</p>', response.text, re.S)
    assert found, response.text[:400]
    return html.unescape(found.group(1))


def send(
    client: TestClient, method: str, url: str, form: dict[str, object] | None = None
) -> httpx.Response:
    """A request as the page's script or form would send it, with the session's CSRF token."""
    headers = {"X-CSRF-Token": csrf_of(client)} if method != "GET" else {}
    return client.request(method, url, data=form, headers=headers, follow_redirects=False)


def test_numeric_path_parameters_refuse_absurd_values(workbench: Workbench) -> None:
    """Every route of the app, from its route table: a number that is no number, negative,
    fractional, or beyond what the database holds is a 4xx, never an overflow."""
    admin = browser(workbench, "admin")
    token = csrf_of(admin)
    tried = 0
    # The app's routes holds the included routers unexpanded; this walks into them.
    for route in iter_route_contexts(create_app(workbench.app).routes):
        names = set(re.findall(r"{(\w+)}", route.path or ""))
        unknown = names - NUMERIC_PATH_PARAMETERS - {"sha256"}
        assert not unknown, f"{route.path}: say here which values {unknown} may take"
        for name in names & NUMERIC_PATH_PARAMETERS:
            for value in ABSURD_NUMBERS:
                url = str(route.path).replace("{sha256}", workbench.media["a-1"])
                url = re.sub(r"{\w+}", "1", url.replace(f"{{{name}}}", value))
                for method in sorted(route.methods or ()):
                    headers = {"X-CSRF-Token": token}
                    response = admin.request(method, url, headers=headers, follow_redirects=False)
                    assert 400 <= response.status_code < 500, (method, url, response.text[:300])
                    assert refusal(response, response.status_code)
                    tried += 1
    assert tried >= 6 * len(NUMERIC_PATH_PARAMETERS)


# (URL, status, what the message must say), asked by an administrator (who sees everything).
BAD_URLS = [
    ("/api/series/abc", 422, "series_id: Input should be a valid integer"),
    ("/series/abc", 422, "series_id: Input should be a valid integer"),
    (
        f"/api/series/{2**31}",
        422,
        "series_id: Input should be less than or equal to 2147483647",
    ),
    ("/series/0", 422, "series_id: Input should be greater than or equal to 1"),
    ("/api/series/1?page=-1", 422, "page: Input should be greater than or equal to 1"),
    ("/?page=-1", 422, "page: Input should be greater than or equal to 1"),
    ("/?per_page=many", 422, "per_page: Input should be a valid integer"),
    ("/api/triage?per_page=201", 422, "per_page: Input should be less than or equal to 200"),
    ("/api/triage?country=NLD", 422, "country: String should have at most 2 characters"),
    ("/?country=1!", 422, "country: String should match pattern '^[A-Za-z]{2}$'"),
    ("/api/triage?case=" + "x" * 201, 422, "case: String should have at most 200 characters"),
    ("/api/media/not-a-hash", 404, "no such media item"),
    ("/media/not-a-hash", 404, "no such media item"),
    ("/media/not-a-hash/thumbnail", 404, "no such media item"),
    (f"/media/{MISSING_SHA}/full?reveal=zz", 422, "reveal: String should match pattern"),
    (f"/media/{MISSING_SHA}/keyframes/-1", 422, "position: Input should be greater than"),
    ("/me/exposure?saved=perhaps", 422, "saved: Input should be a valid boolean"),
    ("/api/audit?since=last tuesday", 422, "since: give a date (YYYY-MM-DD) or an ISO time"),
    ("/admin/audit?until=2020-13-45", 422, "until: give a date (YYYY-MM-DD) or an ISO time"),
    ("/api/audit?since=0001-01-01T00:00%2B14:00", 422, "since: give a date"),
    ("/admin/audit.csv?since=yesterday", 422, "since: give a date"),
    ("/api/audit?actor=" + "x" * 201, 422, "actor: String should have at most 200 characters"),
    ("/api/search?q=", 422, "q: String should have at least 1 character"),
    ("/api/search?q=x&distance=99", 422, "distance: Input should be less than or equal to 31"),
    ("/search?q=x&kind=smell", 422, "kind: Input should be 'auto', 'hash'"),
    ("/api/nothing/here", 404, "there is nothing at this address, or you may not see it"),
    ("/no/such/page", 404, "there is nothing at this address, or you may not see it"),
]


def test_bad_query_and_path_parameters(workbench: Workbench) -> None:
    admin = browser(workbench, "admin")
    for url, status, message in BAD_URLS:
        assert message in refusal(admin.get(url, follow_redirects=False), status), url


def test_audit_dates_at_the_ends_of_the_calendar(workbench: Workbench) -> None:
    admin = browser(workbench, "admin")
    for query in ("until=9999-12-31", "since=0001-01-01", "since=0001-01-01T00:00-14:00"):
        response = admin.get(f"/api/audit?{query}")
        assert response.status_code == 200 and response.json()["total"] >= 1, query
    # Past the end of the calendar once turned into UTC: the caller's mistake, not an overflow.
    beyond = admin.get("/api/audit?until=9999-12-31T23:59:59-14:00")
    assert "until: give a date" in refusal(beyond, 422)


def test_forms_with_wrong_or_missing_fields(workbench: Workbench) -> None:
    a, sha = workbench.series["a"], workbench.media["a-1"]
    alice = browser(workbench, "alice")
    refused = [
        (f"/series/{a}/notes", {}, 422, "text: Field required"),
        (f"/series/{a}/notes", {"text": "x" * 10_001}, 422, "text: String should have at most"),
        (f"/series/{a}/notes", {"text": "   "}, 400, "a note cannot be empty"),
        (f"/series/{a}/status", {"status": "done?"}, 400, "unknown status 'done?'"),
        (f"/series/{a}/assign", {"assignee": "nobody"}, 400, "no user nobody"),
        (f"/series/{a}/country", {"country": "NLD"}, 422, "country: String should have at most 2"),
        (f"/series/{a}/country", {"country": "1!"}, 400, "'1!' is not an ISO 3166-1 alpha-2"),
        (f"/series/{a}/merge", {"others": "²,١"}, 400, "name the series to merge with, by id"),
        (f"/series/{a}/merge", {"others": str(2**40)}, 404, f"no series {2**40}"),
        (f"/series/{a}/move", {"media": sha, "to": "abc"}, 422, "to: Input should be a valid int"),
        (f"/series/{a}/move", {"media": sha, "to": str(2**31)}, 422, "to: Input should be less"),
        (f"/series/{a}/move", {"media": "../etc", "to": str(a)}, 404, "no such media item"),
        ("/series/assign", {"series": [str(a), str(10**30)]}, 422, "series.1: Input should be"),
        ("/me/exposure", {"blur_level": "lots"}, 422, "blur_level: Input should be a valid int"),
        (f"/media/{sha}/clues", {"kind": "sign"}, 422, "value: Field required"),
        (f"/media/{sha}/clues", {"kind": "smell", "value": "x"}, 400, "unknown clue kind 'smell'"),
        (f"/media/{sha}/clues", {"kind": "sign", "value": "x", "countries": "NL:1e999"}, 400,
         "weights must be positive and finite"),
        (f"/media/{sha}/clues", {"kind": "sign", "value": "x", "countries": "NL:nan"}, 400,
         "weights must be positive and finite"),
        (f"/media/{sha}/clues", {"kind": "sign", "value": "x", "countries": "NL:1e308,nl:1e308"},
         400, "weights must be positive and finite"),
        (f"/media/{sha}/clues", {"kind": "sign", "value": "x", "countries": "NL", "box": "a,b"},
         400, "a box is x,y,width,height (fractions)"),
    ]  # fmt: skip
    for url, form, status, message in refused:
        assert message in refusal(send(alice, "POST", url, form), status), (url, form)
    with workbench.app.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(ClueRow)) == 0
        assert conn.scalar(select(func.count()).select_from(SeriesNote)) == 0


def test_nul_characters_are_refused_before_the_store(workbench: Workbench) -> None:
    """PostgreSQL refuses NUL in text; SQLite would keep it. Both answer the same 422."""
    a, sha = workbench.series["a"], workbench.media["a-1"]
    admin = browser(workbench, "admin")
    for url, name in [
        ("/api/triage?case=a%00b", "case"),
        ("/?assignee=%00", "assignee"),
        ("/api/audit?actor=%00", "actor"),
        ("/admin/audit?object_id=x%00", "object_id"),
        ("/api/search?q=ab%00c", "q"),
    ]:
        message = refusal(admin.get(url), 422)
        assert message == f"{name}: text may not contain NUL characters", url
    for url, form in [
        (f"/series/{a}/notes", {"text": "note\x00"}),
        (f"/series/{a}/country", {"country": "NL", "note": "\x00"}),
        (f"/media/{sha}/clues", {"kind": "sign", "value": "a\x00", "countries": "NL"}),
    ]:
        message = refusal(send(admin, "POST", url, form), 422)
        assert message.endswith(": text may not contain NUL characters"), url
    with workbench.app.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(SeriesNote)) == 0
        assert conn.scalar(select(func.count()).select_from(ClueRow)) == 0
    signing_in = post_login(workbench.client(), "ad\x00min")
    assert refusal(signing_in, 422) == "name: text may not contain NUL characters"


def same_answer(hidden: httpx.Response, missing: httpx.Response, ids: tuple[str, str]) -> None:
    """``hidden`` (another agency's object) answers exactly as ``missing`` (no such object),
    up to the id each message names: status, type and body."""
    assert hidden.status_code == missing.status_code == 404, (hidden.text, missing.text)
    assert hidden.headers["content-type"] == missing.headers["content-type"]
    said, said_missing = refusal(hidden, 404), refusal(missing, 404)
    assert said.replace(ids[0], "ID") == said_missing.replace(ids[1], "ID")
    assert hidden.text.replace(said, "MESSAGE") == missing.text.replace(said_missing, "MESSAGE")


def test_another_agencys_objects_answer_like_missing_ones(workbench: Workbench) -> None:
    a, c = workbench.series["a"], workbench.series["c"]
    theirs, mine = workbench.media["c-1"], workbench.media["a-1"]
    clue = ClueReviews(workbench.app.engine).add(
        analyst_clue(theirs, "sign", "Bäckerei", "admin", {"DE": 1}, confirmed=False)
    )
    alice = browser(workbench, "alice")
    series_urls = [
        ("GET", "/api/series/{}"),
        ("GET", "/series/{}"),
        ("POST", "/series/{}/notes"),
        ("POST", "/series/{}/country"),
    ]
    for method, url in series_urls:
        form = {"text": "x", "country": "DE"}
        hidden = send(alice, method, url.format(c), form)
        missing = send(alice, method, url.format(MISSING_ID), form)
        same_answer(hidden, missing, (str(c), str(MISSING_ID)))
    media_urls = [
        ("GET", "/media/{}"),
        ("GET", "/api/media/{}"),
        ("GET", "/media/{}/thumbnail"),
        ("GET", "/media/{}/full"),
        ("GET", "/media/{}/download"),
        ("GET", "/media/{}/keyframes/0"),
        ("POST", "/media/{}/reveal"),
        ("POST", "/media/{}/clues"),
    ]
    for method, url in media_urls:
        form = {"kind": "sign", "value": "x", "countries": "NL"}
        hidden = send(alice, method, url.format(theirs), form)
        missing = send(alice, method, url.format(MISSING_SHA), form)
        same_answer(hidden, missing, (theirs, MISSING_SHA))
    for action in ("confirm", "reject"):
        hidden = send(alice, "POST", f"/clues/{clue}/{action}")
        missing = send(alice, "POST", f"/clues/{MISSING_ID}/{action}")
        same_answer(hidden, missing, (str(clue), str(MISSING_ID)))
    # Existence is judged before permission: the read-only user of Agency A is refused (403)
    # on its own agency's objects, but meets a 404 on the other agency's.
    reader = browser(workbench, "reader")
    assert refusal(send(reader, "POST", f"/series/{a}/notes", {"text": "x"}), 403)
    assert refusal(send(reader, "POST", f"/series/{c}/notes", {"text": "x"}), 404)
    assert refusal(send(reader, "POST", f"/media/{mine}/reveal"), 403)
    assert refusal(send(reader, "POST", f"/media/{theirs}/reveal"), 404)


def test_wrong_methods_answer_405(workbench: Workbench) -> None:
    admin = browser(workbench, "admin")
    sha = workbench.media["a-1"]
    assert refusal(admin.get(f"/media/{sha}/reveal"), 405) == "Method Not Allowed"
    assert refusal(admin.delete("/api/me", headers={"X-CSRF-Token": csrf_of(admin)}), 405)
