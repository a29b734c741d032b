"""Text that people enter comes back escaped on every page that shows it, in element text and
in attribute values alike, and the Content-Security-Policy forbids inline script besides.

The older tests check one payload per field (a series name on the queue, a note, a clue value
on the media page, a failed sign-in name in the audit log); these send a script element, an
attribute break-out and a ``javascript:`` URL through every other way text gets in: the note,
clue and country forms, user and agency names, assignees, and query parameters echoed back.
SQLite only: escaping happens in the templates, whatever the database.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from tests.kit.databases import sqlite_url
from tests.web.conftest import PASSWORD, Workbench, csrf_of, login
from tests.web.test_series_page import browser
from vidtrace.store.series_edits import SeriesEdits
from vidtrace.store.users import UserStore
from vidtrace.web.headers import CONTENT_SECURITY_POLICY

SCRIPT = "<script>alert(1)</script>"
BREAK_OUT = '"><img src=x onerror=alert(1)>'
LINK = "javascript:alert(1)"
PAYLOAD = f"{SCRIPT} {BREAK_OUT} {LINK}"
# What must never reach a page unescaped: an element, or a way out of an attribute value.
RAW = ("<script>alert", "<img src=x")
SCRIPT_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "vidtrace" / "web" / "templates"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only, for this module (overrides the suite's two-database fixture)."""
    return sqlite_url(tmp_path)


def shown_escaped(page: str, text: str = PAYLOAD) -> None:
    """``text`` is on the page, escaped, and nothing of it is live markup or a script URL."""
    assert str(escape(text)) in page, f"{text!r} is not shown"
    for raw in RAW:
        assert raw not in page, f"unescaped {raw!r}"
    assert not SCRIPT_URL.search(page), "a javascript: URL in an attribute"


def submit(client: TestClient, url: str, form: dict[str, str]) -> httpx.Response:
    form = {**form, "csrf_token": csrf_of(client)}
    return client.post(url, data=form, follow_redirects=False)


def test_notes_clues_and_decisions_from_the_forms(workbench: Workbench) -> None:
    a, sha = workbench.series["a"], workbench.media["a-1"]
    alice = browser(workbench, "alice")
    assert submit(alice, f"/series/{a}/notes", {"text": PAYLOAD}).status_code == 303
    clue = {"kind": "sign", "value": PAYLOAD, "countries": "NL", "box": "0.1,0.1,0.2,0.2"}
    assert submit(alice, f"/media/{sha}/clues", clue).status_code == 303
    decision = {"country": "NL", "note": PAYLOAD}
    assert submit(alice, f"/series/{a}/country", decision).status_code == 303
    series_page = alice.get(f"/series/{a}").text
    # the note, the clue in the clues table and in the ranking, the decision's note
    assert series_page.count(str(escape(PAYLOAD))) >= 4
    shown_escaped(series_page)
    shown_escaped(alice.get(f"/media/{sha}").text)
    # The API gives the text back as it was written: JSON, which no browser runs as a page.
    data = alice.get(f"/api/series/{a}")
    assert data.json()["notes"][0]["text"] == PAYLOAD
    assert data.headers["content-type"] == "application/json"
    assert data.headers["x-content-type-options"] == "nosniff"


def test_user_agency_series_names_and_assignees(workbench: Workbench) -> None:
    a = workbench.series["a"]
    name, agency = f"eve {BREAK_OUT}", f"Agency {SCRIPT}"
    UserStore(workbench.app.engine).add(name, PASSWORD, "analyst", agency, "admin")
    UserStore(workbench.app.engine).add(f"mallory {SCRIPT}", PASSWORD, "analyst", "Agency A", "x")
    SeriesEdits(workbench.app.engine).rename(a, PAYLOAD, "admin")
    alice = browser(workbench, "alice")
    assert (
        submit(alice, f"/series/{a}/assign", {"assignee": f"mallory {SCRIPT}"}).status_code == 303
    )
    assert submit(alice, f"/series/{a}/notes", {"text": "hello"}).status_code == 303
    mallory = login(workbench.client(), f"mallory {SCRIPT}")
    assert submit(mallory, f"/series/{a}/notes", {"text": "by mallory"}).status_code == 303
    series_page = alice.get(f"/series/{a}").text
    shown_escaped(series_page)  # the name in the heading
    shown_escaped(series_page, f"mallory {SCRIPT}")  # the assignee field's value, the author
    assert f'value="{escape(f"mallory {SCRIPT}")}"' in series_page
    queue = alice.get("/").text
    shown_escaped(queue)
    shown_escaped(queue, f"mallory {SCRIPT}")
    eve_home = login(workbench.client(), name).get("/").text
    shown_escaped(eve_home, name)  # the header: who is signed in, and their agency
    shown_escaped(eve_home, agency)
    admin = browser(workbench, "admin")
    shown_escaped(admin.get("/admin/users").text, name)
    log = admin.get("/admin/audit", params={"action": "series.name"}).text
    shown_escaped(log)  # the rename's detail carries the new name


def test_query_parameters_echoed_on_pages(workbench: Workbench) -> None:
    admin = browser(workbench, "admin")
    short = BREAK_OUT[:30]
    pages = {
        "/": {"case": PAYLOAD, "assignee": PAYLOAD},
        "/admin/audit": {"actor": PAYLOAD, "object_id": PAYLOAD, "per_page": "1"},
        "/search": {"q": PAYLOAD},
    }
    for path, params in pages.items():
        response = admin.get(path, params=params)
        assert response.status_code in (200, 400), (path, response.text[:300])
        shown_escaped(response.text)
        assert f'value="{escape(PAYLOAD)}"' in response.text, path  # the form keeps it
    # Refusals that repeat what was sent repeat it escaped.
    a = workbench.series["a"]
    refused = submit(admin, f"/series/{a}/status", {"status": short})
    assert refused.status_code == 400
    shown_escaped(refused.text, short)
    refused = submit(admin, f"/series/{a}/assign", {"assignee": PAYLOAD})
    assert refused.status_code == 400
    shown_escaped(refused.text)


def test_content_security_policy_forbids_inline_script(workbench: Workbench) -> None:
    directives = dict(part.partition(" ")[::2] for part in CONTENT_SECURITY_POLICY.split("; "))
    scripts = directives.get("script-src", directives["default-src"])
    assert scripts == "'self'", "scripts only from the workbench itself: no inline, no eval"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'self'"
    alice = browser(workbench, "alice")
    for response in (alice.get("/"), alice.get("/no/such/page"), alice.get("/api/me")):
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_templates_need_no_inline_script() -> None:
    """The policy above would block inline script, so the templates must not rely on any:
    every script element loads a file, and no element carries an event-handler attribute."""
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert re.search(r'\bsrc="/static/', tag), f"{template.name}: inline {tag}"
        assert not re.search(r"\son[a-z]+\s*=", text), f"{template.name}: an on* attribute"
        assert "|safe" not in text.replace(" ", ""), f"{template.name}: autoescape turned off"
        assert "autoescape false" not in text, template.name
