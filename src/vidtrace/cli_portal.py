"""Command-line verb for the public Trace an Object site: ``vidtrace portal``. Thin.

The portal is its own process over its own data folder (docs/decisions/008); this module
imports nothing of the evidence side, and ``--workspace`` does not apply to it.
"""

from __future__ import annotations

import argparse
import stat
import sys
from pathlib import Path
from typing import Any

from vidtrace.portal.settings import (
    DEFAULT_DATA_DIR,
    PortalLimits,
    PortalSettingsError,
    load_portal_settings,
)


def cmd_portal(args: argparse.Namespace) -> int:
    # Imported here: the web stack is not needed by any other command.
    import uvicorn

    from vidtrace.portal.app import create_portal_app
    from vidtrace.portal.store import SchemaVersionError

    limits = PortalLimits(
        client_tips_per_minute=args.client_tips_per_minute, tips_per_minute=args.tips_per_minute
    )
    try:
        settings = load_portal_settings(
            args.data, args.token_file, args.trust_forwarded, args.secure_cookies, limits
        )
    except PortalSettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.token_file and Path(args.token_file).stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        print(f"warning: {args.token_file} can be read by others (chmod 600 it)", file=sys.stderr)
    try:
        app = create_portal_app(settings)
    except (SchemaVersionError, ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    sync = "on" if settings.token_sha256 else "off (no token: the sync routes answer 404)"
    print(
        f"Trace an Object portal on http://{args.host}:{args.port}/ over "
        f"{settings.data_dir.resolve()}; sync API {sync} (Ctrl-C stops it)",
        file=sys.stderr,
    )
    # proxy_headers off: the client's address comes from X-Forwarded-For only when
    # --trust-forwarded says a reverse proxy sets it, and then the portal reads it itself.
    # No access log: it would write every visitor's address, which the portal promises
    # never to keep.
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        server_header=False,
        proxy_headers=False,
        access_log=False,
        log_level="info",
    )
    return 0


def add_portal_commands(commands: Any) -> None:
    """Register ``portal`` on the top-level subparsers."""
    portal = commands.add_parser("portal", help="run the public Trace an Object site")
    portal.add_argument("--host", default="127.0.0.1", help="address to listen on")
    portal.add_argument("--port", type=int, default=8100, help="port to listen on (default 8100)")
    portal.add_argument(
        "--data",
        help=f"the portal's data folder (default ./{DEFAULT_DATA_DIR} or $VIDTRACE_PORTAL_DATA)",
    )
    portal.add_argument(
        "--token-file",
        help="file holding the sync token (default: $VIDTRACE_PORTAL_TOKEN; none: no sync API)",
    )
    portal.add_argument(
        "--trust-forwarded",
        action="store_true",
        help="behind a reverse proxy: the client is the first X-Forwarded-For address",
    )
    portal.add_argument(
        "--secure-cookies",
        action="store_true",
        help="mark cookies Secure: set this when the portal is served over https",
    )
    defaults = PortalLimits()
    portal.add_argument(
        "--client-tips-per-minute",
        type=int,
        default=defaults.client_tips_per_minute,
        help=f"tips one client may send per minute (default {defaults.client_tips_per_minute})",
    )
    portal.add_argument(
        "--tips-per-minute",
        type=int,
        default=defaults.tips_per_minute,
        help=f"tips all clients together may send per minute (default {defaults.tips_per_minute})",
    )
    portal.set_defaults(func=cmd_portal)
