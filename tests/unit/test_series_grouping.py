"""The grouping rule: strong links join, weak links join only when two kinds agree, and
analysts' decisions (seeds, locks, pins, splits) bind the algorithm."""

from __future__ import annotations

import random

from vidtrace.domain.series import GroupingInput, Link, LinkStrength, SeedSeries, symmetric_link
from vidtrace.series.grouping import group

STRONG, WEAK = LinkStrength.STRONG, LinkStrength.WEAK


def link(a: str, b: str, kind: str = "near-duplicate", strength: LinkStrength = STRONG) -> Link:
    return symmetric_link(a, b, kind, 0.9, f"{a}-{b}", strength)


def partition(data: GroupingInput) -> set[frozenset[str]]:
    return {frozenset(g.members) for g in group(data)}


def media(*keys: str) -> frozenset[str]:
    return frozenset(keys)


def test_strong_links_join_transitively_and_singletons_are_no_series() -> None:
    data = GroupingInput(media("a", "b", "c", "d", "e"), (link("a", "b"), link("b", "c")))
    assert partition(data) == {media("a", "b", "c")}


def test_one_weak_link_does_not_join() -> None:
    data = GroupingInput(media("a", "b"), (link("a", "b", "sequence", WEAK),))
    assert partition(data) == set()


def test_two_weak_links_of_one_kind_do_not_join() -> None:
    links = (link("a", "c", "sequence", WEAK), link("b", "c", "sequence", WEAK))
    data = GroupingInput(media("a", "b", "c"), (link("a", "b"), *links))
    assert partition(data) == {media("a", "b")}


def test_weak_links_of_two_kinds_between_two_groups_join_them() -> None:
    # a-b is one series (strong); c-d another; a weak camera link a-c and a weak sequence
    # link b-d agree that the two groups belong together.
    links = (
        link("a", "b"),
        link("c", "d"),
        link("a", "c", "same-camera", WEAK),
        link("b", "d", "sequence", WEAK),
    )
    assert partition(GroupingInput(media("a", "b", "c", "d"), links)) == {media("a", "b", "c", "d")}


def test_weak_joins_repeat_until_nothing_more_agrees() -> None:
    # e agrees with a only once a and b are joined: the camera link is to a, the sequence to b.
    links = (
        link("a", "b", "same-camera", WEAK),
        link("a", "b", "sequence", WEAK),
        link("a", "e", "same-camera", WEAK),
        link("b", "e", "sequence", WEAK),
    )
    assert partition(GroupingInput(media("a", "b", "e"), links)) == {media("a", "b", "e")}


def test_same_partition_whatever_the_order_of_links_media_and_seeds() -> None:
    rng = random.Random(7)
    keys = [f"m{i:03d}" for i in range(120)]
    links = [link(rng.choice(keys), rng.choice(keys)) for _ in range(70)]
    links += [
        link(rng.choice(keys), rng.choice(keys), rng.choice(["sequence", "same-camera"]), WEAK)
        for _ in range(150)
    ]
    seeds = (SeedSeries(1, media("m000", "m001")), SeedSeries(2, media("m002", "m003")))
    first = GroupingInput(frozenset(keys), tuple(links), seeds, frozenset({(1, 2)}))
    shuffled = list(links)
    rng.shuffle(shuffled)
    second = GroupingInput(frozenset(keys), tuple(shuffled), tuple(reversed(seeds)), first.apart)
    assert partition(first) == partition(second)
    assert [g.seed_ids for g in group(first)] == [g.seed_ids for g in group(second)]


def test_a_seed_keeps_its_members_and_grows_by_links() -> None:
    data = GroupingInput(media("a", "b", "c"), (link("b", "c"),), (SeedSeries(5, media("a", "b")),))
    (series,) = group(data)
    assert series.members == {"a", "b", "c"} and series.seed_ids == [5]


def test_a_lone_seed_is_still_a_series() -> None:
    (series,) = group(GroupingInput(media("a"), (), (SeedSeries(9, media("a")),)))
    assert series.members == {"a"} and series.seed_ids == [9]


def test_two_seeds_joined_by_a_link_report_both_ids_smallest_first() -> None:
    seeds = (SeedSeries(8, media("a")), SeedSeries(3, media("b")))
    (series,) = group(GroupingInput(media("a", "b"), (link("a", "b"),), seeds))
    assert series.seed_ids == [3, 8]


def test_a_locked_series_neither_gains_nor_loses() -> None:
    seeds = (SeedSeries(1, media("a", "b"), locked=True),)
    data = GroupingInput(media("a", "b", "c", "d"), (link("a", "c"), link("c", "d")), seeds)
    assert partition(data) == {media("a", "b"), media("c", "d")}


def test_links_of_a_pinned_member_are_ignored() -> None:
    # An analyst moved b into series 2; its near-duplicate link to a must not pull it back.
    seeds = (SeedSeries(1, media("a", "x")), SeedSeries(2, media("b", "y"), pinned=media("b")))
    data = GroupingInput(media("a", "b", "x", "y"), (link("a", "b"),), seeds)
    assert partition(data) == {media("a", "x"), media("b", "y")}


def test_series_split_apart_are_never_joined_again() -> None:
    seeds = (SeedSeries(1, media("a")), SeedSeries(2, media("b")))
    links = (link("a", "b"), link("a", "c"), link("b", "c"))
    data = GroupingInput(media("a", "b", "c"), links, seeds, frozenset({(1, 2)}))
    groups = partition(data)
    assert media("a", "b") not in groups and not any({"a", "b"} <= g for g in groups)
    assert len(groups) == 2


def test_links_to_unknown_media_and_self_links_are_ignored() -> None:
    links = (link("a", "zz"), Link("a", "a", "near-duplicate", 1.0, "self", STRONG))
    assert partition(GroupingInput(media("a", "b"), links)) == set()
