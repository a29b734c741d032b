"""The contract every linker meets, as a base test class, and a builder of link corpora.

A linker's test module subclasses ``LinkerContract``, sets ``linker`` and provides a
``sample_media`` fixture (a list of :class:`MediaSpec`) in which ``linked_pairs`` must be linked
and ``unlinked_pairs`` must not::

    class TestSameCameraLinker(LinkerContract):
        linker = SameCameraLinker()
        linked_pairs = [("a", "b")]
        unlinked_pairs = [("a", "c")]

        @pytest.fixture
        def sample_media(self) -> list[MediaSpec]: ...

Names in the pairs are the ``MediaSpec.sha256`` values. It gets for free: registration, version,
well-formed links, determinism under any input order, and incremental completeness (linking in
two runs joins the same media, strong and weak apart, as linking everything at once).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import numpy as np
import numpy.typing as npt
import pytest

import vidtrace.series.linkers  # noqa: F401  (registers every linker)
from vidtrace.domain.series import Link, LinkStrength
from vidtrace.index import hex_to_words
from vidtrace.series.linkers.base import (
    CameraFacts,
    LinkCorpus,
    Linker,
    Occurrences,
    VideoFrames,
    linkers,
)

ZERO_HASH = "0" * 64


@dataclass
class MediaSpec:
    """One media item of a test corpus, with only the signals a test cares about."""

    sha256: str
    pdq: str | None = None
    quality: int = 100
    dihedral: tuple[str, ...] = ()  # 8 hex hashes, identity first; defaults to (pdq,) * 8
    is_video: bool = False
    taken_at: float | None = None
    camera: CameraFacts | None = None
    placements: list[tuple[int, str, str]] = field(default_factory=list)  # (source, folder, name)
    frames: list[tuple[int, float, str, int]] = field(default_factory=list)  # frame, s, pdq, q
    grey: npt.NDArray[np.uint8] | None = None  # thumbnail pixels, for pixel linkers
    new: bool = True


class SpecThumbnails:
    def __init__(self, specs: Sequence[MediaSpec]) -> None:
        self._grey = {s.sha256: s.grey for s in specs}

    def grey(self, sha256: str) -> npt.NDArray[np.uint8] | None:
        return self._grey.get(sha256)

    def available(self, sha256s: Sequence[str]) -> set[str]:
        return {k for k in sha256s if self._grey.get(k) is not None}


def build_corpus(specs: Sequence[MediaSpec], work_dir: Path | None = None) -> LinkCorpus:
    """A corpus holding ``specs`` in the given order."""
    n = len(specs)
    pdq = hex_to_words([s.pdq or ZERO_HASH for s in specs]) if n else np.empty((0, 4), np.uint64)
    dihedral_hex = [
        h for s in specs for h in (s.dihedral if s.dihedral else (s.pdq or ZERO_HASH,) * 8)
    ]
    dihedral = hex_to_words(dihedral_hex).reshape(n, 8, 4) if n else np.empty((0, 8, 4), np.uint64)
    occ = [(i, p) for i, s in enumerate(specs) for p in s.placements]
    frames = [(i, f) for i, s in enumerate(specs) for f in s.frames]
    return LinkCorpus(
        sha256=[s.sha256 for s in specs],
        is_video=np.array([s.is_video for s in specs], dtype=bool),
        new=np.array([s.new for s in specs], dtype=bool),
        pdq=pdq,
        pdq_quality=np.array([s.quality if s.pdq else -1 for s in specs], dtype=np.int64),
        dihedral=dihedral,
        taken_at=np.array(
            [np.nan if s.taken_at is None else s.taken_at for s in specs], dtype=np.float64
        ),
        camera=[s.camera for s in specs],
        occurrences=Occurrences(
            np.array([i for i, _ in occ], dtype=np.int64),
            np.array([p[0] for _, p in occ], dtype=np.int64),
            [p[1] for _, p in occ],
            [p[2] for _, p in occ],
        ),
        frames=VideoFrames(
            np.array([i for i, _ in frames], dtype=np.int64),
            np.array([f[0] for _, f in frames], dtype=np.int64),
            np.array([f[1] for _, f in frames], dtype=np.float64),
            hex_to_words([f[2] for _, f in frames]) if frames else np.empty((0, 4), np.uint64),
            np.array([f[3] for _, f in frames], dtype=np.int64),
        ),
        thumbnails=SpecThumbnails(specs),
        work_dir=work_dir,
    )


def random_hash(rng: np.random.Generator) -> str:
    return bytes(rng.integers(0, 256, 32, dtype=np.uint8)).hex()


def flipped(hex_hash: str, bits: int, rng: np.random.Generator) -> str:
    """``hex_hash`` with exactly ``bits`` distinct bits flipped."""
    mask = sum(1 << int(b) for b in rng.choice(256, bits, replace=False))
    return f"{int(hex_hash, 16) ^ mask:064x}"


def link_keys(links: Sequence[Link]) -> set[tuple[str, str, str, str]]:
    """Links as comparable keys (direction, kind, strength, evidence), scores rounded."""
    return {(ln.a, ln.b, ln.kind, f"{ln.strength}:{ln.score:.4f}:{ln.evidence}") for ln in links}


def linked(links: Sequence[Link]) -> set[frozenset[str]]:
    return {frozenset((ln.a, ln.b)) for ln in links}


def partition(links: Sequence[Link], strength: LinkStrength) -> set[frozenset[str]]:
    """The groups of media that the links of one strength join (singletons left out)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        if link.strength is strength:
            parent[find(link.a)] = find(link.b)
    groups: dict[str, set[str]] = {}
    for x in list(parent):
        groups.setdefault(find(x), set()).add(x)
    return {frozenset(g) for g in groups.values() if len(g) > 1}


class LinkerContract:
    linker: ClassVar[Linker]
    linked_pairs: ClassVar[Sequence[tuple[str, str]]] = ()
    unlinked_pairs: ClassVar[Sequence[tuple[str, str]]] = ()

    @pytest.fixture
    def sample_media(self) -> list[MediaSpec]:
        raise NotImplementedError("a linker test provides a sample_media fixture")

    def propose(self, specs: Sequence[MediaSpec], work_dir: Path | None = None) -> list[Link]:
        return list(self.linker.propose(build_corpus(specs, work_dir)))

    def test_registered_once_under_its_name(self) -> None:
        cls = type(self.linker)
        assert cls.name and cls.name == cls.name.strip().lower()
        assert linkers.get(cls.name) is cls
        assert [c for c in linkers if c.name == cls.name] == [cls]
        assert cls.description, "a linker says in one line what it links"

    def test_version_is_a_positive_int(self) -> None:
        version = type(self.linker).version
        assert isinstance(version, int) and not isinstance(version, bool) and version >= 1

    def test_links_the_expected_pairs(self, sample_media: list[MediaSpec]) -> None:
        found = linked(self.propose(sample_media))
        for a, b in self.linked_pairs:
            assert frozenset((a, b)) in found, f"{a} and {b} should be linked"
        for a, b in self.unlinked_pairs:
            assert frozenset((a, b)) not in found, f"{a} and {b} should not be linked"

    def test_links_are_well_formed(self, sample_media: list[MediaSpec]) -> None:
        links = self.propose(sample_media)
        assert links, "the sample corpus should produce links"
        names = {s.sha256 for s in sample_media}
        for link in links:
            assert link.a in names and link.b in names and link.a != link.b
            assert link.kind == self.linker.name
            assert 0.0 <= link.score <= 1.0
            assert link.evidence.strip()
            assert isinstance(link.strength, LinkStrength)
            assert link.linker_version == self.linker.version
        assert len(link_keys(links)) == len(links), "no link is proposed twice"

    def test_same_links_in_any_input_order(self, sample_media: list[MediaSpec]) -> None:
        forward = link_keys(self.propose(sample_media))
        backward = link_keys(self.propose(list(reversed(sample_media))))
        assert forward == backward

    def test_only_links_involving_new_media(self, sample_media: list[MediaSpec]) -> None:
        half = len(sample_media) // 2
        specs = [dataclasses.replace(s, new=i >= half) for i, s in enumerate(sample_media)]
        new = {s.sha256 for s in specs if s.new}
        for link in self.propose(specs):
            assert link.a in new or link.b in new

    def test_two_runs_find_what_one_run_finds(
        self, sample_media: list[MediaSpec], tmp_path: Path
    ) -> None:
        everything = self.propose(sample_media, tmp_path / "once")
        half = len(sample_media) // 2
        work = tmp_path / "twice"
        first = self.propose(sample_media[:half], work)
        later = [dataclasses.replace(s, new=i >= half) for i, s in enumerate(sample_media)]
        both = first + self.propose(later, work)
        for strength in LinkStrength:
            assert partition(both, strength) == partition(everything, strength)
