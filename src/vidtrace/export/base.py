"""The exporter extension point: one small class per output format, registered by name."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, select

from vidtrace.registry import Registry
from vidtrace.store.models import Case


class UnknownCaseError(LookupError):
    pass


@dataclass(frozen=True)
class ExportSummary:
    exporter: str
    case: str
    path: Path
    records: int

    def to_text(self) -> str:
        return (
            f"exported {self.records} media of case {self.case!r} as {self.exporter} to {self.path}"
        )


class Exporter(ABC):
    name: str
    description: str

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def case_id(self, case: str) -> int:
        with self.engine.connect() as conn:
            found = conn.scalar(select(Case.id).where(Case.name == case))
        if found is None:
            raise UnknownCaseError(f"no case named {case!r}")
        return int(found)

    @abstractmethod
    def export(self, case: str, path: Path) -> ExportSummary:
        """Write case ``case`` to ``path`` (atomically: a partial file is never left behind)."""


exporters: Registry[Exporter] = Registry("exporter")


@contextmanager
def atomic_output(path: Path, binary: bool) -> Iterator[IO[Any]]:
    """A file that appears at ``path`` only once fully written."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        with open(partial, "wb" if binary else "w", **({} if binary else _TEXT)) as handle:
            yield handle
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


_TEXT: dict[str, Any] = {"encoding": "utf-8", "newline": ""}
