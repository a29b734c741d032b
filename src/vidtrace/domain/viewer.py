"""Who is looking: the signed-in user as services see it. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    REVIEWER = "reviewer"
    MODERATOR = "moderator"
    READ_ONLY = "read-only"


class Permission(StrEnum):
    """What a request may do; ``web.security.roles`` says which role holds which."""

    VIEW = "view"  # see the workbench: triage, series, blurred thumbnails, metadata
    REVEAL = "reveal"  # see media unblurred; download
    ANNOTATE = "annotate"  # add notes and clues, confirm or reject clues
    DECIDE = "decide"  # decide the country, change status, assign, merge/split/move
    REVIEW_OBJECTS = "review-objects"  # approve or reject objects proposed for Trace an Object
    MODERATE = "moderate"  # the tips queue (Trace an Object)
    ADMINISTER = "administer"  # users, the audit log


@dataclass(frozen=True)
class Viewer:
    """The signed-in user. ``agency_id`` None with role admin sees every case; anyone else sees
    the cases of their agency and those shared with an operation their agency takes part in."""

    user_id: int
    name: str
    role: Role
    agency_id: int | None
    agency: str | None = None
    blur_level: int = 12
    greyscale: bool = True
