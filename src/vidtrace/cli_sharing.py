"""Command-line verbs for who sees what: ``vidtrace operation add|join|share``. Thin.

An operation (a taskforce, a joint investigation) groups agencies; a case shared with it is
visible to every agency taking part.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from vidtrace.bootstrap import bootstrap
from vidtrace.cli_users import administrator
from vidtrace.config import load_settings
from vidtrace.store.access import Sharing, SharingError


def _change(args: argparse.Namespace, change: Callable[[Sharing, str], None], done: str) -> int:
    app = bootstrap(load_settings(args.workspace))
    try:
        change(app.sharing(), administrator())
    except SharingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        app.close()
    print(done, file=sys.stderr)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    def change(sharing: Sharing, actor: str) -> None:
        sharing.add_operation(args.name, actor)
        for agency in args.agency:
            sharing.join(args.name, agency, actor)

    return _change(args, change, f"operation {args.name!r}: {len(args.agency)} agencies joined")


def cmd_join(args: argparse.Namespace) -> int:
    return _change(
        args,
        lambda sharing, actor: sharing.join(args.operation, args.agency, actor),
        f"{args.agency!r} takes part in {args.operation!r}",
    )


def cmd_share(args: argparse.Namespace) -> int:
    def change(sharing: Sharing, actor: str) -> None:
        for case in args.case:
            sharing.share_case(case, args.operation, actor)

    return _change(args, change, f"{len(args.case)} cases shared with {args.operation!r}")


def add_sharing_commands(commands: Any) -> None:
    """Register ``operation`` (add, join, share) on the top-level subparsers."""
    operation = commands.add_parser("operation", help="operations: agencies sharing cases")
    verbs = operation.add_subparsers(dest="operation_command", required=True)
    add = verbs.add_parser("add", help="create an operation (nothing happens if it exists)")
    add.add_argument("name")
    add.add_argument("--agency", action="append", default=[], help="an agency taking part")
    add.set_defaults(func=cmd_add)
    join = verbs.add_parser("join", help="let an agency take part in an operation")
    join.add_argument("operation")
    join.add_argument("agency")
    join.set_defaults(func=cmd_join)
    share = verbs.add_parser("share", help="share cases with every agency of an operation")
    share.add_argument("operation")
    share.add_argument("case", nargs="+")
    share.set_defaults(func=cmd_share)
