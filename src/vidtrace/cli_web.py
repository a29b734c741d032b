"""Command-line verb for the workbench: ``vidtrace serve`` (and the serving end of ``demo``).
Thin."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vidtrace.bootstrap import bootstrap
from vidtrace.config import Settings, load_settings


def serve_workbench(settings: Settings, args: argparse.Namespace) -> int:
    """Serve the workbench over ``settings``' workspace until interrupted."""
    # Imported here: the web stack is not needed by any other command.
    import uvicorn

    from vidtrace.web.app import create_app

    app = bootstrap(settings)
    web = create_app(
        app,
        idle_minutes=args.idle_minutes,
        secure_cookies=args.secure_cookies,
        admin_totp_required=args.require_admin_totp or settings.admin_totp_required,
    )
    print(
        f"vidtrace workbench on http://{args.host}:{args.port}/ (Ctrl-C stops it)", file=sys.stderr
    )
    try:
        uvicorn.run(web, host=args.host, port=args.port, server_header=False, log_level="info")
    finally:
        app.close()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    return serve_workbench(load_settings(args.workspace), args)


def add_serve_options(parser: Any) -> None:
    """The options of serving the workbench, shared by ``serve`` and ``demo``."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument(
        "--idle-minutes",
        type=int,
        default=30,
        help="end a session after this many minutes without a request (default 30)",
    )
    parser.add_argument(
        "--secure-cookies",
        action="store_true",
        help="mark cookies Secure: set this when the workbench is served over https",
    )
    parser.add_argument(
        "--require-admin-totp",
        action="store_true",
        help="refuse administrators who have no TOTP second factor (also $VIDTRACE_ADMIN_TOTP=1)",
    )


def add_web_commands(commands: Any) -> None:
    """Register ``serve`` on the top-level subparsers."""
    serve = commands.add_parser("serve", help="run the analyst workbench (web application)")
    add_serve_options(serve)
    serve.set_defaults(func=cmd_serve)
