"""Builders for series tests: a linker that links by file-name prefix, and a grouped workspace.

``PrefixLinker`` links media whose file names share the part before the first "-" ("a-1.jpg",
"a-2.jpg"), so a test states its intended series in its file names and exercises grouping,
decisions and queries without depending on what the perceptual linkers find.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from tests.kit.evidence import write_jpeg
from vidtrace.bootstrap import App
from vidtrace.domain.series import Link, LinkStrength, symmetric_link
from vidtrace.series.grouper import SeriesGrouper
from vidtrace.series.linkers.base import LinkCorpus, Linker


class PrefixLinker(Linker):
    name = "test-prefix"
    description = "links media whose file names share the prefix before the first dash"

    def propose(self, corpus: LinkCorpus) -> Iterator[Link]:
        by_prefix: dict[str, set[int]] = defaultdict(set)
        for at, name in zip(corpus.occurrences.media, corpus.occurrences.name, strict=True):
            by_prefix[name.split("-", 1)[0]].add(int(at))
        for members in by_prefix.values():
            ordered = sorted(members)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    if corpus.new[a] or corpus.new[b]:
                        yield symmetric_link(
                            corpus.sha256[a],
                            corpus.sha256[b],
                            self.name,
                            1.0,
                            "same file-name prefix",
                            LinkStrength.STRONG,
                        )


def prefix_grouper(app: App) -> SeriesGrouper:
    grouper = app.grouper(())
    grouper.linkers = [PrefixLinker()]
    return grouper


def write_named(folder: Path, names: list[str], first_seed: int = 100) -> dict[str, Path]:
    """One distinct generated JPEG per name; the name's stem maps to its path."""
    return {
        Path(name).stem: write_jpeg(folder / name, first_seed + i) for i, name in enumerate(names)
    }
