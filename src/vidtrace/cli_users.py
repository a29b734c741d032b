"""Command-line verbs for workbench accounts: user add, list, disable, enable. Thin."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from vidtrace.bootstrap import bootstrap
from vidtrace.config import load_settings
from vidtrace.domain.viewer import Role
from vidtrace.output import print_json
from vidtrace.store.users import AccountError, UserStore
from vidtrace.web.security.passwords import check_password_strength
from vidtrace.web.security.totp import provisioning_uri

T = TypeVar("T")


def administrator() -> str:
    """Who made the change, for the audit log: $VIDTRACE_ANALYST, else the login name."""
    return os.environ.get("VIDTRACE_ANALYST") or getpass.getuser()


def _read_password() -> str:
    # Piped: the first line of stdin. At a terminal: prompt without echo.
    if sys.stdin.isatty():
        return getpass.getpass("password for the new user: ")
    return sys.stdin.readline().rstrip("\r\n")


def cmd_user_add(args: argparse.Namespace) -> int:
    password = _read_password()
    if not password:
        print("error: no password given on stdin (its first line is the password)", file=sys.stderr)
        return 2
    try:
        check_password_strength(password)
    except ValueError as error:
        print(f"error: weak password: {error}", file=sys.stderr)
        return 2

    def add(users: UserStore) -> str | None:
        users.add(args.name, password, args.role, args.agency, administrator())
        return users.enable_totp(args.name, administrator()) if args.totp else None

    try:
        secret = _with_accounts(args, add)
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"user {args.name!r} added ({args.role})", file=sys.stderr)
    if secret:
        _print_totp(secret, args.name)
    return 0


def _print_totp(secret: str, name: str) -> None:
    # Shown this once: the administrator hands it to the user for their authenticator app.
    print(f"TOTP secret: {secret}")
    print(f"otpauth URI: {provisioning_uri(secret, name)}")


def _with_accounts(args: argparse.Namespace, change: Callable[[UserStore], T]) -> T:
    """``change`` applied to the workspace's accounts (its AccountError passes through)."""
    app = bootstrap(load_settings(args.workspace))
    try:
        return change(UserStore(app.engine))
    finally:
        app.close()


def cmd_user_totp(args: argparse.Namespace) -> int:
    try:
        secret = _with_accounts(args, lambda users: users.enable_totp(args.name, administrator()))
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"user {args.name!r} now signs in with a TOTP code", file=sys.stderr)
    _print_totp(secret, args.name)
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    listing = UserStore(app.engine).list()
    app.close()
    if args.json:
        print_json(listing)
        return 0
    for user in listing:
        flags = "".join(
            [" [totp]" if user["totp"] else "", " [disabled]" if user["disabled"] else ""]
        )
        print(f"{user['name']:<24} {user['role']:<10} {user['agency'] or '-'}{flags}")
    print(f"{len(listing)} users", file=sys.stderr)
    return 0


def _set_disabled(args: argparse.Namespace, disabled: bool) -> int:
    try:
        _with_accounts(args, lambda users: users.set_disabled(args.name, disabled, administrator()))
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"user {args.name!r} {'disabled' if disabled else 'enabled'}", file=sys.stderr)
    return 0


def add_user_commands(commands: Any) -> None:
    """Register ``user`` (add, list, disable, enable) on the top-level subparsers."""
    user = commands.add_parser("user", help="workbench accounts")
    verbs = user.add_subparsers(dest="user_command", required=True)

    add = verbs.add_parser("add", help="create an account; the password is read from stdin")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[role.value for role in Role])
    add.add_argument("--agency", help="the user's agency (created if new); all but admins")
    add.add_argument(
        "--totp", action="store_true", help="require a TOTP code; prints the secret once"
    )
    add.set_defaults(func=cmd_user_add)

    second = verbs.add_parser(
        "totp", help="give an account a new TOTP second factor; prints the secret once"
    )
    second.add_argument("name")
    second.set_defaults(func=cmd_user_totp)

    listing = verbs.add_parser("list", help="every account (never passwords or secrets)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_user_list)

    disable = verbs.add_parser("disable", help="block an account and end its sessions")
    disable.add_argument("name")
    disable.set_defaults(func=lambda args: _set_disabled(args, True))
    enable = verbs.add_parser("enable", help="let a disabled account sign in again")
    enable.add_argument("name")
    enable.set_defaults(func=lambda args: _set_disabled(args, False))
