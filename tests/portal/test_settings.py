"""Where the portal's settings come from: the command line, then the environment. The token is
kept only as its SHA-256."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from vidtrace.portal.settings import (
    PortalSettings,
    PortalSettingsError,
    load_portal_settings,
)


def test_the_environment_fills_in_what_the_command_line_leaves(tmp_path: Path) -> None:
    environ = {"VIDTRACE_PORTAL_DATA": str(tmp_path / "env"), "VIDTRACE_PORTAL_TOKEN": "from-env"}
    settings = load_portal_settings(None, None, environ=environ)
    assert settings.data_dir == tmp_path / "env"
    assert settings.token_sha256 == hashlib.sha256(b"from-env").hexdigest()
    assert load_portal_settings(str(tmp_path / "cli"), None, environ=environ).data_dir == (
        tmp_path / "cli"
    )
    assert load_portal_settings(None, None, environ={}).data_dir == Path("vidtrace-portal")
    assert load_portal_settings(None, None, environ={}).token_sha256 is None


def test_a_token_file_wins_and_must_hold_a_token(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("from-file\n")
    settings = load_portal_settings(None, str(token_file), environ={"VIDTRACE_PORTAL_TOKEN": "x"})
    assert settings.token_sha256 == hashlib.sha256(b"from-file").hexdigest()
    token_file.write_text("  \n")
    with pytest.raises(PortalSettingsError, match="empty"):
        load_portal_settings(None, str(token_file), environ={})
    with pytest.raises(PortalSettingsError, match="cannot read"):
        load_portal_settings(None, str(tmp_path / "missing"), environ={})


def test_only_the_digest_is_kept(tmp_path: Path) -> None:
    settings = PortalSettings(tmp_path, token="very-secret-token")
    assert "very-secret-token" not in repr(settings)
    assert "token" not in vars(settings)
    assert "very-secret-token" not in str(vars(settings))


def test_the_command_refuses_a_missing_token_file(tmp_path: Path) -> None:
    options = ["--data", str(tmp_path / "p"), "--token-file", str(tmp_path / "missing")]
    done = subprocess.run(
        [sys.executable, "-m", "vidtrace", "portal", *options],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "cannot read the token file" in done.stderr
    assert not (tmp_path / "p").exists()
