"""Command-line verbs for clues and the country of production. Thin: the work is in clues/."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vidtrace.bootstrap import bootstrap
from vidtrace.cli_series import analyst_name
from vidtrace.clues.analyst_clues import analyst_clue, parse_box, parse_countries
from vidtrace.clues.kinds import CLUE_KINDS, ClueError
from vidtrace.clues.ranking import ranking_to_json, ranking_to_text
from vidtrace.config import load_settings
from vidtrace.domain.clue import ClueStatus
from vidtrace.output import print_json, print_summary


def cmd_extract(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    try:
        runner = app.clue_runner(args.workers, not args.foreground, args.include_known)
        summary = runner.run()
    finally:
        app.close()
    print_summary(summary, args.json)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    listing = app.clue_queries().find(args.kind, args.status, args.series, args.media)
    app.close()
    if args.json:
        print_json(listing)
        return 0
    for clue in listing:
        countries = ",".join(list(clue["countries"])[:6])
        print(
            f"#{clue['id']:<6} {clue['kind']:<10} {clue['status']:<9} {clue['value'][:40]:<40}"
            f" {countries:<20} {clue['media'][:12]} series {clue['series']}"
        )
    print(f"{len(listing)} clues", file=sys.stderr)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    try:
        clue = analyst_clue(
            args.media,
            args.kind,
            args.value,
            analyst_name(args),
            parse_countries(args.countries) if args.countries else None,
            parse_box(args.box) if args.box else None,
            args.seconds,
        )
        clue_id = app.clue_reviews().add(clue)
    except ClueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        app.close()
    print(f"clue {clue_id} added: {args.kind} {args.value!r} -> {', '.join(clue.countries)}")
    return 0


def _review(args: argparse.Namespace, status: ClueStatus) -> int:
    app = bootstrap(load_settings(args.workspace))
    try:
        app.clue_reviews().review(args.id, status, analyst_name(args), args.reason or "")
    except ClueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        app.close()
    print(f"clue {args.id} {status}", file=sys.stderr)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    found = app.clue_queries().search_text(args.words)
    app.close()
    if args.json:
        print_json(found)
        return 0
    for hit in found:
        text = " ".join(hit["text"].split())
        print(f"{hit['media'][:16]} series {hit['series']} [{hit['language'] or '?'}] {text[:90]}")
    print(f"{len(found)} texts", file=sys.stderr)
    return 0


def cmd_kinds(args: argparse.Namespace) -> int:
    from vidtrace.clues.reference import TABLE_SOURCES

    kinds = [
        {
            "kind": k.name,
            "label": k.label,
            "reliability": k.reliability,
            "error_rate": k.error_rate,
            "strong": k.strong,
            "automatic": k.automatic,
        }
        for k in CLUE_KINDS.values()
    ]
    if args.json:
        print_json({"kinds": kinds, "reference_tables": TABLE_SOURCES})
        return 0
    for k in kinds:
        flags = " ".join(f for f, on in (("strong", k["strong"]), ("auto", k["automatic"])) if on)
        print(f"{k['kind']:<14} {k['label']:<36} weight {k['reliability']:<4} {flags}")
    for table, source in TABLE_SOURCES.items():
        print(f"table {table}: {source}")
    return 0


def cmd_country(args: argparse.Namespace) -> int:
    if (args.series is None) == (args.media is None):
        print("error: give a SERIES_ID or --media SHA256", file=sys.stderr)
        return 2
    app = bootstrap(load_settings(args.workspace))
    assessor = app.country_assessor()
    try:
        if args.decide:
            if args.series is None:
                raise ClueError("a decision is taken on a series, not on one media item")
            clue_ids = tuple(args.clue) if args.clue else None
            decided = assessor.decide(
                args.series, args.decide, analyst_name(args), clue_ids, args.note or ""
            )
            _print_decision(decided, args.json)
            return 0
        ranking = (
            assessor.rank_series(args.series)
            if args.series is not None
            else assessor.rank_media(args.media)
        )
        if args.json:
            report: dict[str, Any] = ranking_to_json(ranking)
            if args.series is not None:
                report = {"series": args.series, **report}
                report["decisions"] = app.country_decisions().history(args.series)
            print_json(report)
        else:
            print(ranking_to_text(ranking))
    except ClueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        app.close()
    return 0


def _print_decision(decided: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(decided)
        return
    print(
        f"series {decided['series']}: country of production {decided['country']}"
        f" (decided by {decided['analyst']} on clues {decided['clues'] or 'none'});"
        f" notification {decided['notification']} opened"
    )


def cmd_notifications(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    listing = app.country_decisions().notifications(args.status)
    app.close()
    if args.json:
        print_json(listing)
        return 0
    for n in listing:
        print(f"#{n['id']:<5} {n['country']} series {n['series']} {n['status']} {n['created_at']}")
    return 0


def add_clue_commands(commands: Any) -> None:
    """Register ``clues``, ``country`` and ``notifications`` on the top-level subparsers."""
    clues = commands.add_parser("clues", help="extract, list, add and review clues")
    verbs = clues.add_subparsers(dest="clues_command", required=True)
    extract = verbs.add_parser("extract", help="read new media for clues (resumable)")
    extract.add_argument("--json", action="store_true")
    extract.add_argument("--workers", type=int, default=None, help="worker processes")
    extract.add_argument(
        "--foreground", action="store_true", help="run at normal CPU priority (default: lowered)"
    )
    extract.add_argument(
        "--include-known", action="store_true", help="read known (bank-matched) material too"
    )
    extract.set_defaults(func=cmd_extract)

    listing = verbs.add_parser("list", help="clues, filtered")
    listing.add_argument("--series", type=int)
    listing.add_argument("--media", metavar="SHA256")
    listing.add_argument("--kind", choices=list(CLUE_KINDS))
    listing.add_argument("--status", choices=[str(s) for s in ClueStatus])
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_list)

    add = verbs.add_parser("add", help="mark a clue on a media item by hand")
    add.add_argument("media", metavar="SHA256")
    add.add_argument("--kind", required=True, choices=list(CLUE_KINDS))
    add.add_argument("--value", required=True, help='what was seen: "F", "EUR", "left", a text')
    add.add_argument("--countries", help="NL,BE or NL:3,BE:1 (tabled kinds fill them in)")
    add.add_argument("--box", help="x,y,width,height as fractions of the picture")
    add.add_argument("--seconds", type=float, help="the time in a video")
    add.add_argument("--analyst", help="who marks it (default: $VIDTRACE_ANALYST or login)")
    add.set_defaults(func=cmd_add)

    for verb, status in (("confirm", ClueStatus.CONFIRMED), ("reject", ClueStatus.REJECTED)):
        review = verbs.add_parser(verb, help=f"{verb} a proposed clue")
        review.add_argument("id", type=int)
        review.add_argument("--reason", help="why (kept in the audit log)")
        review.add_argument("--analyst", help="who decides (default: $VIDTRACE_ANALYST or login)")
        review.set_defaults(func=lambda args, status=status: _review(args, status))

    search = verbs.add_parser("search", help="media whose recognised text contains the words")
    search.add_argument("words")
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=cmd_search)

    kinds = verbs.add_parser("kinds", help="the clue kinds, their weights and reference tables")
    kinds.add_argument("--json", action="store_true")
    kinds.set_defaults(func=cmd_kinds)

    country = commands.add_parser(
        "country", help="rank the likely countries of production, or decide one"
    )
    country.add_argument("series", type=int, nargs="?", metavar="SERIES_ID")
    country.add_argument("--media", metavar="SHA256", help="rank one media item's clues")
    country.add_argument("--decide", metavar="CC", help="record the country of production")
    country.add_argument(
        "--clue", type=int, action="append", metavar="ID", help="a clue the decision rests on"
    )
    country.add_argument("--note", help="the reasoning, in words")
    country.add_argument("--analyst", help="who decides (default: $VIDTRACE_ANALYST or login)")
    country.add_argument("--json", action="store_true")
    country.set_defaults(func=cmd_country)

    notes = commands.add_parser("notifications", help="countries to notify of decided series")
    notes.add_argument("--status", help="only this status (pending, sent)")
    notes.add_argument("--json", action="store_true")
    notes.set_defaults(func=cmd_notifications)
