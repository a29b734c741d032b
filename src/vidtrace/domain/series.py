"""Links between media and the series they form. No I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class LinkStrength(StrEnum):
    """A strong link joins two series on its own; a weak one needs corroboration (grouping.py)."""

    STRONG = "strong"
    WEAK = "weak"


@dataclass(frozen=True)
class Link:
    """One reason to believe two media belong to the same series.

    ``a`` and ``b`` are SHA-256 keys. Symmetric linkers put the smaller key in ``a``; a directed
    linker (video in video) emits one link per direction, ``score`` read as "how much of a is
    in b". ``score`` is 0..1 (higher is surer) and orders the links of one kind when a series is
    explained; ``evidence`` is the reason in words an analyst reads ("PDQ distance 12").
    """

    a: str
    b: str
    kind: str  # the linker's name
    score: float
    evidence: str
    strength: LinkStrength
    linker_version: int = 1

    def pair(self) -> tuple[str, str]:
        return (self.a, self.b) if self.a <= self.b else (self.b, self.a)


def symmetric_link(
    a: str,
    b: str,
    kind: str,
    score: float,
    evidence: str,
    strength: LinkStrength,
    linker_version: int = 1,
) -> Link:
    """A link whose direction means nothing: the smaller key goes first."""
    first, second = (a, b) if a <= b else (b, a)
    return Link(first, second, kind, score, evidence, strength, linker_version)


class DecisionAction(StrEnum):
    """What an analyst can do to the grouping; each is stored, audited and re-applied."""

    MERGE = "merge"
    SPLIT = "split"
    MOVE = "move"
    LOCK = "lock"
    UNLOCK = "unlock"
    NAME = "name"


@dataclass(frozen=True)
class SeedSeries:
    """A series the grouping starts from: its members stay together.

    ``locked`` series neither gain nor lose members through the algorithm; ``pinned`` members
    were placed by an analyst and are never moved by a link.
    """

    id: int
    members: frozenset[str]
    locked: bool = False
    pinned: frozenset[str] = frozenset()


@dataclass(frozen=True)
class GroupingInput:
    """Everything the grouping decides on: media, links, seeds and analysts' constraints."""

    media: frozenset[str]
    links: tuple[Link, ...]
    seeds: tuple[SeedSeries, ...] = ()
    apart: frozenset[tuple[int, int]] = frozenset()  # series pairs an analyst split: never join


@dataclass
class SeriesGroup:
    """One series as the grouping found it: its members and the seed series it grew from."""

    members: set[str]
    seed_ids: list[int] = field(default_factory=list)  # ascending
