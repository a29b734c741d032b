"""exifread, kept on a leash: every read and seek it makes on a hostile file is counted.

exifread follows offsets and counts that the file controls. Some of its loops do not end on
hostile input (an ISO-BMFF box whose 64-bit size is 0 points back at itself; a MakerNote that
claims four billion entries reads past the end four billion times). A budget on the calls it makes
turns each of those into an error after well under a second, without threads or signals.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, BinaryIO, cast

import exifread

MAX_FILE_CALLS = 200_000  # no file of the exif-py corpus needs 15,000
MAX_BYTES_READ = 64 * 1024 * 1024

logging.getLogger("exifread").setLevel(logging.CRITICAL)


class BudgetExceeded(Exception):
    """The file made exifread work far harder than any genuine image does."""


class _BudgetedFile:
    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.calls = 0
        self.bytes_read = 0

    def _spend(self) -> None:
        self.calls += 1
        if self.calls > MAX_FILE_CALLS:
            raise BudgetExceeded(f"more than {MAX_FILE_CALLS} reads and seeks")

    def read(self, size: int = -1) -> bytes:
        self._spend()
        data = self._raw.read(size)
        self.bytes_read += len(data)
        if self.bytes_read > MAX_BYTES_READ:
            raise BudgetExceeded(f"more than {MAX_BYTES_READ} bytes read")
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        self._spend()
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()


def read_tags(path: Path) -> dict[str, Any]:
    """exifread's tags for ``path`` ("IFD Name" -> IfdTag); empty when there are none.

    MakerNotes are not decoded: that costs up to 100 ms a file on some cameras (Sony) against
    well under 1 ms without, exifread's MakerNote decoders raise on real files (KeyError,
    TypeError...), and the one MakerNote serial number they find in the exif-py corpus is wrong
    ("00STANDA" for a Nikon D300). Raises ``BudgetExceeded``, ``OSError``, or whatever exifread
    trips over.
    """
    with path.open("rb") as raw:
        budgeted = _BudgetedFile(raw)
        tags = exifread.process_file(
            cast(BinaryIO, budgeted), details=False, extract_thumbnail=False
        )
    return dict(tags)
