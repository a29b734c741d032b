"""Password hashing with argon2id (argon2-cffi's defaults, which follow RFC 9106)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()


def check_password_strength(password: str) -> None:
    """Raise ValueError, with a message for the person choosing it, for a weak password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(set(password)) < 4:
        raise ValueError("a password needs at least 4 different characters")


def hash_password(password: str) -> str:
    """The argon2 hash to store; ValueError for a weak password."""
    check_password_strength(password)
    return _hasher.hash(password)


def verify_password(hash: str, password: str) -> bool:
    """Whether ``password`` matches ``hash``. A malformed hash is a mismatch, never an error."""
    try:
        return _hasher.verify(hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(hash: str) -> bool:
    """Whether ``hash`` was made with weaker parameters than today's; rehash after a login."""
    try:
        return _hasher.check_needs_rehash(hash)
    except InvalidHashError:
        return True
