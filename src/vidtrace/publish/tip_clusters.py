"""Similar tips about one object, gathered in clusters so a moderator judges them together.

Two tips about the same object are similar when they name the same place (folded: case,
accents, punctuation and spacing do not count; with the same country field), or when their
texts are near-identical: the 64-bit simhashes of their folded texts differ in at most
``MAX_DISTANCE`` bits. The simhash is taken over character trigrams rather than word
shingles: tips are a sentence or two, and there one changed word moves a third of the word
shingles, so a typo would split a cluster while two short tips naming different towns would
still be only a few words apart.

A new tip joins the cluster of the existing tip it is similar to (the same place first, else
the nearest text); otherwise it founds a cluster of its own. Clusters never merge, so a key
once shown to a moderator keeps its members.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from vidtrace.publish.tip_places import fold

MAX_DISTANCE = 6  # bits of 64; unrelated texts are 20 to 40 apart
SHINGLE = 3  # characters


def cluster_key(object_id: int, founding_seq: int) -> str:
    """The key of the cluster a tip founds: sorting keys sorts clusters by object, then by
    their first tip."""
    return f"{object_id:010d}-{founding_seq:019d}"


def place_key(place: str | None, country: str | None) -> str | None:
    folded = fold(place or "")
    if not folded:
        return None
    return f"{folded}|{(country or '').upper()}"


def simhash(text: str) -> int | None:
    """The text's 64-bit simhash over character trigrams of its folded form; None for a text
    with no letters or digits."""
    folded = fold(text)
    if not folded:
        return None
    shingles = sorted({folded[i : i + SHINGLE] for i in range(max(1, len(folded) - SHINGLE + 1))})
    digests = b"".join(
        hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest() for shingle in shingles
    )
    # One row of 64 bits per shingle; a bit of the simhash is set where most rows have it set.
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8).reshape(-1, 8), axis=1)
    majority = bits.sum(axis=0, dtype=np.int64) * 2 > len(shingles)
    return int.from_bytes(np.packbits(majority).tobytes(), "big")


def distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()


class ClusteredTip(Protocol):
    """What clustering needs of a tip already stored (``store.tips.StoredTip``)."""

    @property
    def object_id(self) -> int: ...
    @property
    def cluster_key(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def place(self) -> str | None: ...
    @property
    def country(self) -> str | None: ...


@dataclass
class _Member:
    key: str
    place: str | None
    fingerprint: int | None


class TipClusters:
    """The clusters of the tips stored so far; :meth:`join` files one more tip."""

    def __init__(self, stored: Iterable[ClusteredTip] = ()) -> None:
        self.members: dict[int, list[_Member]] = {}
        self.remember(stored)

    def remember(self, stored: Iterable[ClusteredTip]) -> None:
        """Learn tips stored earlier, oldest first."""
        for tip in stored:
            self._remember(tip.object_id, tip.cluster_key, tip.text, tip.place, tip.country)

    def join(
        self, object_id: int, seq: int, text: str, place: str | None, country: str | None
    ) -> str:
        """The cluster key for a new tip (``seq`` is the portal's number for it)."""
        key = self._similar(object_id, text, place, country) or cluster_key(object_id, seq)
        self._remember(object_id, key, text, place, country)
        return key

    def _similar(
        self, object_id: int, text: str, place: str | None, country: str | None
    ) -> str | None:
        members = self.members.get(object_id, [])
        named = place_key(place, country)
        if named is not None:
            for member in members:
                if member.place == named:
                    return member.key
        fingerprint = simhash(text)
        if fingerprint is None:
            return None
        near = [
            (distance(fingerprint, member.fingerprint), member.key)
            for member in members
            if member.fingerprint is not None
        ]
        best = min(near, default=None)
        return best[1] if best is not None and best[0] <= MAX_DISTANCE else None

    def _remember(
        self, object_id: int, key: str, text: str, place: str | None, country: str | None
    ) -> None:
        member = _Member(key, place_key(place, country), simhash(text))
        self.members.setdefault(object_id, []).append(member)
