"""Workbench accounts: adding users, checking passwords, TOTP secrets and exposure settings.

Account changes are audited in the same transaction. ``authenticate`` is not: the web layer
records logins (with the client address) through ``record_login``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from vidtrace.domain.viewer import Role, Viewer
from vidtrace.store.audit import record_audit
from vidtrace.store.models import Agency, User, WebSession
from vidtrace.store.upsert import insert_ignore
from vidtrace.web.security import totp
from vidtrace.web.security.passwords import (
    check_password_strength,
    hash_password,
    needs_rehash,
    verify_password,
)

MAX_BLUR_LEVEL = 40


class AccountError(ValueError):
    """The account change cannot be made; the message says why, for the administrator."""


@cache
def _dummy_hash() -> str:
    # Verified against when the name is unknown, so that an unknown name costs as much time
    # as a wrong password and response times do not reveal which accounts exist.
    return hash_password("no such account, never valid")


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise AccountError(f"unknown role {role!r}; the roles are {known}") from None


def _viewer_query() -> Any:
    return select(
        User.id,
        User.name,
        User.role,
        User.agency_id,
        User.password_hash,
        User.totp_secret,
        User.blur_level,
        User.greyscale,
        User.disabled,
        User.created_at,
        Agency.name.label("agency_name"),
    ).outerjoin(Agency, Agency.id == User.agency_id)


def _to_viewer(row: Any) -> Viewer:
    return Viewer(
        user_id=row.id,
        name=row.name,
        role=Role(row.role),
        agency_id=row.agency_id,
        agency=row.agency_name,
        blur_level=row.blur_level,
        greyscale=row.greyscale,
    )


class UserStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(
        self, name: str, password: str, role: Role | str, agency: str | None, actor: str
    ) -> int:
        """Create an account; its id. The agency (by name) is created if new. Every role but
        admin needs an agency. AccountError for a taken name, a weak password or a bad role."""
        name = name.strip()
        if not name or len(name) > 200:
            raise AccountError("a user name needs 1 to 200 characters")
        chosen = _role(role)
        agency = (agency or "").strip() or None
        if agency is None and chosen is not Role.ADMIN:
            raise AccountError(f"a {chosen.value} user needs an agency (--agency)")
        try:
            check_password_strength(password)
        except ValueError as error:
            raise AccountError(str(error)) from None
        password_hash = hash_password(password)
        try:
            with self.engine.begin() as conn:
                if conn.scalar(select(User.id).where(User.name == name)) is not None:
                    raise AccountError(f"there is already a user {name!r}")
                agency_id = self._ensure_agency(conn, agency)
                user_id = conn.execute(
                    insert(User)
                    .values(
                        name=name,
                        password_hash=password_hash,
                        role=chosen.value,
                        agency_id=agency_id,
                    )
                    .returning(User.id)
                ).scalar_one()
                detail = {"name": name, "role": chosen.value, "agency": agency}
                record_audit(conn, actor, "add-user", "user", user_id, detail)
        except IntegrityError:
            # Someone added the same name at the same moment.
            raise AccountError(f"there is already a user {name!r}") from None
        return user_id

    @staticmethod
    def _ensure_agency(conn: Connection, agency: str | None) -> int | None:
        if agency is None:
            return None
        insert_ignore(conn, Agency.__table__, [{"name": agency}], ["name"])  # type: ignore[arg-type]
        return conn.scalar(select(Agency.id).where(Agency.name == agency))

    def authenticate(self, name: str, password: str) -> Viewer | None:
        """The viewer for a correct name and password; None for an unknown name, a disabled
        account or a wrong password (the caller cannot tell which, by design)."""
        with self.engine.connect() as conn:
            row = conn.execute(_viewer_query().where(User.name == name.strip())).first()
        if row is None:
            verify_password(_dummy_hash(), password)
            return None
        if not verify_password(row.password_hash, password) or row.disabled:
            return None
        if needs_rehash(row.password_hash):
            with self.engine.begin() as conn:
                conn.execute(
                    update(User)
                    .where(User.id == row.id)
                    .values(password_hash=hash_password(password))
                )
        return _to_viewer(row)

    def viewer(self, user_id: int) -> Viewer | None:
        """The viewer for an account; None when it does not exist or is disabled."""
        with self.engine.connect() as conn:
            row = conn.execute(_viewer_query().where(User.id == user_id)).first()
        if row is None or row.disabled:
            return None
        return _to_viewer(row)

    def viewer_named(self, name: str) -> Viewer | None:
        """The viewer for account ``name``; None when it does not exist or is disabled."""
        with self.engine.connect() as conn:
            row = conn.execute(_viewer_query().where(User.name == name)).first()
        if row is None or row.disabled:
            return None
        return _to_viewer(row)

    def _user_id(self, conn: Connection, name: str) -> int:
        user_id = conn.scalar(select(User.id).where(User.name == name))
        if user_id is None:
            raise AccountError(f"there is no user {name!r}")
        return user_id

    def enable_totp(self, name: str, actor: str) -> str:
        """Give the account a new TOTP secret (replacing any old one); the secret, to show once."""
        secret = totp.new_secret()
        with self.engine.begin() as conn:
            user_id = self._user_id(conn, name)
            conn.execute(update(User).where(User.id == user_id).values(totp_secret=secret))
            record_audit(conn, actor, "enable-totp", "user", user_id, {"name": name})
        return secret

    def totp_secret(self, user_id: int) -> str | None:
        with self.engine.connect() as conn:
            return conn.scalar(select(User.totp_secret).where(User.id == user_id))

    def set_exposure(self, user_id: int, blur_level: int, greyscale: bool) -> None:
        """The user's default blur radius (0 to 40 pixels) and greyscale, until revealed."""
        if not 0 <= blur_level <= MAX_BLUR_LEVEL:
            raise AccountError(f"the blur level is between 0 and {MAX_BLUR_LEVEL}")
        with self.engine.begin() as conn:
            done = conn.execute(
                update(User)
                .where(User.id == user_id)
                .values(blur_level=blur_level, greyscale=greyscale)
            )
            if done.rowcount == 0:
                raise AccountError(f"there is no user {user_id}")

    def set_disabled(self, name: str, disabled: bool, actor: str) -> None:
        """Disable (or enable again) an account; disabling ends its sessions at once."""
        with self.engine.begin() as conn:
            user_id = self._user_id(conn, name)
            conn.execute(update(User).where(User.id == user_id).values(disabled=disabled))
            if disabled:
                conn.execute(delete(WebSession).where(WebSession.user_id == user_id))
            action = "disable-user" if disabled else "enable-user"
            record_audit(conn, actor, action, "user", user_id, {"name": name})

    def list(self) -> list[dict[str, Any]]:
        """Every account by name; never the password hash or the TOTP secret."""
        with self.engine.connect() as conn:
            rows = conn.execute(_viewer_query().order_by(User.name)).all()
        return [
            {
                "id": row.id,
                "name": row.name,
                "role": row.role,
                "agency": row.agency_name,
                "totp": row.totp_secret is not None,
                "disabled": row.disabled,
                "blur_level": row.blur_level,
                "greyscale": row.greyscale,
                "created_at": row.created_at.isoformat() if row.created_at else None,
            }
            for row in rows
        ]


def record_login(
    engine: Engine, viewer_or_name: Viewer | str, ok: bool, client: str | None
) -> None:
    """Audit a login: ``login`` with the viewer, or ``login-failed`` with the name as typed."""
    if isinstance(viewer_or_name, Viewer):
        actor, agency = viewer_or_name.name, viewer_or_name.agency
        object_id: str | int = viewer_or_name.user_id
    else:
        actor, agency, object_id = viewer_or_name[:200], None, viewer_or_name[:200]
    with engine.begin() as conn:
        action = "login" if ok else "login-failed"
        record_audit(conn, actor, action, "user", object_id, agency=agency, client=client)
