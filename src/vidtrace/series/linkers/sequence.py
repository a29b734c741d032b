"""Sequence: files a camera numbered one after another, or shot seconds apart, in one folder.

Two reasons, both weak, both only within one folder of one evidence item (``source`` and
``folder`` of an occurrence; a media item found in several places counts in each):

* **Name sequence.** Cameras and phones number their files: DSC_0041.JPG, IMG_1234.HEIC,
  P1010023.JPG, "photo (3).jpg". Names with the same prefix and suffix (case-insensitive), the
  same extension family and counters at most ``max_gap`` apart are linked. Names that carry the
  capture time (PXL_20230612_115900156.jpg, IMG_20230612_115900.jpg) are compared by that time,
  at most ``name_seconds`` apart.
  Not linked: messenger names (WhatsApp IMG-20230614-WA0007.jpg, "WhatsApp Image ... .jpeg",
  Telegram photo_2023-06-14_11-59-00.jpg, Messenger received_...): their counter or time is the
  order in which a phone *received* files, from any chat and any sender, not the order a camera
  shot them. Digit runs longer than nine (epoch-millisecond and id download names) are no
  counters; random names (UUIDs, hashes) never share a prefix.
* **Burst.** Media whose capture times are at most ``burst_seconds`` apart.

Each item is linked to its neighbours in counter or time order within its folder, so a folder
of n files gives at most n - 1 links per reason, and two runs join the same media as one. When
both reasons hold for a pair, one link names both.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

import numpy as np

from vidtrace.domain.series import Link, LinkStrength, symmetric_link
from vidtrace.series.linkers.base import Floats, Ints, LinkCorpus, Linker, Occurrences, linkers
from vidtrace.series.linkers.chains import neighbours, sha_rank

_MESSENGER = re.compile(
    r"(?:img|vid|aud|ptt|stk|doc)-\d{8}-wa\d+.*"  # WhatsApp on Android
    r"|whatsapp (?:image|video|audio) .*"  # WhatsApp saved on iOS or the desktop
    r"|(?:photo|video)_\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d.*"  # Telegram Desktop export
    r"|received_\d+.*",  # Facebook Messenger
    re.IGNORECASE,
)
_CLOCK = re.compile(
    r"(?P<prefix>.*?)(?<!\d)(?P<date>(?:19|20)\d{6})[_-](?P<time>\d{6})(?P<ms>\d{3})?"
    r"(?P<rest>\D.*)?"
)
_EPOCH_DAY = datetime.date(1970, 1, 1).toordinal()
MAX_COUNTER_DIGITS = 9  # longer digit runs are epoch times or ids, not counters
_FAMILIES = {"jpeg": "jpg", "jpe": "jpg", "jfif": "jpg", "heif": "heic", "hif": "heic"}
_FAMILIES |= {"tiff": "tif", "m4v": "mp4", "qt": "mov", "mpeg": "mpg"}


class NamePlace(NamedTuple):
    """Where a file name puts its file in a sequence: which sequence, and how far along it."""

    prefix: str  # case-folded, like rest and family
    rest: str  # what follows the number ("" in DSC_0042, ")" in "photo (3)")
    family: str  # the extension, spellings of one format as one ("jpeg" -> "jpg")
    clock: bool  # the number is a capture time written in the name
    value: float  # the counter, or POSIX seconds when ``clock``

    @property
    def sequence(self) -> str:
        """The sequence as one string (strings cost the garbage collector nothing)."""
        return "\x00".join((self.prefix, self.rest, self.family, "clock" if self.clock else ""))


def name_place(name: str) -> NamePlace | None:
    """The sequence a file name belongs to, or None when the name numbers nothing."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    family = _FAMILIES.get(extension.casefold(), extension.casefold())
    if not stem or _MESSENGER.fullmatch(stem):
        return None
    clock = _CLOCK.fullmatch(stem)
    seconds = _clock_seconds(clock["date"], clock["time"]) if clock else None
    if clock and seconds is not None:
        value = seconds + int(clock["ms"] or 0) / 1000
        rest = (clock["rest"] or "").casefold()
        return NamePlace(clock["prefix"].casefold(), rest, family, True, value)
    end = len(stem)  # the counter is the last run of digits
    while end and not stem[end - 1].isdigit():
        end -= 1
    start = end
    while start and stem[start - 1].isdigit():
        start -= 1
    if end == 0 or end - start > MAX_COUNTER_DIGITS:
        return None
    prefix, rest = stem[:start].casefold(), stem[end:].casefold()
    return NamePlace(prefix, rest, family, False, float(stem[start:end]))


def _clock_seconds(date: str, time: str) -> float | None:
    """YYYYMMDD and HHMMSS as seconds on the camera's clock, or None when no such time."""
    hour, minute, second = int(time[:2]), int(time[2:4]), int(time[4:])
    try:
        day = datetime.date(int(date[:4]), int(date[4:6]), int(date[6:])).toordinal()
    except ValueError:
        return None
    if hour > 23 or minute > 59 or second > 60:  # 60: a leap second
        return None
    return float((day - _EPOCH_DAY) * 86400 + hour * 3600 + minute * 60 + second)


def in_folder(folder: str) -> str:
    return f"in {folder}" if folder else "in the top folder"


def seconds_apart(seconds: float) -> str:
    return f"{seconds:.1f}".removesuffix(".0") + " s apart"


@dataclass
class _Found:
    """The links one reason found, one per pair of media, ascending by ``pair``."""

    pair: Ints  # SHA-256 rank of the smaller * n + rank of the larger
    x: Ints  # the occurrence rows that gave the link, in sequence order
    y: Ints
    step: Floats  # how far apart along the sequence: counter steps or seconds
    score: Floats

    def find(self, pairs: Ints) -> Ints:
        """Where each of ``pairs`` is in this reason, -1 where it is not."""
        if not len(self.pair):
            return np.full(len(pairs), -1, np.int64)
        where = np.minimum(np.searchsorted(self.pair, pairs), len(self.pair) - 1)
        return np.where(self.pair[where] == pairs, where, -1)


def _one_per_pair(
    x: Ints, y: Ints, step: Floats, score: Floats, media: Ints, group: Ints, rank: Ints
) -> _Found:
    """Drop pairs of one media item with itself, keep one link per pair of media.

    Where several placements link the same pair, the one first in (group, step) order is kept:
    ``group`` numbers the sequences in the order of their content, so the choice, and with it
    the evidence, does not depend on the order of the input.
    """
    keep = media[x] != media[y]
    x, y, step, score = x[keep], y[keep], step[keep], score[keep]
    rx, ry = rank[media[x]], rank[media[y]]
    pair = np.minimum(rx, ry) * len(rank) + np.maximum(rx, ry)
    order = np.lexsort((step, group[x], pair))
    pair = pair[order]
    first = order[np.r_[True, pair[1:] != pair[:-1]]] if len(pair) else order
    rx, ry = rank[media[x[first]]], rank[media[y[first]]]
    return _Found(
        np.minimum(rx, ry) * len(rank) + np.maximum(rx, ry),
        x[first],
        y[first],
        step[first],
        score[first],
    )


def _arrival_ids(keys: Sequence[Any]) -> tuple[Ints, list[Any]]:
    """Each key's number in order of first arrival, and the distinct keys in that order."""
    first: dict[Any, int] = {}
    arrival = np.fromiter((first.setdefault(k, len(first)) for k in keys), np.int64, len(keys))
    return arrival, list(first)


def _content_ids(keys: Sequence[Any]) -> tuple[Ints, list[Any]]:
    """Each key's number in the sorted distinct keys (not in order of arrival), and those keys."""
    arrival, distinct = _arrival_ids(keys)
    order = sorted(range(len(distinct)), key=distinct.__getitem__)
    renumber = np.empty(len(distinct), np.int64)
    renumber[np.array(order, np.int64)] = np.arange(len(distinct), dtype=np.int64)
    return renumber[arrival], [distinct[i] for i in order]


def _folder_ids(occ: Occurrences) -> Ints:
    """Each occurrence's folder, numbered in (source, folder) order: names only compare within."""
    folder, distinct = _content_ids(occ.folder)
    _, source = np.unique(occ.source, return_inverse=True)
    ids: Ints = np.unique(source * max(len(distinct), 1) + folder, return_inverse=True)[1]
    return ids.astype(np.int64)


@linkers.register
class SequenceLinker(Linker):
    name = "sequence"
    version: ClassVar[int] = 1
    description: ClassVar[str] = (
        "Consecutive camera file names, or captures seconds apart, in one folder (weak)"
    )
    max_gap: ClassVar[int] = 5  # the widest step between counters (DSC_0041 to DSC_0046)
    name_seconds: ClassVar[float] = 10.0  # the widest step between times written in names
    burst_seconds: ClassVar[float] = 10.0  # the widest step between capture times in a burst

    def propose(self, corpus: LinkCorpus) -> Iterator[Link]:
        occ = corpus.occurrences
        if len(corpus) < 2 or not corpus.new.any() or len(occ.media) < 2:
            return
        rank = sha_rank(corpus.sha256)
        folder = _folder_ids(occ)
        names = self._by_names(corpus, folder, rank)
        bursts = self._bursts(corpus, folder, rank)
        pairs = np.union1d(names.pair, bursts.pair)
        media, sha, folders, name = occ.media.tolist(), corpus.sha256, occ.folder, occ.name
        n_x, n_y, n_score = names.x.tolist(), names.y.tolist(), names.score.tolist()
        b_x, b_y, b_step, b_score = (
            bursts.x.tolist(),
            bursts.y.tolist(),
            bursts.step.tolist(),
            bursts.score.tolist(),
        )
        for i, j in zip(names.find(pairs).tolist(), bursts.find(pairs).tolist(), strict=True):
            if i >= 0:
                x, y, score = n_x[i], n_y[i], n_score[i]
                text = f"{name[x]} and {name[y]} {in_folder(folders[x])}"
                if j >= 0:
                    text += f", taken {seconds_apart(b_step[j])}"
                    if folders[b_x[j]] != folders[x]:
                        text += f" {in_folder(folders[b_x[j]])}"
                    score = 1.0 - (1.0 - score) * (1.0 - b_score[j])
            else:
                x, y, score = b_x[j], b_y[j], b_score[j]
                text = f"taken {seconds_apart(b_step[j])} {in_folder(folders[x])}"
            text += "" if j < 0 else " (burst)"
            yield symmetric_link(
                sha[media[x]],
                sha[media[y]],
                self.name,
                score,
                text,
                LinkStrength.WEAK,
                self.version,
            )

    def _by_names(self, corpus: LinkCorpus, folder: Ints, rank: Ints) -> _Found:
        occ = corpus.occurrences
        name, distinct = _arrival_ids(occ.name)  # names repeat: DSC_0001.JPG in every camera
        located = np.zeros(len(distinct), bool)
        value = np.zeros(len(distinct), np.float64)
        clock = np.zeros(len(distinct), bool)
        sequences: list[str] = []
        for i, place in enumerate(map(name_place, distinct)):
            if place is not None:
                located[i], value[i], clock[i] = True, place.value, place.clock
                sequences.append(place.sequence)
        key = np.full(len(distinct), -1, np.int64)
        key[located], _ = _content_ids(sequences)
        widest = np.where(clock, self.name_seconds, float(self.max_gap))
        # one sequence per folder and name pattern, numbered in content order
        group = np.where(key[name] >= 0, folder * (int(key.max(initial=0)) + 1) + key[name], -1)
        xs, ys = [], []
        for is_clock in (False, True):  # counters and times in names step differently
            part = np.flatnonzero(located[name] & (clock[name] == is_clock))
            media = occ.media[part]
            widest_step = self.name_seconds if is_clock else float(self.max_gap)
            a, b = neighbours(
                group[part], value[name[part]], rank[media], corpus.new[media], widest_step
            )
            xs.append(part[a])
            ys.append(part[b])
        x, y = np.concatenate(xs), np.concatenate(ys)
        step = value[name[y]] - value[name[x]]
        score = 0.6 - 0.3 * np.maximum(step, 1.0) / widest[name[x]]
        return _one_per_pair(x, y, step, score, occ.media, group, rank)

    def _bursts(self, corpus: LinkCorpus, folder: Ints, rank: Ints) -> _Found:
        occ = corpus.occurrences
        rows = np.flatnonzero(np.isfinite(corpus.taken_at[occ.media]))
        media = occ.media[rows]
        when = corpus.taken_at[media]
        a, b = neighbours(folder[rows], when, rank[media], corpus.new[media], self.burst_seconds)
        step = when[b] - when[a]
        score = 0.6 - 0.3 * step / self.burst_seconds
        return _one_per_pair(rows[a], rows[b], step, score, occ.media, folder, rank)
