"""Command-line verbs for series: group, series list/show and decisions, overlaps. Thin."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from vidtrace.bootstrap import bootstrap
from vidtrace.config import load_settings
from vidtrace.output import print_json, print_summary
from vidtrace.series.linkers import linkers
from vidtrace.store.series_edits import SeriesEditError


def analyst_name(args: argparse.Namespace) -> str:
    """--analyst, else $VIDTRACE_ANALYST, else the login name."""
    return args.analyst or os.environ.get("VIDTRACE_ANALYST") or getpass.getuser()


def cmd_group(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    chosen = tuple(args.linkers.split(",")) if args.linkers else None
    try:
        summary = app.grouper(chosen).run(args.rebuild, args.relink, args.workers)
    except KeyError as error:
        print(f"error: {error.args[0]}", file=sys.stderr)
        return 2
    finally:
        app.close()
    print_summary(summary, args.json)
    return 0


def _series_line(s: dict[str, Any]) -> str:
    label = s["name"] or s["known_as"] or ""
    cases = ", ".join(c["case"] for c in s["cases"])
    links = ", ".join(f"{k} {n}" for k, n in s["links"].items())
    lock = " [locked]" if s["locked"] else ""
    if s["country_of_production"]:
        lock += f" [produced in {s['country_of_production']}]"
    return (
        f"#{s['id']:<5} {s['size']:>6} media  {label}{lock}\n        cases: {cases}; links: {links}"
    )


def cmd_series_list(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    listing = app.series().list(case=args.case)
    app.close()
    if args.json:
        print_json(listing)
        return 0
    for series in listing:
        print(_series_line(series))
    print(f"{len(listing)} series", file=sys.stderr)
    return 0


def cmd_series_show(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    series = app.series().show(args.id)
    app.close()
    if series is None:
        print(f"error: there is no series {args.id}", file=sys.stderr)
        return 1
    if args.json:
        print_json(series)
        return 0
    if "merged_into" in series:
        print(f"series {args.id} was merged into series {series['merged_into']}")
        return 0
    print(_series_line(series))
    for known in series["known_series"]:
        print(f"  known as {known['series']!r} in bank {known['bank']} ({known['media']} media)")
    print(f"  {series['link_count']} links inside; the strongest:")
    for link in series["strongest"]:
        print(f"    {link['kind']:<15} {link['a'][:12]} {link['b'][:12]}  {link['evidence']}")
    print("  members:")
    for member in series["members"]:
        where = "; ".join(f"{o['case']}: {o['path']}" for o in member["occurrences"][:2])
        pin = " (placed by an analyst)" if member["pinned"] else ""
        print(f"    {member['sha256'][:16]} {member['kind']:<6} {where}{pin}")
    for decision in series["decisions"]:
        print(f"  {decision['at']} {decision['actor']}: {decision['action']} {decision['detail']}")
    return 0


def _edit(args: argparse.Namespace, action: str) -> int:
    app = bootstrap(load_settings(args.workspace))
    edits, who = app.series_edits(), analyst_name(args)
    try:
        if action == "merge":
            print(f"merged into series {edits.merge(args.ids, who)}", file=sys.stderr)
        elif action == "split":
            print(f"split off as series {edits.split(args.id, args.media, who)}", file=sys.stderr)
        elif action == "move":
            edits.move(args.media, args.to, who)
            print(f"moved {len(args.media)} media into series {args.to}", file=sys.stderr)
        elif action in ("lock", "unlock"):
            edits.set_locked(args.id, action == "lock", who)
            print(f"series {args.id} {action}ed", file=sys.stderr)
        else:
            edits.rename(args.id, args.name, who)
            print(f"series {args.id} named {args.name!r}", file=sys.stderr)
    except SeriesEditError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        app.close()
    return 0


def cmd_overlaps(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    report = app.overlaps().report()
    app.close()
    if args.json:
        print_json(report)
        return 0
    for s in report["series"]:
        cases = "; ".join(
            f"{c['case']} ({c['agency'] or 'no agency'}, {c['country'] or '?'}): {c['media']}"
            for c in s["cases"]
        )
        print(f"series #{s['series']} ({s['size']} media) in {len(s['cases'])} cases: {cases}")
    media = report["media"]
    print(f"{len(report['series'])} series overlap between cases or agencies")
    print(f"{media['binaries_in_several_cases']} binaries are in more than one case")
    for pair in media["case_pairs"]:
        print(f"  {pair['cases'][0]} and {pair['cases'][1]}: {pair['media']} media")
    return 0


def add_series_commands(commands: Any) -> None:
    """Register ``group``, ``series`` and ``overlaps`` on the top-level subparsers."""
    group = commands.add_parser("group", help="link new media and group them into series")
    group.add_argument("--json", action="store_true")
    group.add_argument(
        "--rebuild", action="store_true", help="regroup every series no analyst decided on"
    )
    group.add_argument(
        "--relink", action="store_true", help="forget stored links and link everything again"
    )
    group.add_argument("--workers", type=int, default=1, help="processes for heavy linkers")
    group.add_argument(
        "--linkers",
        help=f"comma-separated linkers to run (default all: {','.join(linkers.names())})",
    )
    group.set_defaults(func=cmd_group)

    series = commands.add_parser("series", help="list, show and decide on series")
    verbs = series.add_subparsers(dest="series_command", required=True)
    listing = verbs.add_parser("list", help="every series, largest first")
    listing.add_argument("--case", help="only series with media in this case")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_series_list)
    show = verbs.add_parser("show", help="one series: members, links with evidence, cases")
    show.add_argument("id", type=int)
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_series_show)

    def decision(name: str, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = verbs.add_parser(name, help=help_text)
        parser.add_argument("--analyst", help="who decides (default: $VIDTRACE_ANALYST or login)")
        parser.set_defaults(func=lambda args: _edit(args, name))
        return parser

    decision("merge", "merge series into the one with the smallest id").add_argument(
        "ids", type=int, nargs="+", metavar="ID"
    )
    split = decision("split", "move members out into a new series, kept apart from this one")
    split.add_argument("id", type=int)
    split.add_argument("media", nargs="+", metavar="SHA256")
    move = decision("move", "move media into a series and pin them there")
    move.add_argument("media", nargs="+", metavar="SHA256")
    move.add_argument("--to", type=int, required=True, metavar="ID")
    decision("lock", "freeze a series: grouping no longer changes it").add_argument("id", type=int)
    decision("unlock", "let grouping change a series again").add_argument("id", type=int)
    name = decision("name", "name a series")
    name.add_argument("id", type=int)
    name.add_argument("name")

    overlaps = commands.add_parser("overlaps", help="series and media found in several cases")
    overlaps.add_argument("--json", action="store_true")
    overlaps.set_defaults(func=cmd_overlaps)
