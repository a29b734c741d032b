"""HTTP byte ranges (RFC 9110 §14) for playing a revealed video: one range per request.

Browsers fetch video in ranges and seek by asking for a later one. An open range is served in
pieces of at most ``MAX_PIECE`` bytes, so a request never holds a whole video in memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_PIECE = 4 * 1024 * 1024
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


class UnsatisfiableRange(ValueError):
    """The range lies outside the file or cannot be read (answer 416)."""


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive, as in Content-Range

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


def requested_range(header: str | None, size: int) -> ByteRange | None:
    """The piece of a ``size``-byte file that ``header`` asks for; None for the whole file (no
    header). A suffix range (``bytes=-500``) is the last bytes. Several ranges at once are not
    served: a player never needs them."""
    if header is None:
        return None
    match = _RANGE.fullmatch(header.strip())
    if match is None or size == 0 or match.group(1) == match.group(2) == "":
        raise UnsatisfiableRange(f"cannot serve the range {header!r}")
    first, last = match.groups()
    if first == "":
        start, end = max(size - int(last), 0), size - 1
    else:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        raise UnsatisfiableRange(f"the range {header!r} lies outside the {size}-byte file")
    return ByteRange(start, min(end, start + MAX_PIECE - 1))
