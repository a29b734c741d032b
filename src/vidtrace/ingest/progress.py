"""Progress on stderr: bytes with MB/s and ETA, plus files and files/s."""

from __future__ import annotations

import sys
import time
from typing import Protocol

from tqdm import tqdm


class Progress(Protocol):
    def grow(self, files: int, size: int) -> None: ...
    def advance(self, files: int, size: int) -> None: ...
    def close(self) -> None: ...


class SilentProgress:
    def grow(self, files: int, size: int) -> None:
        pass

    def advance(self, files: int, size: int) -> None:
        pass

    def close(self) -> None:
        pass


class BarProgress:
    """A tqdm bar over bytes (MB/s and ETA come from it); files and files/s in its postfix."""

    def __init__(self, description: str = "ingest") -> None:
        self._bar = tqdm(
            total=0,
            unit="B",
            unit_scale=True,
            unit_divisor=1000,
            desc=description,
            file=sys.stderr,
            dynamic_ncols=True,
            smoothing=0.1,
        )
        self._files = 0
        self._files_total = 0
        self._started = time.monotonic()

    def grow(self, files: int, size: int) -> None:
        self._files_total += files
        self._bar.total = (self._bar.total or 0) + size
        self._bar.refresh()

    def advance(self, files: int, size: int) -> None:
        self._files += files
        elapsed = max(time.monotonic() - self._started, 1e-6)
        self._bar.set_postfix_str(
            f"{self._files}/{self._files_total} files, {self._files / elapsed:.1f} files/s",
            refresh=False,
        )
        self._bar.update(size)

    def close(self) -> None:
        self._bar.close()
