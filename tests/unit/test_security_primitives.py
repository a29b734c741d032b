"""Passwords, TOTP (against RFC 6238's vectors), CSRF tokens and the role table. No database."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlparse

import pytest

from vidtrace.domain.viewer import Permission, Role
from vidtrace.web.security import csrf, totp
from vidtrace.web.security.passwords import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from vidtrace.web.security.roles import PERMISSIONS, allowed

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()

# RFC 6238 appendix B, SHA1 column: Unix time -> 8-digit TOTP.
RFC_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


def test_argon2_round_trip_and_wrong_password() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse battery!")
    assert not verify_password("not a hash", "correct horse battery")
    assert not needs_rehash(stored)
    assert hash_password("correct horse battery") != stored, "salted"


@pytest.mark.parametrize("weak", ["", "short", "a" * 40, "x" * (MIN_PASSWORD_LENGTH - 1)])
def test_weak_passwords_are_refused_with_a_reason(weak: str) -> None:
    with pytest.raises(ValueError, match="password needs"):
        hash_password(weak)


def test_a_weaker_argon2_hash_needs_rehash() -> None:
    from argon2 import PasswordHasher

    old = PasswordHasher(time_cost=1, memory_cost=8192).hash("correct horse battery")
    assert verify_password(old, "correct horse battery")
    assert needs_rehash(old)


@pytest.mark.parametrize(("at", "eight_digits"), RFC_VECTORS)
def test_totp_matches_rfc_6238(at: int, eight_digits: str) -> None:
    assert totp.code_at(RFC_SECRET, at, digits=8) == eight_digits
    assert totp.code_at(RFC_SECRET, at) == eight_digits[-6:]


def test_totp_verify_allows_one_step_of_drift_and_nothing_else() -> None:
    assert totp.verify(RFC_SECRET, "287082", at=59)
    assert totp.verify(RFC_SECRET, "287 082", at=59), "spaces as apps show them"
    assert totp.verify(RFC_SECRET, "287082", at=59 + 30), "the previous step"
    assert totp.verify(RFC_SECRET, "287082", at=59 - 30), "the next step"
    assert not totp.verify(RFC_SECRET, "287082", at=59 + 60)
    assert not totp.verify(RFC_SECRET, "287082", at=59 + 30, window=0)
    assert not totp.verify(RFC_SECRET, "287083", at=59)
    assert not totp.verify(RFC_SECRET, "94287082", at=59), "six digits only"
    assert not totp.verify(RFC_SECRET, "", at=59)
    assert not totp.verify(RFC_SECRET, "２８７０８２", at=59), "ASCII digits only"


def test_totp_secrets_are_160_random_bits_and_verify_now() -> None:
    secret = totp.new_secret()
    assert len(base64.b32decode(secret + "=" * (-len(secret) % 8))) == 20
    assert secret != totp.new_secret()
    import time

    now = time.time()
    assert totp.verify(secret, totp.code_at(secret, now))
    assert totp.verify(secret.lower(), totp.code_at(secret, now), at=now), "case-insensitive"


def test_provisioning_uri_is_what_authenticator_apps_read() -> None:
    uri = totp.provisioning_uri(RFC_SECRET, "dana smith")
    parsed = urlparse(uri)
    assert (parsed.scheme, parsed.netloc) == ("otpauth", "totp")
    assert parsed.path == "/vidtrace:dana%20smith"
    query = parse_qs(parsed.query)
    assert query == {
        "secret": [RFC_SECRET],
        "issuer": ["vidtrace"],
        "algorithm": ["SHA1"],
        "digits": ["6"],
        "period": ["30"],
    }


def test_csrf_tokens() -> None:
    token = csrf.new_token()
    assert len(token) >= 43 and token != csrf.new_token()
    assert csrf.tokens_match(token, token)
    assert not csrf.tokens_match(token, token[:-1])
    assert not csrf.tokens_match(token, None)
    assert not csrf.tokens_match(token, "")
    assert not csrf.tokens_match("", "")
    assert not csrf.tokens_match(token, "é" + token[1:]), "non-ASCII is a mismatch, not an error"


def test_role_table() -> None:
    assert set(PERMISSIONS) == set(Role)
    assert PERMISSIONS[Role.ADMIN] == frozenset(Permission)
    expected = {
        Role.ANALYST: {"view", "reveal", "annotate", "decide"},
        Role.REVIEWER: {"view", "reveal", "annotate", "review-objects"},
        Role.MODERATOR: {"view", "moderate"},
        Role.READ_ONLY: {"view"},
    }
    for role, permissions in expected.items():
        assert {p.value for p in PERMISSIONS[role]} == permissions
        for permission in Permission:
            assert allowed(role, permission) == (permission.value in permissions)
    assert not allowed(Role.ANALYST, Permission.ADMINISTER)
    with pytest.raises(TypeError):
        PERMISSIONS[Role.READ_ONLY] = frozenset(Permission)  # type: ignore[index]
