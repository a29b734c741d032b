"""Same camera: the serial rule is strong, the model rule weak, local to a source and a window."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import ClassVar

import pytest

from tests.kit.linker_kit import LinkerContract, MediaSpec, build_corpus, linked, partition
from vidtrace.domain.series import Link, LinkStrength
from vidtrace.series.linkers.base import CameraFacts
from vidtrace.series.linkers.same_camera import SameCameraLinker, junk_serial, serial_key

LINKER = SameCameraLinker()
T0 = 1_686_571_140.0  # 2023-06-12 11:59:00 on the camera's clock
MINUTE = 60.0
CANON = CameraFacts("Canon", "Canon EOS 80D", "083021004517", "Firmware Version 1.0.2")
OTHER_CANON = dataclasses.replace(CANON, serial="083021009999")
NIKON_SAME_SERIAL = CameraFacts("NIKON CORPORATION", "NIKON D750", "083021004517", "Ver.1.10")
PHONE = CameraFacts("Apple", "iPhone 12", None, "16.5")


def media(
    name: str,
    camera: CameraFacts | None,
    taken_at: float | None,
    source: int = 1,
    *more_sources: int,
) -> MediaSpec:
    placements = [(s, "DCIM", f"{name}.jpg") for s in (source, *more_sources)]
    return MediaSpec(sha256=name, camera=camera, taken_at=taken_at, placements=placements)


def propose(specs: Sequence[MediaSpec]) -> list[Link]:
    return list(LINKER.propose(build_corpus(specs)))


def only_link(specs: Sequence[MediaSpec]) -> Link:
    links = propose(specs)
    assert len(links) == 1, links
    return links[0]


class TestSameCameraLinker(LinkerContract):
    linker = LINKER
    linked_pairs: ClassVar[Sequence[tuple[str, str]]] = [
        ("serial-1", "serial-2"),
        ("serial-2", "serial-3"),
        ("serial-3", "serial-undated"),
        ("phone-1", "phone-2"),
        ("junk-1", "junk-2"),
    ]
    unlinked_pairs: ClassVar[Sequence[tuple[str, str]]] = [
        ("serial-1", "nikon"),
        ("serial-1", "other-canon"),
        ("phone-1", "phone-elsewhere"),
        ("phone-2", "phone-later"),
        ("phone-1", "phone-updated"),
    ]

    @pytest.fixture
    def sample_media(self) -> list[MediaSpec]:
        junk = CameraFacts("Sony", "ILCE-7M3", "0000000", "ILCE-7M3 v3.01")
        return [
            media("serial-2", CANON, T0 + 3 * MINUTE, 1),
            media("phone-1", PHONE, T0, 1),
            media("junk-1", junk, T0, 3),
            media("serial-undated", CANON, None, 4),
            media("phone-elsewhere", PHONE, T0 + 10 * MINUTE, 2),
            media("nikon", NIKON_SAME_SERIAL, T0, 1),
            media("serial-3", CANON, T0 + 3 * 86400, 2),
            media("phone-2", PHONE, T0 + 4 * MINUTE, 1),
            media("serial-1", CANON, T0, 1),
            media("other-canon", OTHER_CANON, T0 + MINUTE, 1),
            media("phone-later", PHONE, T0 + 120 * MINUTE, 1),
            media("junk-2", junk, T0 + 5 * MINUTE, 3),
            media("phone-updated", dataclasses.replace(PHONE, software="16.6"), T0 + MINUTE, 1),
            media("phone-3", PHONE, T0 + 20 * MINUTE, 1),
        ]


def test_a_serial_is_strong_and_a_model_weak() -> None:
    serial = only_link([media("a", CANON, T0), media("b", CANON, T0 + 3 * MINUTE)])
    assert serial.strength is LinkStrength.STRONG
    assert serial.evidence == "same camera serial 083021004517 (Canon EOS 80D), 3 min apart"
    model = only_link([media("a", PHONE, T0), media("b", PHONE, T0 + 4 * MINUTE)])
    assert model.strength is LinkStrength.WEAK
    assert model.evidence == "same Apple iPhone 12, firmware 16.5, 4 min apart, same evidence item"


def test_the_model_rule_is_never_strong_and_needs_a_time() -> None:
    links = propose([media(f"m{i}", PHONE, T0 + i) for i in range(20)])
    assert links and all(link.strength is LinkStrength.WEAK for link in links)
    assert propose([media("a", PHONE, None), media("b", PHONE, T0)]) == []


def test_a_serial_joins_across_sources_days_and_unknown_times() -> None:
    far = [media("a", CANON, T0, 1), media("b", CANON, T0 + 30 * 86400, 2)]
    assert "30 days apart" in only_link(far).evidence
    undated = only_link([media("a", CANON, None, 1), media("b", CANON, None, 2)])
    assert (
        undated.evidence == "same camera serial 083021004517 (Canon EOS 80D), capture times unknown"
    )


def test_a_serial_is_compared_stripped_and_case_folded_within_its_make() -> None:
    lower = dataclasses.replace(CANON, serial=" ab12cd34 ")
    upper = dataclasses.replace(CANON, serial="AB12CD34")
    assert (
        only_link([media("a", lower, T0), media("b", upper, None)]).strength is LinkStrength.STRONG
    )
    assert propose([media("a", CANON, T0), media("b", NIKON_SAME_SERIAL, T0)]) == []
    no_make = CameraFacts(None, None, "083021004517")
    assert propose([media("a", CANON, T0), media("b", no_make, T0)]) == []
    assert len(propose([media("a", no_make, T0), media("b", no_make, T0)])) == 1
    assert serial_key(CameraFacts(" CANON ", None, "X1234")) == serial_key(
        CameraFacts("canon", None, "x1234")
    )


def test_different_serials_of_one_model_are_different_bodies() -> None:
    assert propose([media("a", CANON, T0), media("b", OTHER_CANON, T0 + MINUTE)]) == []


def test_the_model_rule_stays_within_one_source() -> None:
    assert propose([media("a", PHONE, T0, 1), media("b", PHONE, T0 + MINUTE, 2)]) == []
    both = propose([media("a", PHONE, T0, 1, 2), media("b", PHONE, T0 + MINUTE, 2)])
    assert len(both) == 1, "any evidence item the two share counts"
    twice = propose([media("a", PHONE, T0, 1, 2), media("b", PHONE, T0 + MINUTE, 1, 2)])
    assert len(twice) == 1, "found together in two sources, still one link per pair"


def test_the_model_rule_needs_make_model_and_firmware_alike() -> None:
    updated = dataclasses.replace(PHONE, software="16.6")
    assert propose([media("a", PHONE, T0), media("b", updated, T0 + MINUTE)]) == []
    other_model = dataclasses.replace(PHONE, model="iPhone 13")
    assert propose([media("a", PHONE, T0), media("b", other_model, T0 + MINUTE)]) == []
    no_model = CameraFacts("Apple", None, None, "16.5")
    assert propose([media("a", no_model, T0), media("b", no_model, T0 + MINUTE)]) == []


def test_the_window_edge_is_inclusive() -> None:
    window = SameCameraLinker.window_seconds
    assert len(propose([media("a", PHONE, T0), media("b", PHONE, T0 + window)])) == 1
    assert propose([media("a", PHONE, T0), media("b", PHONE, T0 + window + 1)]) == []


def test_a_chain_of_close_photos_spans_more_than_the_window() -> None:
    specs = [media(f"m{i:02}", PHONE, T0 + i * 20 * MINUTE) for i in range(10)]
    assert partition(propose(specs), LinkStrength.WEAK) == {frozenset(s.sha256 for s in specs)}


@pytest.mark.parametrize(
    "serial",
    [
        "0",
        "0000000",
        "  00000000 ",
        "unknown",
        "UNKNOWN",
        "N/A",
        "none",
        "xxxxxx",
        "----",
        "123456789",
        "0123456789",
        "SerialNumber",
        "12",
        "SN0000000",
        "0000-0000",
    ],
)
def test_junk_serials_are_ignored(serial: str) -> None:
    assert junk_serial(serial.strip().casefold())
    camera = dataclasses.replace(CANON, serial=serial)
    assert serial_key(camera) is None
    links = propose([media("a", camera, T0, 1), media("b", camera, T0, 2)])
    assert links == [], "a junk serial joins nothing, and the model rule keeps to one source"
    weak = only_link([media("a", camera, T0, 1), media("b", camera, T0 + MINUTE, 1)])
    assert weak.strength is LinkStrength.WEAK, "a junk serial falls back to the model rule"


@pytest.mark.parametrize("serial", ["083021004517", "A1B2C3", "1234A", "SN-4711", "10000"])
def test_real_serials_are_kept(serial: str) -> None:
    assert not junk_serial(serial.casefold())


def test_a_large_group_gets_a_chain_not_all_pairs() -> None:
    n = 10_000
    serial = [media(f"s{i:05}", CANON, T0 + (i * 7919 % n)) for i in range(n)]
    model = [media(f"p{i:05}", PHONE, T0 + (i * 7919 % n)) for i in range(n)]
    links = propose(serial + model)
    assert len(links) < 3 * 2 * n
    assert partition(links, LinkStrength.STRONG) == {frozenset(s.sha256 for s in serial)}
    assert partition(links, LinkStrength.WEAK) == {frozenset(s.sha256 for s in model)}


def test_a_new_photo_links_to_its_neighbours_in_time_among_old_and_new() -> None:
    old = [
        dataclasses.replace(media(f"old{i}", CANON, T0 + i * 10 * MINUTE), new=False)
        for i in range(5)
    ]
    new = media("new", CANON, T0 + 25 * MINUTE)
    links = propose([*old, new])
    assert linked(links) == {frozenset(("new", "old2")), frozenset(("new", "old3"))}
    assert propose(old) == [], "nothing new, nothing proposed"
