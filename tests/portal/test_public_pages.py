"""The public site in its five languages: chosen by the switcher (remembered in a cookie), then
by Accept-Language; every page has the strict security headers, and nothing needs a script."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.portal.kit import BEARER, Visitor, hidden_fields, new_public_id, publish
from vidtrace.portal.i18n import LANGUAGE_COOKIE, LANGUAGES, load_translations
from vidtrace.portal.security import CONTENT_SECURITY_POLICY

EXPECTED_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}


def in_language(language: str, english: str) -> str:
    return load_translations(language).gettext(english)


def html_language(page: str) -> str:
    found = re.search(r'<html lang="([a-z]+)">', page)
    assert found, "no <html lang>"
    return found.group(1)


def test_the_policy_is_exactly_the_strict_one() -> None:
    assert CONTENT_SECURITY_POLICY == (
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_page_in_every_language_by_accept_language(
    portal: FastAPI, sync: TestClient, language: str
) -> None:
    public_id = publish(sync, title="A green thermos flask", category="packaging")
    visitor = Visitor(portal, language=f"{language}-XX,en;q=0.1")
    for path, english in (
        ("/", "All objects"),
        (f"/objects/{public_id}", "Do you recognise this object?"),
        ("/privacy", "What we do not store"),
        ("/statistics", "Children identified"),
        ("/?category=packaging", "Packaging"),
    ):
        page = visitor.client.get(path)
        assert page.status_code == 200, path
        assert html_language(page.text) == language
        assert page.headers["content-language"] == language
        assert in_language(language, english) in page.text, (language, path)
        if language != "en":
            assert f">{english}<" not in page.text, (language, path)


def test_the_switcher_picks_the_language_and_a_cookie_remembers_it(portal: FastAPI) -> None:
    visitor = Visitor(portal, language="de")
    assert html_language(visitor.client.get("/").text) == "de"
    chosen = visitor.client.get("/privacy", params={"lang": "es"})
    assert html_language(chosen.text) == "es"
    assert chosen.cookies.get(LANGUAGE_COOKIE) == "es"
    assert 'href="/privacy?lang=nl"' in chosen.text
    assert html_language(visitor.client.get("/statistics").text) == "es"  # remembered
    assert html_language(visitor.client.get("/", params={"lang": "xx"}).text) == "es"


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_switcher_beats_the_browsers_language(portal: FastAPI, language: str) -> None:
    browser = "nl" if language != "nl" else "fr"
    visitor = Visitor(portal, language=browser)
    page = visitor.client.get("/statistics", params={"lang": language})
    assert html_language(page.text) == language
    assert in_language(language, "Offenders prosecuted") in page.text
    assert html_language(visitor.client.get("/").text) == language


def test_the_switcher_keeps_the_page_and_its_filter(portal: FastAPI) -> None:
    page = Visitor(portal).client.get("/", params={"category": "toys"}).text
    assert 'href="/?category=toys&amp;lang=fr"' in page
    assert 'lang="fr" hreflang="fr"' in page


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("de-CH, fr;q=0.8", "de"),
        ("pt-BR, es;q=0.5, fr;q=0.4", "es"),
        ("fr;q=0.2, nl;q=0.9", "nl"),
        ("ja, zh", "en"),
        ("", "en"),
        ("fr;q=0, de;q=x", "en"),
    ],
)
def test_accept_language_is_read_by_preference(portal: FastAPI, header: str, language: str) -> None:
    assert html_language(Visitor(portal, language=header or None).client.get("/").text) == language


def test_the_gallery_pages_and_filters(portal: FastAPI, sync: TestClient) -> None:
    for number in range(26):
        publish(sync, title=f"Bottle number {number}", category="packaging")
    publish(sync, title="A wooden toy train", category="toys")
    client = Visitor(portal, language="en").client
    first = client.get("/").text
    assert "(27 objects)" in first and "Page 1 of 2" in first
    assert "A wooden toy train" in first  # published last: the first shown
    second = client.get("/", params={"page": 2}).text
    assert second.count('class="card"') == 3
    toys = client.get("/", params={"category": "toys"}).text
    assert "(1 object)" in toys and "Bottle number" not in toys
    assert client.get("/", params={"category": "weapons"}).status_code == 404
    for page in ("0", "abc", "100000"):
        refused = client.get("/", params={"page": page})
        assert refused.status_code == 422 and "<h1>Please check what you sent</h1>" in refused.text


def test_the_object_page_is_accessible_without_script(portal: FastAPI, sync: TestClient) -> None:
    public_id = publish(sync, title="A red lamp")
    page = Visitor(portal, language="en").client.get(f"/objects/{public_id}").text
    assert "<script" not in page and " style=" not in page
    assert 'class="skip-link" href="#main"' in page and '<main id="main"' in page
    assert 'alt="Photo of the object: A red lamp"' in page
    for field in (
        "tip-text",
        "tip-country",
        "tip-place",
        "tip-email",
        "tip-consent",
        "tip-website",
    ):
        assert f'<label for="{field}">' in page
        assert f'id="{field}"' in page
    assert set(hidden_fields(page)) == {"csrf_token", "idempotency_key", "language"}
    assert '<option value="BE">Belgium</option>' in page


def test_country_names_are_localised(portal: FastAPI, sync: TestClient) -> None:
    public_id = publish(sync)
    page = Visitor(portal, language="de").client.get(f"/objects/{public_id}").text
    assert '<option value="DE">Deutschland</option>' in page
    assert '<option value="BE">Belgien</option>' in page


def test_each_form_gets_its_own_idempotency_key(portal: FastAPI, sync: TestClient) -> None:
    public_id = publish(sync)
    visitor = Visitor(portal)
    keys = {visitor.form(public_id)["idempotency_key"] for _ in range(3)}
    assert len(keys) == 3 and all(re.fullmatch(r"[A-Za-z0-9_-]{32}", key) for key in keys)


def test_unknown_and_malformed_objects_answer_a_localised_404(portal: FastAPI) -> None:
    client = Visitor(portal, language="fr").client
    for path in (f"/objects/{new_public_id()}", "/objects/not-an-id", "/nowhere"):
        page = client.get(path)
        assert page.status_code == 404
        assert in_language("fr", "Page not found") in page.text


def test_security_headers_on_every_answer(portal: FastAPI, sync: TestClient) -> None:
    public_id = publish(sync)
    visitor = Visitor(portal)
    answers = [
        visitor.client.get(path)
        for path in (
            "/",
            f"/objects/{public_id}",
            f"/objects/{public_id}/image.webp",
            "/privacy",
            "/statistics",
            "/static/portal.css",
            "/nowhere",
            "/?page=0",
        )
    ]
    answers.append(visitor.post_tip(public_id, {"text": "no token"}))  # 403
    answers.append(visitor.client.get("/sync/tips"))  # 401, JSON
    answers.append(sync.get("/sync/tips", headers=BEARER))
    answers.append(visitor.client.delete("/"))  # 405
    for answer in answers:
        for name, value in EXPECTED_HEADERS.items():
            assert answer.headers.get(name) == value, (answer.request.url, name)
        assert "server" not in answer.headers
    pages = [a for a in answers if a.headers["content-type"].startswith("text/html")]
    assert pages and all(a.headers["cache-control"] == "no-store" for a in pages)


def test_pages_carry_no_outside_assets(portal: FastAPI, sync: TestClient) -> None:
    public_id = publish(sync)
    client = Visitor(portal).client
    for path in ("/", f"/objects/{public_id}", "/privacy", "/statistics"):
        page = client.get(path).text
        for address in re.findall(r'(?:src|href|action)="([^"]*)"', page):
            assert address.startswith(("/", "?", "#")), (path, address)
    css = client.get("/static/portal.css").text
    assert "url(" not in css and "@import" not in css
