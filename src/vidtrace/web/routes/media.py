"""Media: masked thumbnails, reveals, full views and downloads: the audited core.

A media item the viewer may not see answers 404, exactly like a missing one. A full view or
download reads the bytes, writes its audit row and commits in one transaction before the first
byte is sent: if the audit row cannot be written, nothing is served.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from PIL import UnidentifiedImageError
from sqlalchemy import Connection, select

from vidtrace.domain.viewer import Permission, Viewer
from vidtrace.store.access import media_visible
from vidtrace.store.audit import record_audit
from vidtrace.store.models import Derivative, Media
from vidtrace.web.deps import SignedInViewer, client_address, ensure_allowed, services
from vidtrace.web.media_images import masked_thumbnail

router = APIRouter(prefix="/media")

SHA256 = re.compile(r"[0-9a-f]{64}")
NO_STORE = {"Cache-Control": "no-store"}
NOT_FOUND = "no such media item"


def _visible_media(conn: Connection, viewer: Viewer, sha256: str) -> Any:
    """The media row, or 404 when it is missing, malformed or not visible to ``viewer``."""
    if not SHA256.fullmatch(sha256) or not media_visible(conn, viewer, sha256):
        raise HTTPException(404, NOT_FOUND)
    row = conn.execute(select(Media.kind, Media.mime).where(Media.sha256 == sha256)).first()
    if row is None:
        raise HTTPException(404, NOT_FOUND)
    return row


@router.get("/{sha256}/thumbnail")
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


def _audited_original(
    request: Request, sha256: str, viewer: Viewer, action: str, reveal: str | None
) -> tuple[bytes, str]:
    web = services(request)
    with web.engine.begin() as conn:
        row = _visible_media(conn, viewer, sha256)
        ensure_allowed(viewer, Permission.REVEAL)
        if row.kind != "image" or not web.vault.exists(sha256):
            raise HTTPException(404, "no original of this item is kept for viewing")
        data = web.vault.read_bytes(sha256)
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
    return data, row.mime or "application/octet-stream"


@router.get("/{sha256}/full")
def full(
    request: Request,
    sha256: str,
    viewer: SignedInViewer,
    reveal: str | None = Query(None, max_length=32, pattern="^[0-9a-f]*$"),
) -> Response:
    """The original image, audited as "view"."""
    data, mime = _audited_original(request, sha256, viewer, "view", reveal)
    headers = {**NO_STORE, "Content-Disposition": "inline"}
    return Response(data, media_type=mime, headers=headers)


@router.get("/{sha256}/download")
def download(request: Request, sha256: str, viewer: SignedInViewer) -> Response:
    """The original image as an attachment, audited as "download"."""
    data, _ = _audited_original(request, sha256, viewer, "download", None)
    headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{sha256}"'}
    return Response(data, media_type="application/octet-stream", headers=headers)
