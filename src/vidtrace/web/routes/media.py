"""Media: masked thumbnails, reveals, full views and downloads: the audited core.

A media item the viewer may not see answers 404, exactly like a missing one. A full view or
download writes its audit row and commits before the first byte is sent: if the audit row
cannot be written, nothing is served. Videos play muted, in byte ranges, only after a reveal.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.responses import FileResponse, Response
from PIL import UnidentifiedImageError
from sqlalchemy import Connection, String, cast, select

from vidtrace.domain.viewer import Permission, Viewer
from vidtrace.store.access import media_visible
from vidtrace.store.audit import record_audit
from vidtrace.store.models import AuditEvent, Derivative, Media
from vidtrace.web.byte_ranges import UnsatisfiableRange, requested_range
from vidtrace.web.deps import SignedInViewer, client_address, ensure_allowed, services
from vidtrace.web.media_images import masked_thumbnail

router = APIRouter(prefix="/media")

SHA256 = re.compile(r"[0-9a-f]{64}")
NO_STORE = {"Cache-Control": "no-store"}
NOT_FOUND = "no such media item"
# What the picture routes send, for the OpenAPI schema (they are not JSON).
Responses = dict[int | str, dict[str, Any]]
JPEG: Responses = {200: {"content": {"image/jpeg": {}}, "description": "a masked JPEG"}}
ORIGINAL: Responses = {
    200: {"content": {"image/*": {}, "video/*": {}}, "description": "the original"},
    206: {"content": {"video/*": {}}, "description": "a byte range of a video"},
    416: {"description": "a range outside the file"},
}
DOWNLOAD: Responses = {
    200: {"content": {"application/octet-stream": {}}, "description": "the original"}
}


def _visible_media(conn: Connection, viewer: Viewer, sha256: str) -> Any:
    """The media row, or 404 when it is missing, malformed or not visible to ``viewer``."""
    if not SHA256.fullmatch(sha256) or not media_visible(conn, viewer, sha256):
        raise HTTPException(404, NOT_FOUND)
    row = conn.execute(select(Media.kind, Media.mime).where(Media.sha256 == sha256)).first()
    if row is None:
        raise HTTPException(404, NOT_FOUND)
    return row


@router.get("/{sha256}/thumbnail", response_class=Response, responses=JPEG)
def thumbnail(request: Request, sha256: str, viewer: SignedInViewer) -> Response:
    """The item's thumbnail, blurred and greyed by the viewer's exposure settings (JPEG)."""
    with services(request).engine.connect() as conn:
        _visible_media(conn, viewer, sha256)
    ensure_allowed(viewer, Permission.VIEW)
    return masked_derivative(request, viewer, sha256, "thumbnail", 0)


def masked_derivative(
    request: Request, viewer: Viewer, sha256: str, role: str, position: int
) -> Response:
    """A derived picture of a visible item (thumbnail, keyframe), masked by the viewer's
    exposure settings. The caller has checked visibility and permission."""
    web = services(request)
    with web.engine.connect() as conn:
        blob = conn.scalar(
            select(Derivative.vault_sha256).where(
                Derivative.media_sha256 == sha256,
                Derivative.role == role,
                Derivative.position == position,
            )
        )
    if blob is None or not web.vault.exists(blob):
        raise HTTPException(404, f"this item has no such {role}")
    try:
        data = masked_thumbnail(web.vault.read_bytes(blob), viewer.blur_level, viewer.greyscale)
    except (OSError, UnidentifiedImageError) as error:
        raise HTTPException(404, f"this item's {role} cannot be read") from error
    return Response(data, media_type="image/jpeg", headers=NO_STORE)


@router.post("/{sha256}/reveal")
def reveal(request: Request, sha256: str, viewer: SignedInViewer) -> dict[str, str]:
    """Audit a reveal ("reveal") and answer ``{"url": ...}``: where the clear image is."""
    web = services(request)
    nonce = secrets.token_hex(8)
    with web.engine.begin() as conn:
        _visible_media(conn, viewer, sha256)
        ensure_allowed(viewer, Permission.REVEAL)
        record_audit(
            conn,
            viewer.name,
            "reveal",
            "media",
            sha256,
            {"reveal": nonce},
            agency=viewer.agency,
            client=client_address(request),
        )
    return {"url": f"/media/{sha256}/full?reveal={nonce}"}


def _reveal_was_audited(conn: Connection, viewer: Viewer, sha256: str, nonce: str) -> bool:
    # The nonce is hex (checked by the route), so it can only match the quoted detail value.
    found = select(AuditEvent.id).where(
        AuditEvent.actor == viewer.name,
        AuditEvent.action == "reveal",
        AuditEvent.object_type == "media",
        AuditEvent.object_id == sha256,
        cast(AuditEvent.detail, String).like(f'%"{nonce}"%'),
    )
    return conn.scalar(found.limit(1)) is not None


def _audited_original(
    request: Request,
    sha256: str,
    viewer: Viewer,
    action: str,
    reveal: str | None,
    playback_start: bool = True,
) -> tuple[Path, Any]:
    """The original's path and media row, once the access is audited and committed.

    A video is played in byte ranges: each range must belong to a reveal this viewer made of
    this item (itself audited), and the start of a playback writes a "view" row of its own."""
    web = services(request)
    with web.engine.begin() as conn:
        row = _visible_media(conn, viewer, sha256)
        ensure_allowed(viewer, Permission.REVEAL)
        if row.kind not in ("image", "video") or not web.vault.exists(sha256):
            raise HTTPException(404, "no original of this item is kept for viewing")
        played = action == "view" and row.kind == "video"
        if played and not (reveal and _reveal_was_audited(conn, viewer, sha256, reveal)):
            raise HTTPException(403, "a video plays only after you reveal it")
        if playback_start:
            detail = {"reveal": reveal} if reveal else {}
            record_audit(
                conn,
                viewer.name,
                action,
                "media",
                sha256,
                detail,
                agency=viewer.agency,
                client=client_address(request),
            )
    # Leaving the block committed the audit row; only now may the bytes go out.
    return web.vault.path_for(sha256), row


@router.get("/{sha256}/full", response_class=Response, responses=ORIGINAL)
def full(
    request: Request,
    sha256: str,
    viewer: SignedInViewer,
    reveal: str | None = Query(None, max_length=32, pattern="^[0-9a-f]*$"),
    byte_range: str | None = Header(None, alias="range", max_length=100),
) -> Response:
    """The original, audited as "view": an image whole; a video in byte ranges, after its
    reveal (``reveal`` is the nonce the reveal answered)."""
    with services(request).engine.connect() as conn:
        kind = _visible_media(conn, viewer, sha256).kind
    if kind != "video":
        path, row = _audited_original(request, sha256, viewer, "view", reveal)
        headers = {**NO_STORE, "Content-Disposition": "inline"}
        return Response(path.read_bytes(), media_type=row.mime, headers=headers)
    vault = services(request).vault
    if not vault.exists(sha256):
        raise HTTPException(404, "no original of this item is kept for viewing")
    size = vault.path_for(sha256).stat().st_size
    try:
        piece = requested_range(byte_range, size)
    except UnsatisfiableRange as error:
        raise HTTPException(416, str(error)) from error
    starts = piece is None or piece.start == 0
    path, row = _audited_original(request, sha256, viewer, "view", reveal, starts)
    mime = row.mime or "video/mp4"
    headers = {**NO_STORE, "Accept-Ranges": "bytes"}
    if piece is None:
        return FileResponse(path, media_type=mime, headers=headers)
    with path.open("rb") as handle:
        handle.seek(piece.start)
        data = handle.read(piece.length)
    headers["Content-Range"] = piece.content_range(size)
    return Response(data, status_code=206, media_type=mime, headers=headers)


@router.get("/{sha256}/download", response_class=Response, responses=DOWNLOAD)
def download(request: Request, sha256: str, viewer: SignedInViewer) -> Response:
    """The original as an attachment, audited as "download"."""
    path, _ = _audited_original(request, sha256, viewer, "download", None)
    headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{sha256}"'}
    return FileResponse(path, media_type="application/octet-stream", headers=headers)
