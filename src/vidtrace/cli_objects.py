"""Command-line verbs for Trace an Object proposals: ``vidtrace objects list|publish|withdraw``.
Thin: the four-eyes review happens in the workbench; here an administrator lists proposals,
retries publications the portal could not take, and withdraws a published object."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vidtrace.bootstrap import App, bootstrap
from vidtrace.cli_users import administrator
from vidtrace.config import Settings, load_settings
from vidtrace.domain.viewer import Permission, Viewer
from vidtrace.output import print_json
from vidtrace.publish.object_text import CATEGORIES
from vidtrace.publish.portal_client import PortalClient
from vidtrace.publish.publisher import PortalFactory, Publisher, WithdrawError
from vidtrace.store.object_proposals import ObjectError, ObjectProposals
from vidtrace.store.object_queries import STATUSES, ObjectQueries
from vidtrace.store.users import UserStore
from vidtrace.web.security.roles import allowed


def portal_of(settings: Settings) -> PortalFactory:
    """Clients of the portal named by the settings ($VIDTRACE_PORTAL_URL, _TOKEN)."""
    return lambda: PortalClient(settings.portal_url, settings.portal_token)


def _publisher(app: App) -> Publisher:
    return Publisher(ObjectProposals(app.engine), app.vault, portal_of(app.settings))


def cmd_list(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    try:
        rows = ObjectQueries(app.engine).listing(
            None, status=args.status, category=args.category, limit=args.limit
        )
    finally:
        app.close()
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(
                f"{row['id']:>6}  {row['status']:<10} {row['approvals']}/2  "
                f"{row['category']:<10} {row['title']}"
            )
    print(f"{len(rows)} objects", file=sys.stderr)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    try:
        outcomes = _publisher(app).publish_pending(administrator())
    finally:
        app.close()
    rows = [{"id": o.object_id, "status": o.status, "error": o.error} for o in outcomes]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(
                f"object {row['id']}: {row['status']}"
                + (f": {row['error']}" if row["error"] else "")
            )
    left = sum(1 for o in outcomes if o.status != "published")
    print(f"{len(outcomes) - left} published, {left} not", file=sys.stderr)
    return 1 if left else 0


def _admin(app: App, name: str) -> Viewer | None:
    viewer = UserStore(app.engine).viewer_named(name)
    return viewer if viewer and allowed(viewer.role, Permission.ADMINISTER) else None


def cmd_withdraw(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    try:
        viewer = _admin(app, args.actor)
        if viewer is None:
            print(f"error: {args.actor!r} is not an enabled administrator", file=sys.stderr)
            return 2
        _publisher(app).withdraw(viewer, args.id, args.reason)
    except (ObjectError, WithdrawError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        app.close()
    print(f"object {args.id} withdrawn", file=sys.stderr)
    return 0


def add_object_commands(commands: Any) -> None:
    """Register ``objects`` (list, publish, withdraw) on the top-level subparsers."""
    objects = commands.add_parser("objects", help="Trace an Object: proposed and published objects")
    verbs = objects.add_subparsers(dest="objects_command", required=True)
    listing = verbs.add_parser("list", help="proposals, newest first")
    listing.add_argument("--status", choices=STATUSES, help="only this status")
    listing.add_argument("--category", choices=CATEGORIES, help="only this category")
    listing.add_argument("--limit", type=int, default=500, metavar="N", help="at most N (500)")
    listing.add_argument("--json", action="store_true", help="a JSON list on stdout")
    listing.set_defaults(func=cmd_list)
    publish = verbs.add_parser(
        "publish", help="send approved objects the portal has not taken yet (a retry)"
    )
    publish.add_argument("--json", action="store_true", help="a JSON list of outcomes on stdout")
    publish.set_defaults(func=cmd_publish)
    withdraw = verbs.add_parser("withdraw", help="remove a published object from the portal")
    withdraw.add_argument("id", type=int, metavar="ID")
    withdraw.add_argument("--reason", required=True, help="why (kept with the object)")
    withdraw.add_argument(
        "--as", dest="actor", required=True, metavar="NAME", help="the administrator withdrawing"
    )
    withdraw.set_defaults(func=cmd_withdraw)
