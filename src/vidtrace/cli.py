"""The command line. Thin: parse, call a service through ``bootstrap``, print text or JSON."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from vidtrace import __version__
from vidtrace.bootstrap import bootstrap
from vidtrace.cli_audit import add_audit_commands
from vidtrace.cli_clues import add_clue_commands
from vidtrace.cli_known import add_known_commands
from vidtrace.cli_objects import add_object_commands
from vidtrace.cli_portal import add_portal_commands
from vidtrace.cli_series import add_series_commands
from vidtrace.cli_sharing import add_sharing_commands
from vidtrace.cli_tips import add_tip_commands
from vidtrace.cli_users import add_user_commands
from vidtrace.cli_web import add_serve_options, add_web_commands, serve_workbench
from vidtrace.config import load_settings
from vidtrace.ingest.progress import BarProgress, SilentProgress
from vidtrace.ingest.runner import EvidenceNotFoundError
from vidtrace.output import print_json, print_summary


def country_code(text: str) -> str:
    if len(text) != 2 or not text.isalpha():
        raise argparse.ArgumentTypeError("a country is an ISO 3166-1 alpha-2 code, e.g. NL")
    return text.upper()


def cmd_init(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    print(f"workspace ready: {app.settings.workspace.resolve()}", file=sys.stderr)
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    settings = load_settings(args.workspace).with_workers(args.workers)
    app = bootstrap(settings)
    show_bar = (not args.no_progress and sys.stderr.isatty()) or args.progress
    progress = BarProgress() if show_bar else SilentProgress()
    try:
        summary = app.ingest_runner(progress).run(args.paths, args.case, args.agency, args.country)
    except EvidenceNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        app.close()
    print_summary(summary, args.json)
    return 0


def cmd_media_list(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    media = app.media().list(case=args.case, review=args.review)
    if args.json:
        print_json(media)
        return 0
    for item in media:
        where = item["occurrences"][0]["path"] if item["occurrences"] else ""
        print(f"{item['sha256'][:16]}  {item['kind']:<7} {item['size']:>10}  {where}")
    print(f"{len(media)} media", file=sys.stderr)
    return 0


def cmd_media_show(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    item = app.media().get(args.sha256.lower())
    if item is None:
        print(f"error: no media with SHA-256 {args.sha256}", file=sys.stderr)
        return 1
    item.update(app.clue_queries().media_report(item["sha256"]))
    if args.json:
        print_json(item)
        return 0
    for key, value in item.items():
        if key not in {"frames", "derivatives", "pdq_dihedral", "clues", "texts"}:
            print(f"{key:<14} {value}")
    print(f"{'frames':<14} {len(item['frames'])}")
    for clue in item["clues"]:
        print(f"{'clue':<14} #{clue['id']} {clue['kind']} {clue['value']!r} {clue['detail']}")
    for text in item["texts"]:
        print(f"{'text':<14} [{text['language'] or '?'}] {text['text'][:100]!r}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from vidtrace.demo.accounts import REVIEWERS
    from vidtrace.demo.run import run_demo
    from vidtrace.demo.trace_object import publish_demo_object, running_portal

    settings = load_settings(args.workspace)
    built = run_demo(settings, Path(args.evidence), args.json)
    if built != 0 or args.no_serve:
        return built
    with running_portal(settings, args.host, args.portal_port) as served:
        app = bootstrap(served)
        try:
            status = publish_demo_object(app, served, "analyst", REVIEWERS)
        finally:
            app.close()
        print(f"Trace an Object portal on {served.portal_url}/ (demo object: {status})")
        return serve_workbench(served, args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vidtrace", description=__doc__)
    parser.add_argument("--version", action="version", version=f"vidtrace {__version__}")
    parser.add_argument(
        "--workspace", help="workspace folder (default ./vidtrace-data or $VIDTRACE_WORKSPACE)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log details on stderr")
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("init", help="create the workspace and its database").set_defaults(
        func=cmd_init
    )

    ingest = commands.add_parser("ingest", help="read evidence folders and archives into a case")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.add_argument("--case", required=True, help="case name (created on first use)")
    ingest.add_argument("--agency", help="agency that owns the case")
    ingest.add_argument(
        "--country", type=country_code, help="the agency's country (ISO 3166-1 alpha-2, e.g. NL)"
    )
    ingest.add_argument("--workers", type=int, help="worker processes (default: all cores)")
    ingest.add_argument("--json", action="store_true", help="print the summary as JSON")
    ingest.add_argument(
        "--progress",
        action="store_true",
        help="show the progress bar even when stderr is not a terminal",
    )
    ingest.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    ingest.set_defaults(func=cmd_ingest)

    media = commands.add_parser("media", help="list and show media").add_subparsers(
        dest="media_command", required=True
    )
    listing = media.add_parser("list", help="every media item")
    listing.add_argument("--case")
    listing.add_argument(
        "--review",
        action="store_true",
        help="only media still to review: no pre-categorised or known-good media",
    )
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_media_list)
    show = media.add_parser("show", help="one media item")
    show.add_argument("sha256")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_media_show)

    add_known_commands(commands)
    add_series_commands(commands)
    add_clue_commands(commands)
    add_web_commands(commands)
    add_user_commands(commands)
    add_audit_commands(commands)
    add_sharing_commands(commands)
    add_portal_commands(commands)
    add_tip_commands(commands)
    add_object_commands(commands)

    demo = commands.add_parser(
        "demo", help="build a synthetic benign demo case, ingest it, then serve the workbench"
    )
    demo.add_argument(
        "--evidence", default="demo-evidence", help="where to write the demo evidence"
    )
    demo.add_argument("--json", action="store_true")
    demo.add_argument("--no-serve", action="store_true", help="build and ingest only")
    demo.add_argument(
        "--portal-port",
        type=int,
        default=8100,
        help="port of the Trace an Object portal started beside the workbench (default 8100)",
    )
    add_serve_options(demo)
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )
    result: int = args.func(args)
    return result
