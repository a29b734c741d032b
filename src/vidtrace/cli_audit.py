"""Command-line verb for the audit log: ``vidtrace audit``, newest first. Thin."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from vidtrace.bootstrap import bootstrap
from vidtrace.config import load_settings
from vidtrace.output import print_json
from vidtrace.store.audit_queries import AuditFilters, AuditQueries


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("give a number of events, 1 or more")
    return value


def cmd_audit(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    try:
        filters = AuditFilters(actor=args.actor, action=args.action)
        page = AuditQueries(app.engine).browse(filters, 1, args.limit)
    finally:
        app.close()
    if args.json:
        print_json(page.rows)
    else:
        for event in page.rows:
            print(_line(event))
    print(f"{len(page.rows)} of {page.total} events", file=sys.stderr)
    return 0


def _line(event: dict[str, Any]) -> str:
    detail = json.dumps(event["detail"], sort_keys=True) if event["detail"] else ""
    where = f" from {event['client']}" if event["client"] else ""
    return (
        f"{event['at']}  {event['actor']:<16} {event['action']:<14} "
        f"{event['object_type']} {event['object_id']}{where} {detail}"
    ).rstrip()


def add_audit_commands(commands: Any) -> None:
    """Register ``audit`` on the top-level subparsers."""
    audit = commands.add_parser("audit", help="the audit log, newest first")
    audit.add_argument("--actor", metavar="NAME", help="only this user's events")
    audit.add_argument("--action", help="only this action (view, reveal, login, ...)")
    audit.add_argument(
        "--limit", type=_positive, default=100, metavar="N", help="at most N events (100)"
    )
    audit.add_argument("--json", action="store_true", help="a JSON list on stdout")
    audit.set_defaults(func=cmd_audit)
