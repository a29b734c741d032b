"""Accounts, sessions, login throttling and their audit records, on SQLite and PostgreSQL;
and ``vidtrace user add`` as an administrator runs it."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from vidtrace.bootstrap import bootstrap
from vidtrace.cli import build_parser, main
from vidtrace.config import Settings
from vidtrace.domain.viewer import Role
from vidtrace.store.audit import audit_trail
from vidtrace.store.models import AuditEvent, LoginAttempt, User, WebSession, utcnow
from vidtrace.store.users import AccountError, UserStore, record_login
from vidtrace.web.security import totp
from vidtrace.web.security.login_throttle import LoginThrottle
from vidtrace.web.security.sessions import SessionStore

PASSWORD = "a long passphrase 42"


class Clock:
    """A clock the test moves forward."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def engine(settings: Settings) -> Engine:
    return bootstrap(settings).engine


@pytest.fixture
def users(engine: Engine) -> UserStore:
    return UserStore(engine)


def test_add_and_authenticate(users: UserStore) -> None:
    user_id = users.add("dana", PASSWORD, Role.ANALYST, "Agency NL", "admin-ann")
    viewer = users.authenticate("dana", PASSWORD)
    assert viewer is not None
    assert (viewer.user_id, viewer.name, viewer.role, viewer.agency) == (
        user_id,
        "dana",
        Role.ANALYST,
        "Agency NL",
    )
    assert viewer.agency_id is not None and viewer.blur_level == 12 and viewer.greyscale
    assert users.authenticate("dana", PASSWORD + "x") is None
    assert users.authenticate("nobody", PASSWORD) is None
    assert users.viewer(user_id) == viewer
    assert users.viewer(user_id + 1000) is None

    users.add("erik", PASSWORD, "reviewer", "Agency NL", "admin-ann")
    users.add("root", PASSWORD, Role.ADMIN, None, "admin-ann")
    listing = users.list()
    assert [u["name"] for u in listing] == ["dana", "erik", "root"]
    assert listing[0]["agency"] == listing[1]["agency"] == "Agency NL"
    assert listing[2]["agency"] is None and listing[2]["role"] == "admin"
    assert all("password" not in str(sorted(u)) for u in listing)
    assert "$argon2" not in json.dumps(listing)


def test_add_user_validations(users: UserStore) -> None:
    users.add("dana", PASSWORD, Role.ANALYST, "Agency NL", "admin-ann")
    with pytest.raises(AccountError, match="already a user 'dana'"):
        users.add("dana", PASSWORD, Role.REVIEWER, "Agency BE", "admin-ann")
    with pytest.raises(AccountError, match="at least 12 characters"):
        users.add("erik", "short", Role.ANALYST, "Agency NL", "admin-ann")
    with pytest.raises(AccountError, match="unknown role 'boss'"):
        users.add("erik", PASSWORD, "boss", "Agency NL", "admin-ann")
    with pytest.raises(AccountError, match="needs an agency"):
        users.add("erik", PASSWORD, Role.MODERATOR, None, "admin-ann")
    with pytest.raises(AccountError, match="1 to 200 characters"):
        users.add("  ", PASSWORD, Role.ADMIN, None, "admin-ann")
    assert [u["name"] for u in users.list()] == ["dana"]


def test_disabled_user_cannot_sign_in_and_loses_sessions(engine: Engine, users: UserStore) -> None:
    user_id = users.add("dana", PASSWORD, Role.ANALYST, "Agency NL", "admin-ann")
    sessions = SessionStore(engine)
    token, _ = sessions.start(user_id, "10.0.0.7", second_factor_done=True)
    other, _ = sessions.start(user_id, "10.0.0.8", second_factor_done=True)
    assert sessions.current(token) is not None

    # A disabled flag set behind the store's back still ends the session on the next request.
    with engine.begin() as conn:
        conn.execute(update(User).where(User.id == user_id).values(disabled=True))
    assert sessions.current(token) is None
    with engine.begin() as conn:
        conn.execute(update(User).where(User.id == user_id).values(disabled=False))
    assert sessions.current(token) is None, "the session was deleted, not just refused"
    assert sessions.current(other) is not None

    users.set_disabled("dana", True, "admin-ann")
    assert sessions.current(other) is None
    assert users.authenticate("dana", PASSWORD) is None
    assert users.viewer(user_id) is None
    users.set_disabled("dana", False, "admin-ann")
    assert users.authenticate("dana", PASSWORD) is not None
    with pytest.raises(AccountError, match="no user 'nobody'"):
        users.set_disabled("nobody", True, "admin-ann")


def test_sessions_expire_after_idle_time_or_logout(engine: Engine, users: UserStore) -> None:
    user_id = users.add("dana", PASSWORD, Role.ANALYST, "Agency NL", "admin-ann")
    clock = Clock()
    sessions = SessionStore(engine, idle_minutes=30, clock=clock)
    token, csrf_token = sessions.start(user_id, "10.0.0.7", second_factor_done=False)
    with engine.connect() as conn:
        stored = conn.execute(select(WebSession)).one()
    assert stored.token_hash != token and len(stored.token_hash) == 64, "only the hash is kept"

    info = sessions.current(token)
    assert info is not None and info.viewer.name == "dana"
    assert info.csrf_token == csrf_token and not info.second_factor_done
    assert info.token_hash == stored.token_hash
    sessions.complete_second_factor(token)
    assert (info := sessions.current(token)) is not None and info.second_factor_done

    clock.advance(minutes=29)
    assert sessions.current(token) is not None, "activity within the idle time keeps it alive"
    clock.advance(minutes=29)
    assert sessions.current(token) is not None, "the last request refreshed last_seen"
    clock.advance(minutes=31)
    assert sessions.current(token) is None
    with engine.connect() as conn:
        assert conn.execute(select(WebSession)).first() is None, "expired sessions are deleted"
    assert sessions.current(None) is None and sessions.current("made-up") is None

    one, _ = sessions.start(user_id, None, True)
    two, _ = sessions.start(user_id, None, True)
    three, _ = sessions.start(user_id, None, True)
    sessions.end(one)
    assert sessions.current(one) is None and sessions.current(two) is not None
    sessions.end_all(user_id)
    assert sessions.current(two) is None and sessions.current(three) is None


def test_last_seen_is_written_at_most_once_a_minute(engine: Engine, users: UserStore) -> None:
    user_id = users.add("dana", PASSWORD, Role.ANALYST, "Agency NL", "admin-ann")
    clock = Clock()
    sessions = SessionStore(engine, clock=clock)
    token, _ = sessions.start(user_id, None, second_factor_done=True)

    def last_seen() -> datetime:
        with engine.connect() as conn:
            moment = conn.scalar(select(WebSession.last_seen))
        assert isinstance(moment, datetime)
        return moment.replace(tzinfo=None)

    first = last_seen()
    clock.advance(seconds=30)
    sessions.current(token)
    assert last_seen() == first
    clock.advance(seconds=40)
    sessions.current(token)
    assert last_seen() == clock.now.replace(tzinfo=None)


def test_throttle_blocks_the_sixth_try_and_resets_on_success(engine: Engine) -> None:
    clock = Clock()
    throttle = LoginThrottle(engine, max_failures=5, window_minutes=15, clock=clock)
    for _ in range(5):
        assert throttle.allowed("10.0.0.7", "dana")
        throttle.failed("10.0.0.7", "dana")
    assert not throttle.allowed("10.0.0.7", "dana")
    assert not throttle.allowed("10.0.0.7", "DANA "), "names are compared as typed loosely"
    assert throttle.allowed("10.0.0.8", "dana"), "another client is not blocked"
    assert throttle.allowed("10.0.0.7", "erik"), "another account from this client is not"

    clock.advance(minutes=16)
    assert throttle.allowed("10.0.0.7", "dana"), "failures fall out of the window"
    for _ in range(4):
        throttle.failed("10.0.0.7", "dana")
    throttle.succeeded("10.0.0.7", "dana")
    for _ in range(4):
        throttle.failed("10.0.0.7", "dana")
    assert throttle.allowed("10.0.0.7", "dana"), "a success reset the count"
    with engine.connect() as conn:
        keys = set(conn.scalars(select(LoginAttempt.key)))
    assert all(len(k) == 64 and "dana" not in k for k in keys), "only hashed keys are stored"

    # One client trying many accounts hits the looser per-client limit (4 x max_failures).
    for n in range(20):
        throttle.failed("10.0.0.9", f"user{n}")
    assert not throttle.allowed("10.0.0.9", "someone-new")
    assert throttle.allowed("10.0.0.10", "someone-new")


def test_totp_and_exposure_settings(users: UserStore) -> None:
    user_id = users.add("dana", PASSWORD, Role.ANALYST, "Agency NL", "admin-ann")
    assert users.totp_secret(user_id) is None
    secret = users.enable_totp("dana", "admin-ann")
    assert users.totp_secret(user_id) == secret
    assert totp.verify(secret, totp.code_at(secret, 1_700_000_000), at=1_700_000_000)
    assert users.list()[0]["totp"] is True
    with pytest.raises(AccountError):
        users.enable_totp("nobody", "admin-ann")

    users.set_exposure(user_id, 0, False)
    viewer = users.viewer(user_id)
    assert viewer is not None and (viewer.blur_level, viewer.greyscale) == (0, False)
    users.set_exposure(user_id, 40, True)
    for bad in (-1, 41):
        with pytest.raises(AccountError, match="between 0 and 40"):
            users.set_exposure(user_id, bad, True)
    viewer = users.viewer(user_id)
    assert viewer is not None and (viewer.blur_level, viewer.greyscale) == (40, True)


def test_account_changes_and_logins_are_audited(engine: Engine, users: UserStore) -> None:
    user_id = users.add("dana", PASSWORD, Role.ANALYST, "Agency NL", "admin-ann")
    users.enable_totp("dana", "admin-ann")
    users.set_disabled("dana", True, "admin-ann")
    assert users.viewer(user_id) is None
    users.set_disabled("dana", False, "admin-ann")
    viewer = users.authenticate("dana", PASSWORD)
    assert viewer is not None
    record_login(engine, viewer, True, "10.0.0.7")
    record_login(engine, "mallory", False, "10.0.0.66")

    trail = audit_trail(engine, "user", user_id)
    assert [(e["actor"], e["action"]) for e in trail] == [
        ("admin-ann", "add-user"),
        ("admin-ann", "enable-totp"),
        ("admin-ann", "disable-user"),
        ("admin-ann", "enable-user"),
        ("dana", "login"),
    ]
    assert trail[0]["detail"] == {"name": "dana", "role": "analyst", "agency": "Agency NL"}
    assert "secret" not in json.dumps(trail[1]["detail"]).lower()
    with engine.connect() as conn:
        login = conn.execute(select(AuditEvent).where(AuditEvent.action == "login")).one()
        failed = conn.execute(select(AuditEvent).where(AuditEvent.action == "login-failed")).one()
    assert (login.agency, login.client) == ("Agency NL", "10.0.0.7")
    assert (failed.actor, failed.object_id, failed.client) == ("mallory", "mallory", "10.0.0.66")


def _user_command_registered() -> bool:
    return any(
        isinstance(action, argparse._SubParsersAction) and "user" in action.choices
        for action in build_parser()._actions
    )


needs_user_command = pytest.mark.skipif(
    not _user_command_registered(), reason="cli.py does not register add_user_commands yet"
)


@needs_user_command
def test_cli_user_add_reads_the_password_from_stdin(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    env = {**os.environ, "VIDTRACE_ANALYST": "admin-ann"}
    env.pop("VIDTRACE_DATABASE_URL", None)

    def vidtrace(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "vidtrace", "--workspace", str(workspace), *args]
        return subprocess.run(command, input=stdin, env=env, capture_output=True, text=True)

    add = ("user", "add", "dana", "--role", "analyst", "--agency", "Agency NL", "--totp")
    done = vidtrace(*add, stdin=PASSWORD + "\nignored second line\n")
    assert done.returncode == 0, done.stderr
    assert PASSWORD not in done.stdout + done.stderr, "the password is never echoed"
    secret = done.stdout.split("TOTP secret: ")[1].split()[0]
    assert f"otpauth://totp/vidtrace:dana?secret={secret}&" in done.stdout

    listing = json.loads(vidtrace("user", "list", "--json").stdout)
    assert [(u["name"], u["role"], u["agency"], u["totp"], u["disabled"]) for u in listing] == [
        ("dana", "analyst", "Agency NL", True, False)
    ]
    app = bootstrap(Settings(workspace=workspace, workers=1))
    users = UserStore(app.engine)
    assert users.authenticate("dana", PASSWORD) is not None, "only the first line counts"
    assert users.totp_secret(listing[0]["id"]) == secret
    assert audit_trail(app.engine, "user", listing[0]["id"])[0]["actor"] == "admin-ann"
    app.close()


@needs_user_command
def test_cli_user_refusals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("VIDTRACE_DATABASE_URL", raising=False)
    monkeypatch.setenv("VIDTRACE_ANALYST", "admin-ann")
    workspace = str(tmp_path / "ws")

    def vidtrace(*args: str, stdin: str = "") -> tuple[int, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["--workspace", workspace, *args])
        return code, capsys.readouterr().err

    add = ("user", "add", "erik", "--role", "reviewer", "--agency", "Agency BE")
    code, err = vidtrace(*add, stdin="short\n")
    assert code == 2 and "weak password" in err and "short" not in err
    code, err = vidtrace(*add, stdin="")
    assert code == 2 and "no password" in err
    assert vidtrace(*add, stdin=PASSWORD + "\n")[0] == 0
    code, err = vidtrace(*add, stdin=PASSWORD + "\n")
    assert code == 2 and "already a user 'erik'" in err
    code, err = vidtrace("user", "add", "fay", "--role", "analyst", stdin=PASSWORD + "\n")
    assert code == 2 and "needs an agency" in err
    assert vidtrace("user", "disable", "erik") == (0, "user 'erik' disabled\n")
    assert vidtrace("user", "disable", "nobody")[0] == 1
    code, _ = vidtrace("user", "list")
    assert code == 0
    assert vidtrace("user", "enable", "erik")[0] == 0
    assert main(["--workspace", workspace, "user", "totp", "erik"]) == 0
    printed = capsys.readouterr()
    assert "now signs in with a TOTP code" in printed.err and "TOTP secret: " in printed.out
    assert vidtrace("user", "totp", "nobody")[0] == 2
