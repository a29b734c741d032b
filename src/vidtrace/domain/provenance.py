"""Where an occurrence came from: the evidence item, the archive chain, the file-system times."""

from __future__ import annotations

from dataclasses import dataclass

# Separates an archive from the member path inside it, as forensic tools write it.
ARCHIVE_SEPARATOR = "!/"


@dataclass(frozen=True)
class Provenance:
    """The source chain of one file.

    ``chain`` is the list of containers from the evidence root down: ``("mail.zip", "inner.tar")``
    for a member of ``inner.tar`` inside ``mail.zip``. ``path`` is the path inside the innermost
    container (or relative to the evidence folder). Times are POSIX seconds, None when unknown.
    """

    chain: tuple[str, ...]
    path: str
    size: int | None = None
    mtime: float | None = None
    ctime: float | None = None
    atime: float | None = None

    @property
    def display_path(self) -> str:
        """One string that says where the file is, unique within its source."""
        return ARCHIVE_SEPARATOR.join((*self.chain, self.path))

    @property
    def in_archive(self) -> bool:
        return bool(self.chain)
