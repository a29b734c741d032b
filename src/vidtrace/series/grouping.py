"""Links into series: strong links join, weak links join only when they agree.

The rule, in the analyst's words:

1. A **strong** link (near-duplicate, video in video, video frame, same camera serial, same
   scene verified by geometry) puts both media in one series.
2. A **weak** link (same camera model and firmware close in time, file-name sequence or burst)
   never joins on its own. Two groups are joined only when weak links of at least
   ``MIN_WEAK_KINDS`` different kinds connect them: for example, the same camera model a few
   minutes apart *and* the next file name in the same folder. Weak joins repeat until nothing
   more qualifies, so the result does not depend on which pair was looked at first.
3. Analysts' decisions bind the algorithm: a seed series keeps its members together; a locked
   series neither gains nor loses members; links that touch a pinned member (one an analyst
   moved) are ignored; two series an analyst split apart are never joined again.

The result depends only on the sets given (media, links, seeds, apart), never on their order:
strong links are applied in a canonical order (score, then keys), and groups are compared by
their smallest member.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import product

from vidtrace.domain.series import GroupingInput, Link, LinkStrength, SeriesGroup

MIN_WEAK_KINDS = 2


class _Components:
    """Union-find over media keys, each root carrying its seeds, lock and smallest member."""

    def __init__(self, data: GroupingInput) -> None:
        self.parent: dict[str, str] = {}
        self.seeds: dict[str, list[int]] = {}
        self.locked: dict[str, bool] = {}
        self.smallest: dict[str, str] = {}
        self.apart = data.apart
        for key in sorted(data.media):
            self._add(key)
        for seed in sorted(data.seeds, key=lambda s: s.id):
            members = sorted(seed.members)
            if not members:
                continue
            for key in members:
                self._add(key)
            root = self.find(members[0])
            for key in members[1:]:
                root = self._union(self.find(key), root)
            self.seeds[root] = sorted({*self.seeds[root], seed.id})
            self.locked[root] = self.locked[root] or seed.locked

    def _add(self, key: str) -> None:
        if key not in self.parent:
            self.parent[key] = key
            self.seeds[key] = []
            self.locked[key] = False
            self.smallest[key] = key

    def find(self, key: str) -> str:
        parent = self.parent
        root = key
        while parent[root] != root:
            root = parent[root]
        while parent[key] != root:  # path compression
            parent[key], key = root, parent[key]
        return root

    def can_join(self, a: str, b: str) -> bool:
        if self.locked[a] or self.locked[b]:
            return False
        return not any(
            (min(x, y), max(x, y)) in self.apart for x, y in product(self.seeds[a], self.seeds[b])
        )

    def _union(self, a: str, b: str) -> str:
        if a == b:
            return a
        keep, gone = (a, b) if self.smallest[a] <= self.smallest[b] else (b, a)
        self.parent[gone] = keep
        self.seeds[keep] = sorted({*self.seeds[keep], *self.seeds.pop(gone)})
        self.locked[keep] = self.locked[keep] or self.locked.pop(gone)
        self.smallest[keep] = min(self.smallest[keep], self.smallest.pop(gone))
        return keep

    def join(self, a: str, b: str) -> bool:
        """Join the groups of ``a`` and ``b`` unless a decision forbids it; True if joined."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb or not self.can_join(ra, rb):
            return False
        self._union(ra, rb)
        return True


def _usable(link: Link, components: _Components, pinned: frozenset[str]) -> bool:
    return (
        link.a != link.b
        and link.a in components.parent
        and link.b in components.parent
        and link.a not in pinned
        and link.b not in pinned
    )


def _join_weak(components: _Components, weak: list[Link]) -> None:
    while True:
        kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
        for link in weak:
            ra, rb = components.find(link.a), components.find(link.b)
            if ra != rb:
                kinds[(ra, rb) if ra <= rb else (rb, ra)].add(link.kind)
        agreeing = sorted(
            (
                (components.smallest[ra], components.smallest[rb])
                for (ra, rb), found in kinds.items()
                if len(found) >= MIN_WEAK_KINDS
            ),
        )
        joined = [components.join(a, b) for a, b in agreeing]
        if not any(joined):
            return


def group(data: GroupingInput) -> list[SeriesGroup]:
    """The series that ``data`` forms: every seed, and every other group of two or more."""
    components = _Components(data)
    pinned = frozenset(key for seed in data.seeds for key in seed.pinned)
    usable = [link for link in data.links if _usable(link, components, pinned)]
    strong = sorted(
        (link for link in usable if link.strength is LinkStrength.STRONG),
        key=lambda link: (-link.score, link.a, link.b, link.kind),
    )
    for link in strong:
        components.join(link.a, link.b)
    _join_weak(components, [link for link in usable if link.strength is LinkStrength.WEAK])

    members: dict[str, set[str]] = defaultdict(set)
    for key in components.parent:
        members[components.find(key)].add(key)
    groups = [
        SeriesGroup(members=found, seed_ids=list(components.seeds[root]))
        for root, found in members.items()
        if len(found) > 1 or components.seeds[root]
    ]
    return sorted(groups, key=lambda g: min(g.members))
