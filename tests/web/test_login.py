"""Signing in and out: passwords, the throttle, TOTP, cookie flags, CSRF, audit."""

from __future__ import annotations

import time

from sqlalchemy import select

from tests.web.conftest import Workbench, csrf_of, login, post_login
from vidtrace.store.models import AuditEvent
from vidtrace.store.users import UserStore
from vidtrace.web.deps import SESSION_COOKIE
from vidtrace.web.security import totp


def audit_actions(bench: Workbench, actor: str) -> list[str]:
    with bench.app.engine.connect() as conn:
        query = select(AuditEvent.action).where(AuditEvent.actor == actor).order_by(AuditEvent.id)
        return list(conn.scalars(query))


def test_login_ok_sets_a_strict_httponly_session_cookie(workbench: Workbench) -> None:
    client = workbench.client()
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    response = post_login(client, "alice")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE)
    )
    flags = cookie.lower()
    assert "httponly" in flags and "samesite=strict" in flags and "secure" not in flags
    assert "max-age" not in flags, "a browser session cookie; expiry is server-side"
    assert client.get("/api/me").json()["name"] == "alice"
    assert audit_actions(workbench, "alice") == ["login"]


def test_secure_cookies_when_asked(workbench: Workbench) -> None:
    from fastapi.testclient import TestClient

    from vidtrace.web.app import create_app

    client = TestClient(create_app(workbench.app, secure_cookies=True), base_url="https://t")
    workbench.clients.append(client)
    response = post_login(client, "alice")
    assert any(
        "secure" in h.lower()
        for h in response.headers.get_list("set-cookie")
        if h.startswith(SESSION_COOKIE)
    )


def test_bad_password_is_refused_and_audited(workbench: Workbench) -> None:
    client = workbench.client()
    response = post_login(client, "alice", "not the password at all")
    assert response.status_code == 401 and "Wrong name or password" in response.text
    assert client.get("/api/me").status_code == 401
    assert audit_actions(workbench, "alice") == ["login-failed"]
    post_login(client, "nobody-here", "whatever whatever")
    assert audit_actions(workbench, "nobody-here") == ["login-failed"]


def test_login_is_rate_limited(workbench: Workbench) -> None:
    client = workbench.client("10.0.0.9")
    for _ in range(5):
        assert post_login(client, "alice", "wrong password guess").status_code == 401
    blocked = post_login(client, "alice")  # even the right password, for now
    assert blocked.status_code == 429 and "Too many failed sign-ins" in blocked.text
    # another address is not blocked by this one's failures
    login(workbench.client("10.0.0.10"), "alice")


def test_totp_is_asked_before_the_session_counts(workbench: Workbench) -> None:
    secret = UserStore(workbench.app.engine).enable_totp("bob", "admin")
    client = workbench.client()
    response = post_login(client, "bob")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert "Authenticator code" in client.get("/login").text
    assert client.get("/api/me").status_code == 401, "no access before the code"
    token = csrf_of_code_form(client)
    wrong = client.post("/login/code", data={"code": "000000", "csrf_token": token})
    assert wrong.status_code == 401
    code = totp.code_at(secret, time.time())
    ok = client.post(
        "/login/code", data={"code": code, "csrf_token": token}, follow_redirects=False
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/"
    assert client.get("/api/me").json()["name"] == "bob"
    assert audit_actions(workbench, "bob")[-2:] == ["login-failed", "login"]


def test_admins_need_a_second_factor_when_the_server_requires_it(workbench: Workbench) -> None:
    from fastapi.testclient import TestClient

    from vidtrace.web.app import create_app

    strict = create_app(workbench.app, admin_totp_required=True)

    def browser() -> TestClient:
        client = TestClient(strict, raise_server_exceptions=False)
        workbench.clients.append(client)
        return client

    refused = post_login(browser(), "admin")
    assert refused.status_code == 403
    assert "requires a second factor for administrators" in refused.text
    assert "vidtrace user totp NAME" in refused.text
    assert audit_actions(workbench, "admin") == ["login-failed"]
    login(browser(), "alice")  # analysts may still choose

    secret = UserStore(workbench.app.engine).enable_totp("admin", "admin")
    client = browser()
    assert post_login(client, "admin").headers["location"] == "/login", "asked for the code"
    code = totp.code_at(secret, time.time())
    client.post("/login/code", data={"code": code, "csrf_token": csrf_of_code_form(client)})
    assert client.get("/api/me").json()["role"] == "admin"


def csrf_of_code_form(client: object) -> str:
    page = client.get("/login").text  # type: ignore[attr-defined]
    marker = 'name="csrf_token" value="'
    start = page.index(marker) + len(marker)
    return str(page[start : page.index('"', start)])


def test_posts_need_the_csrf_token(workbench: Workbench) -> None:
    client = workbench.client()
    client.get("/login")
    no_token = client.post("/login", data={"name": "alice", "password": "x" * 20})
    assert no_token.status_code == 403 and "CSRF" in no_token.text
    login(client, "alice")
    sha = workbench.media["a-1"]
    assert client.post(f"/media/{sha}/reveal").status_code == 403
    assert (
        client.post(f"/media/{sha}/reveal", headers={"X-CSRF-Token": "forged"}).status_code == 403
    )
    form = {"blur_level": "3"}
    assert client.post("/me/exposure", data=form).status_code == 403
    assert client.post("/logout").status_code == 403
    token = csrf_of(client)
    assert client.post(f"/media/{sha}/reveal", headers={"X-CSRF-Token": token}).status_code == 200


def test_logout_ends_the_session(workbench: Workbench) -> None:
    client = login(workbench.client(), "alice")
    stolen = client.cookies.get(SESSION_COOKIE)
    token = csrf_of(client)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    other = workbench.client()
    other.cookies.set(SESSION_COOKIE, stolen or "")
    assert other.get("/api/me").status_code == 401, "the old token is dead server-side"


def test_exposure_settings_are_saved(workbench: Workbench) -> None:
    client = login(workbench.client(), "alice")
    token = csrf_of(client)
    saved = client.post("/me/exposure", data={"blur_level": "5", "csrf_token": token})
    assert saved.status_code == 200 and "Saved." in saved.text
    me = client.get("/api/me").json()
    assert me["blur_level"] == 5 and me["greyscale"] is False
    bad = client.post("/me/exposure", data={"blur_level": "99", "csrf_token": token})
    assert bad.status_code == 422 and "blur_level" in bad.text and "Traceback" not in bad.text
