"""Command-line verbs for known material: hash-set banks, matching and exports. Thin."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from vidtrace.bootstrap import bootstrap
from vidtrace.config import load_settings
from vidtrace.domain.known import DEFAULT_PDQ_THRESHOLD, MAX_PDQ_THRESHOLD, BankType
from vidtrace.export import exporters
from vidtrace.export.base import UnknownCaseError
from vidtrace.hashsets import hashset_formats
from vidtrace.hashsets.base import HashSetFormatError
from vidtrace.matching.bank_import import BankExistsError
from vidtrace.output import print_json, print_summary


def _threshold(text: str) -> int:
    value = int(text)
    if not 0 <= value <= MAX_PDQ_THRESHOLD:
        raise argparse.ArgumentTypeError(f"a PDQ threshold is 0 to {MAX_PDQ_THRESHOLD}")
    return value


def cmd_hashset_import(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    try:
        summary = app.importer().run(
            Path(args.file),
            args.name,
            format_name=args.format,
            bank_type=BankType(args.type) if args.type else None,
            pdq_threshold=args.pdq_threshold,
            replace=args.replace,
            strict=args.strict,
        )
    except (HashSetFormatError, BankExistsError, FileNotFoundError) as error:
        print(f"error: {error}; nothing was imported", file=sys.stderr)
        return 2
    finally:
        app.close()
    print_summary(summary, args.json)
    return 0


def cmd_hashset_list(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    banks = app.banks().listing()
    app.close()
    if args.json:
        print_json(banks)
        return 0
    for bank in banks:
        print(
            f"{bank['name']:<24} {bank['format']:<5} {bank['type']:<10}"
            f" pdq<={bank['pdq_threshold']:<3} {bank['entries']:>10} entries"
            f" ({bank['entries_with_pdq']} PDQ, {bank['rejected']} rejected)"
            f"  {bank['media_matched']} media matched"
        )
    print(f"{len(banks)} banks", file=sys.stderr)
    return 0


def cmd_hashset_set(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    bank_type = BankType(args.type) if args.type else None
    changed = app.banks().set_policy(args.name, args.pdq_threshold, bank_type)
    app.close()
    if not changed:
        print(f"error: no bank named {args.name!r}", file=sys.stderr)
        return 1
    print(f"bank {args.name!r} updated; run `vidtrace match` to apply it", file=sys.stderr)
    return 0


def cmd_hashset_remove(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    removed = app.banks().remove(args.name)
    app.close()
    if not removed:
        print(f"error: no bank named {args.name!r}", file=sys.stderr)
        return 1
    print(f"bank {args.name!r} removed; run `vidtrace match` to update media", file=sys.stderr)
    return 0


def cmd_match(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    summary = app.matcher().run(pending_only=args.pending)
    app.close()
    print_summary(summary, args.json)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    app = bootstrap(load_settings(args.workspace))
    exporter = exporters.get(args.format)(app.engine)
    try:
        summary = exporter.export(args.case, Path(args.output))
    except UnknownCaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        app.close()
    print(summary.to_text(), file=sys.stderr)
    return 0


def add_known_commands(commands: Any) -> None:
    """Register ``hashset``, ``match`` and ``export`` on the top-level subparsers."""
    hashset = commands.add_parser("hashset", help="import and manage hash-set banks")
    verbs = hashset.add_subparsers(dest="hashset_command", required=True)

    imp = verbs.add_parser("import", help="import a VICS, NSRL or ICSE file as a bank")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--name", required=True, help="the bank's name")
    imp.add_argument("--format", choices=hashset_formats.names(), help="default: detected")
    imp.add_argument(
        "--type",
        choices=[t.value for t in BankType],
        help="known (verdicts), known-good (hidden from review) or ignore (false-positive"
        " control); default: by format",
    )
    imp.add_argument(
        "--pdq-threshold",
        type=_threshold,
        default=DEFAULT_PDQ_THRESHOLD,
        help=f"PDQ match distance for this bank (default {DEFAULT_PDQ_THRESHOLD})",
    )
    imp.add_argument("--replace", action="store_true", help="replace a bank of the same name")
    imp.add_argument("--strict", action="store_true", help="any rejected record aborts")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(func=cmd_hashset_import)

    listing = verbs.add_parser("list", help="every bank with its policy and counts")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_hashset_list)

    policy = verbs.add_parser("set", help="change a bank's PDQ threshold or type")
    policy.add_argument("name")
    policy.add_argument("--pdq-threshold", type=_threshold)
    policy.add_argument("--type", choices=[t.value for t in BankType])
    policy.set_defaults(func=cmd_hashset_set)

    remove = verbs.add_parser("remove", help="remove a bank and its matches")
    remove.add_argument("name")
    remove.set_defaults(func=cmd_hashset_remove)

    match = commands.add_parser("match", help="match every media item against the banks")
    match.add_argument(
        "--pending", action="store_true", help="only media not matched against the current banks"
    )
    match.add_argument("--json", action="store_true")
    match.set_defaults(func=cmd_match)

    export = commands.add_parser("export", help="export a case for a partner database")
    export.add_argument("format", choices=exporters.names())
    export.add_argument("--case", required=True)
    export.add_argument("-o", "--output", required=True, metavar="FILE")
    export.set_defaults(func=cmd_export)
