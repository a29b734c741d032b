"""Command-line verbs for workbench accounts: user add, list, disable, enable. Thin."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from vidtrace.bootstrap import bootstrap
from vidtrace.config import load_settings
from vidtrace.domain.viewer import Role
from vidtrace.output import print_json
from vidtrace.store.users import AccountError, UserStore
from vidtrace.web.security.passwords import check_password_strength
from vidtrace.web.security.totp import provisioning_uri


def _administrator() -> str:
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
    app = bootstrap(load_settings(args.workspace))
    users = UserStore(app.engine)
    try:
        users.add(args.name, password, args.role, args.agency, _administrator())
        secret = users.enable_totp(args.name, _administrator()) if args.totp else None
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        app.close()
    print(f"user {args.name!r} added ({args.role})", file=sys.stderr)
    if secret:
        # Shown this once: the administrator hands it to the user for their authenticator app.
        print(f"TOTP secret: {secret}")
        print(f"otpauth URI: {provisioning_uri(secret, args.name)}")
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
    app = bootstrap(load_settings(args.workspace))
    try:
        UserStore(app.engine).set_disabled(args.name, disabled, _administrator())
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        app.close()
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

    listing = verbs.add_parser("list", help="every account (never passwords or secrets)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_user_list)

    disable = verbs.add_parser("disable", help="block an account and end its sessions")
    disable.add_argument("name")
    disable.set_defaults(func=lambda args: _set_disabled(args, True))
    enable = verbs.add_parser("enable", help="let a disabled account sign in again")
    enable.add_argument("name")
    enable.set_defaults(func=lambda args: _set_disabled(args, False))
