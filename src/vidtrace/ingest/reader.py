"""Read a file once: MD5, SHA-1 and SHA-256 in the same pass, and sniff its type on the way."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import BinaryIO

from vidtrace.domain.media import Digests, MediaKind
from vidtrace.ingest.sniff import sniff

BLOCK_SIZE = 1 << 20  # large blocks keep hashlib near its peak speed and release the GIL
HEADER_SIZE = 64 * 1024  # enough for every magic number the sniffer looks at


class TooLargeError(Exception):
    pass


@dataclass(frozen=True)
class ReadResult:
    digests: Digests
    kind: MediaKind
    mime: str


def read_once(
    stream: BinaryIO,
    keep: BinaryIO | None = None,
    keep_kinds: frozenset[MediaKind] = frozenset(),
    max_bytes: int | None = None,
) -> ReadResult:
    """Stream ``stream`` to its end, hashing every block.

    When the sniffed kind is in ``keep_kinds``, the bytes are also written to ``keep`` (a staging
    file), so decoders work on a local copy and the evidence is never read a second time.
    """
    md5, sha1, sha256 = hashlib.md5(), hashlib.sha1(), hashlib.sha256()
    header = _read_header(stream)
    kind, mime = sniff(header)
    sink = keep if keep is not None and kind in keep_kinds else None
    size = 0
    block = header
    while block:
        size += len(block)
        if max_bytes is not None and size > max_bytes:
            raise TooLargeError(f"larger than the {max_bytes} byte limit")
        md5.update(block)
        sha1.update(block)
        sha256.update(block)
        if sink is not None:
            sink.write(block)
        block = stream.read(BLOCK_SIZE)
    if sink is not None:
        sink.flush()
    digests = Digests(md5.hexdigest(), sha1.hexdigest(), sha256.hexdigest(), size)
    return ReadResult(digests, kind, mime)


def _read_header(stream: BinaryIO) -> bytes:
    # Archive and network streams may return short reads; the sniffer needs a full header.
    parts: list[bytes] = []
    wanted = HEADER_SIZE
    while wanted > 0:
        part = stream.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)
