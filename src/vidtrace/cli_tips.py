"""Command-line verbs for tips from the public (Trace an Object): ``vidtrace tips pull``,
``tips list`` and ``tips mark``. Thin.

``pull`` asks the portal at ``$VIDTRACE_PORTAL_URL`` (with ``$VIDTRACE_PORTAL_TOKEN``) for the
tips received since the last pull; running it again stores nothing twice.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vidtrace.bootstrap import bootstrap
from vidtrace.cli_users import administrator
from vidtrace.clues.kinds import ClueError
from vidtrace.config import Settings, load_settings
from vidtrace.domain.viewer import Role, Viewer
from vidtrace.output import print_json, print_summary
from vidtrace.publish.portal_client import PortalClient, PortalError
from vidtrace.publish.tip_moderation import TipModeration
from vidtrace.publish.tip_pull import pull_tips
from vidtrace.store.tip_queries import TipQueries
from vidtrace.store.tips import DECISIONS, STATUSES, TipError, TipStore

# The command line reads the whole database, as its user can anyway.
EVERYTHING = Viewer(user_id=0, name="command line", role=Role.ADMIN, agency_id=None)
PAGE = 1_000


def portal_client(settings: Settings) -> PortalClient:
    """The portal of ``settings``; PortalError without a token."""
    return PortalClient(settings.portal_url, settings.portal_token)


def cmd_pull(args: argparse.Namespace) -> int:
    settings = load_settings(args.workspace)
    app = bootstrap(settings)
    try:
        with portal_client(settings) as portal:
            result = pull_tips(portal, TipStore(app.engine), administrator())
    except PortalError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        app.close()
    print_summary(result, args.json)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    try:
        queries = TipQueries(app.engine)
        tips: list[dict[str, Any]] = []
        while True:
            found = queries.page(EVERYTHING, args.status, args.object, len(tips) // PAGE + 1, PAGE)
            tips += found["tips"]
            if len(found["tips"]) < PAGE:
                break
    finally:
        app.close()
    if args.json:
        print_json(tips)
    else:
        for tip in tips:
            where = ", ".join(filter(None, (tip["place"], tip["country"])))
            print(
                f"#{tip['id']:<6} {tip['status']:<9} {tip['object']['title'][:30]:<30} "
                f"{where[:30]:<30} {tip['text'][:60]!r}"
            )
    print(f"{len(tips)} tips", file=sys.stderr)
    return 0


def cmd_mark(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    try:
        moderator = args.moderator or administrator()
        decision = TipModeration(app.engine).mark(args.id, args.status, moderator)
    except (TipError, ClueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        app.close()
    said = f"tip #{decision.tip_id}: {decision.before} -> {decision.after}"
    if decision.clue_change:
        said += f"; clue #{decision.clue_id} {decision.clue_change}"
    print(said, file=sys.stderr)
    return 0


def add_tip_commands(commands: Any) -> None:
    """Register ``tips`` (pull, list, mark) on the top-level subparsers."""
    tips = commands.add_parser("tips", help="tips from the public about published objects")
    verbs = tips.add_subparsers(dest="tips_command", required=True)
    pull = verbs.add_parser("pull", help="fetch the tips the portal received since last time")
    pull.add_argument("--json", action="store_true", help="print the summary as JSON")
    pull.set_defaults(func=cmd_pull)
    listing = verbs.add_parser("list", help="the tips, similar ones together")
    listing.add_argument("--status", choices=STATUSES, help="only tips in this state")
    listing.add_argument("--object", type=int, metavar="ID", help="only this object's tips")
    listing.add_argument("--json", action="store_true", help="a JSON list on stdout")
    listing.set_defaults(func=cmd_list)
    mark = verbs.add_parser("mark", help="mark a tip useful, duplicate, spam or forwarded")
    mark.add_argument("id", type=int, help="the tip's number (tips list)")
    mark.add_argument("status", choices=DECISIONS)
    mark.add_argument(
        "--as",
        dest="moderator",
        default=None,
        metavar="NAME",
        help="who decides (default: $VIDTRACE_ANALYST or the login name)",
    )
    mark.set_defaults(func=cmd_mark)
