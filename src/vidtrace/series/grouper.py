"""A grouping run: load the corpus, run every linker on the new media, store the links, group,
and write the series. Interrupted runs are safe to repeat: media are marked linked last."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import Engine

from vidtrace.domain.series import GroupingInput, Link, LinkStrength
from vidtrace.series.group_summary import GroupSummary, size_band
from vidtrace.series.grouping import group
from vidtrace.series.linkers.base import LinkCorpus, Linker, ThumbnailSource
from vidtrace.store.link_corpus import load_link_corpus
from vidtrace.store.links import LinkRepository
from vidtrace.store.media_marks import mark_linked
from vidtrace.store.series_store import SeriesStore

# Bump when a linker changes what it finds: every media item is then linked again.
LINK_GENERATION = 1


@dataclass
class SeriesGrouper:
    engine: Engine
    links: LinkRepository
    series: SeriesStore
    thumbnails: ThumbnailSource | None
    work_dir: Path
    linkers: Sequence[Linker]
    on_stage: Callable[[str], None] | None = None  # told each stage's name as it starts

    def run(self, rebuild: bool = False, relink: bool = False, workers: int = 1) -> GroupSummary:
        summary = GroupSummary("rebuild" if rebuild or relink else "incremental")
        started = time.time()

        @contextmanager
        def stage(name: str) -> Iterator[None]:
            if self.on_stage is not None:
                self.on_stage(name)
            t0 = time.perf_counter()
            yield
            summary.stages[name] = summary.stages.get(name, 0.0) + time.perf_counter() - t0

        with stage("load"):
            if relink:
                self.links.clear()
            corpus = load_link_corpus(
                self.engine,
                LINK_GENERATION,
                relink=relink,
                thumbnails=self.thumbnails,
                work_dir=self.work_dir,
                workers=workers,
            )
        summary.media, summary.media_linked = len(corpus), int(corpus.new.sum())
        found: list[Link] = []
        for linker in self.linkers:
            with stage(f"link:{linker.name}"):
                proposed = list(linker.propose(corpus)) if summary.media_linked else []
                self.links.add(proposed)
            summary.new_links[linker.name] = len(proposed)
            found.extend(proposed)
        with stage("group"):
            whole = rebuild or relink
            stored = self.links.all(None if whole else LinkStrength.WEAK)
            # the weak links of this run are stored already, and read back with the older ones
            strong = (ln for ln in found if ln.strength is LinkStrength.STRONG)
            links = tuple(stored) if whole else (*strong, *stored)
            data = GroupingInput(
                frozenset(corpus.sha256),
                links,
                tuple(self.series.seeds(decided_only=whole)),
                self.series.apart(),
            )
            groups = group(data)
        with stage("write"):
            changes = self.series.apply(groups, representative_of(corpus), rebuild=whole)
            self.series.set_explanations(self.links.within_series())
            mark_linked(self.engine, LINK_GENERATION, started)
        summary.series = len(groups)
        summary.media_in_series = sum(len(g.members) for g in groups)
        summary.largest = max((len(g.members) for g in groups), default=0)
        for g in sorted(groups, key=lambda g: len(g.members)):
            band = size_band(len(g.members))
            summary.sizes[band] = summary.sizes.get(band, 0) + 1
        summary.links = self.links.count_by_kind()
        summary.created, summary.merged = len(changes.created), len(changes.merged)
        summary.dissolved = len(changes.dissolved)
        return summary


def representative_of(corpus: LinkCorpus) -> Callable[[set[str]], str]:
    """The member an analyst sees first: an image before a video, the best PDQ quality, the
    most pixels (the original before its downscaled copies), then the smallest key (stable)."""
    position = {key: i for i, key in enumerate(corpus.sha256)}
    quality = corpus.pdq_quality
    video = corpus.is_video
    pixels = corpus.pixels if len(corpus.pixels) == len(corpus) else np.zeros(len(corpus), int)

    def choose(members: set[str]) -> str:
        def rank(key: str) -> tuple[bool, int, int, str]:
            at = position.get(key)
            if at is None:
                return (True, 1, 0, key)
            return (bool(video[at]), -int(quality[at]), -int(pixels[at]), key)

        return min(members, key=rank)

    return choose
