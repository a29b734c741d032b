"""Command-line verb for the workbench: ``vidtrace serve``. Thin."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vidtrace.bootstrap import bootstrap
from vidtrace.config import load_settings


def cmd_serve(args: argparse.Namespace) -> int:
    # Imported here: the web stack is not needed by any other command.
    import uvicorn

    from vidtrace.web.app import create_app

    app = bootstrap(load_settings(args.workspace))
    web = create_app(app, idle_minutes=args.idle_minutes, secure_cookies=args.secure_cookies)
    print(f"vidtrace workbench on http://{args.host}:{args.port}/", file=sys.stderr)
    try:
        uvicorn.run(web, host=args.host, port=args.port, server_header=False, log_level="info")
    finally:
        app.close()
    return 0


def add_web_commands(commands: Any) -> None:
    """Register ``serve`` on the top-level subparsers."""
    serve = commands.add_parser("serve", help="run the analyst workbench (web application)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument(
        "--idle-minutes",
        type=int,
        default=30,
        help="end a session after this many minutes without a request (default 30)",
    )
    serve.add_argument(
        "--secure-cookies",
        action="store_true",
        help="mark cookies Secure: set this when the workbench is served over https",
    )
    serve.set_defaults(func=cmd_serve)
