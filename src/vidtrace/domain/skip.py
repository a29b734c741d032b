"""Why a file was not (fully) processed. Codes are stable: summaries and tests rely on them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SkipCode(StrEnum):
    EMPTY = "empty-file"
    UNREADABLE = "unreadable"
    BROKEN_SYMLINK = "broken-symlink"
    SYMLINK_LOOP = "symlink-loop"
    UNSAFE_PATH = "unsafe-archive-path"
    ARCHIVE_BOMB = "archive-bomb"
    ARCHIVE_CORRUPT = "corrupt-archive"
    TOO_LARGE = "too-large"
    CORRUPT_IMAGE = "corrupt-image"
    TRUNCATED = "truncated"
    DECOMPRESSION_BOMB = "decompression-bomb"
    CORRUPT_VIDEO = "corrupt-video"
    UNSUPPORTED = "unsupported"
    INTERNAL_ERROR = "internal-error"


@dataclass(frozen=True)
class SkipReason:
    code: SkipCode
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}" if self.detail else str(self.code)
