"""The demo's Trace an Object: the public portal as its own process beside the workbench, and
one object from the demo evidence proposed by the demo analyst and published by the two demo
reviewers, so the gallery is not empty and the whole flow can be followed in the browser.

The portal gets only its data folder and the sync token (ADR 008); the token is made once per
workspace and kept there, readable by its owner only.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import httpx
from sqlalchemy import Connection, func, select

from vidtrace.bootstrap import App
from vidtrace.config import Settings
from vidtrace.publish.crop_geometry import parse_region
from vidtrace.publish.object_text import object_text
from vidtrace.publish.portal_client import PortalClient
from vidtrace.publish.proposer import ObjectProposer
from vidtrace.publish.publisher import Publisher
from vidtrace.store.models import Media, PublishedObject, SeriesMember, media_known
from vidtrace.store.object_proposals import ObjectProposals
from vidtrace.store.users import UserStore

TITLE = "A patterned cloth (demo object)"
DESCRIPTION = "A synthetic demo picture: this cloth is seen in one of the demo series."
QUESTIONS = "Where have you seen this pattern?\nWhere is such cloth sold?"
CATEGORY = "furniture"
BOX = "0.25,0.25,0.5,0.5"
START_SECONDS = 30.0


def portal_token(workspace: Path) -> Path:
    """The file holding the workspace's portal token, made on first use (mode 0600)."""
    path = workspace / "portal-token"
    if not path.exists():
        workspace.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(32))
    return path


@contextmanager
def running_portal(settings: Settings, host: str, port: int) -> Iterator[Settings]:
    """``vidtrace portal`` as a child process on ``host:port``, with its data in the
    workspace's ``portal`` folder; ``settings`` pointed at it. Stopped on exit."""
    token_file = portal_token(settings.workspace)
    command = [
        sys.executable, "-m", "vidtrace", "portal", "--host", host, "--port", str(port),
        "--data", str(settings.workspace / "portal"), "--token-file", str(token_file),
    ]  # fmt: skip
    # Its environment carries nothing of the evidence side.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("VIDTRACE_")}
    child = subprocess.Popen(command, env=environment)
    url = f"http://{host}:{port}"
    try:
        _wait_for(url, child)
        token = token_file.read_text().strip()
        yield replace(settings, portal_url=url, portal_token=token)
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()


def _wait_for(url: str, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"the portal stopped at start (exit {child.returncode})")
        try:
            if httpx.get(url + "/", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the portal did not answer at {url} within {START_SECONDS:.0f} s")


def publish_demo_object(
    app: App, settings: Settings, proposer: str, reviewers: tuple[str, str]
) -> str:
    """Propose the demo object on the first picture of the biggest series (once per
    workspace) and have both reviewers approve it; its status ("published" when the portal
    took it)."""
    users = UserStore(app.engine)
    viewers = [users.viewer_named(name) for name in (proposer, *reviewers)]
    if any(v is None for v in viewers):
        raise RuntimeError("the demo accounts are missing")
    author, first, second = (v for v in viewers if v is not None)
    proposals = ObjectProposals(app.engine)
    with app.engine.connect() as conn:
        existing = conn.execute(
            select(PublishedObject.id, PublishedObject.status).where(PublishedObject.title == TITLE)
        ).first()
        picture = None if existing else _first_picture(conn)
    if existing is not None and existing.status in ("published", "rejected", "withdrawn"):
        return str(existing.status)
    if existing is not None:
        object_id = int(existing.id)
    elif picture is None:
        raise RuntimeError("the demo has no picture to cut an object from")
    else:
        text = object_text(TITLE, DESCRIPTION, QUESTIONS, CATEGORY)
        region = parse_region(BOX, "", "blur")
        object_id = ObjectProposer(proposals, app.vault).propose(author, picture, text, region)
    publisher = Publisher(
        proposals, app.vault, lambda: PortalClient(settings.portal_url, settings.portal_token)
    )
    status = "proposed"
    for reviewer in (first, second):
        status = publisher.approve(reviewer, object_id).status
    return status


def _first_picture(conn: Connection) -> str | None:
    # Never known material: only new material is a candidate for the public.
    new = ~media_known()
    biggest = (
        select(SeriesMember.series_id)
        .join(Media, Media.sha256 == SeriesMember.media_sha256)
        .where(new, Media.kind == "image")
        .group_by(SeriesMember.series_id)
        .order_by(func.count().desc(), SeriesMember.series_id)
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(Media.sha256)
        .join(SeriesMember, SeriesMember.media_sha256 == Media.sha256)
        .where(SeriesMember.series_id == biggest, Media.kind == "image", new)
        .order_by(Media.sha256)
        .limit(1)
    )
    return conn.scalar(query)
