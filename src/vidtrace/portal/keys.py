"""The portal's own secrets, random per portal and kept in its data folder with mode 0600:
the salt of the address hashes and the key that signs form tokens."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

KEY_BYTES = 32


def private_folder(path: Path) -> Path:
    """Create ``path`` (mode 0700) if it is missing."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def load_or_create_key(path: Path) -> bytes:
    """The key in ``path``; a new random one (written 0600) if there is none yet."""
    if not path.exists():
        # Written aside, then linked into place: a second process starting at the same moment
        # finds either no key or a whole one, never a half-written file.
        draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(secrets.token_bytes(KEY_BYTES))
                file.flush()
                os.fsync(file.fileno())
            os.link(draft, path)
        except FileExistsError:
            pass  # the other process won; its key is the one
        finally:
            draft.unlink(missing_ok=True)
    key = path.read_bytes()
    if len(key) < KEY_BYTES:
        raise ValueError(f"{path} is shorter than {KEY_BYTES} bytes: remove it to renew it")
    return key
