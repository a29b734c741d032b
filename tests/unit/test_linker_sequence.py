"""Sequence: consecutive camera file names and capture bursts, within one folder of one source."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import ClassVar

import pytest

from tests.kit.linker_kit import LinkerContract, MediaSpec, build_corpus, linked, partition
from vidtrace.domain.series import Link, LinkStrength
from vidtrace.series.linkers.sequence import SequenceLinker, name_place

LINKER = SequenceLinker()
T0 = 1_686_571_140.0
CANON = "DCIM/100CANON"


def at(
    sha: str, name: str, folder: str = CANON, source: int = 1, taken_at: float | None = None
) -> MediaSpec:
    return MediaSpec(sha256=sha, placements=[(source, folder, name)], taken_at=taken_at)


def propose(specs: Sequence[MediaSpec]) -> list[Link]:
    return list(LINKER.propose(build_corpus(specs)))


def pairs(specs: Sequence[MediaSpec]) -> set[frozenset[str]]:
    return linked(propose(specs))


class TestSequenceLinker(LinkerContract):
    linker = LINKER
    linked_pairs: ClassVar[Sequence[tuple[str, str]]] = [
        ("dsc41", "dsc42"),
        ("dsc42", "dsc44"),
        ("img1234", "img1235"),
        ("p23", "p24"),
        ("photo3", "photo4"),
        ("pxl-a", "pxl-b"),
        ("burst-a", "burst-b"),
        ("dsc44", "burst-a"),
    ]
    unlinked_pairs: ClassVar[Sequence[tuple[str, str]]] = [
        ("dsc44", "dsc50"),
        ("dsc41", "dsc41-other-source"),
        ("dsc42", "dsc43-other-folder"),
        ("wa7", "wa8"),
        ("uuid-a", "uuid-b"),
        ("img1234", "img1235-jpg"),
        ("burst-b", "late"),
    ]

    @pytest.fixture
    def sample_media(self) -> list[MediaSpec]:
        return [
            at("dsc42", "DSC_0042.JPG"),
            at("img1234", "IMG_1234.HEIC", "DCIM/100APPLE"),
            at("wa7", "IMG-20230614-WA0007.jpg", "WhatsApp/Media/WhatsApp Images"),
            at("p24", "P1010024.JPG", "DCIM/101_PANA"),
            at("dsc41-other-source", "DSC_0041.JPG", source=2),
            at("photo4", "photo (4).jpg", "Downloads"),
            at("pxl-b", "PXL_20230612_115903020.jpg", "DCIM/Camera"),
            at("uuid-a", "3f2504e0-4f89-11d3-9a0c-0305e82c3301.jpg", "Downloads"),
            at("burst-a", "IMG_9001.JPG", taken_at=T0),
            at("dsc50", "DSC_0050.JPG"),
            at("late", "IMG_9300.JPG", taken_at=T0 + 60),
            at("dsc41", "DSC_0041.JPG"),
            at("img1235", "IMG_1235.HEIC", "DCIM/100APPLE"),
            at("wa8", "IMG-20230614-WA0008.jpg", "WhatsApp/Media/WhatsApp Images"),
            at("p23", "P1010023.JPG", "DCIM/101_PANA"),
            at("dsc43-other-folder", "DSC_0043.JPG", "DCIM/101CANON"),
            at("photo3", "photo (3).jpg", "Downloads"),
            at("pxl-a", "PXL_20230612_115900156.jpg", "DCIM/Camera"),
            at("uuid-b", "9a0c4f89-11d3-3f25-04e0-0305e82c3302.jpg", "Downloads"),
            at("burst-b", "IMG_9100.JPG", taken_at=T0 + 4),
            at("dsc44", "DSC_0044.JPG", taken_at=T0 - 3),
            at("img1235-jpg", "IMG_1235.JPG", "DCIM/100APPLE"),
        ]


@pytest.mark.parametrize(
    ("name", "sequence", "value"),
    [
        ("DSC_0042.JPG", ("dsc_", "", "jpg", False), 42),
        ("dsc_0043.jpeg", ("dsc_", "", "jpg", False), 43),
        ("IMG_1234.HEIC", ("img_", "", "heic", False), 1234),
        ("P1010023.JPG", ("p", "", "jpg", False), 1010023),
        ("photo (3).jpg", ("photo (", ")", "jpg", False), 3),
        ("12.png", ("", "", "png", False), 12),
        ("PXL_20230612_115900156.jpg", ("pxl_", "", "jpg", True), 1_686_571_140.156),
        ("IMG_20230612_115900.jpg", ("img_", "", "jpg", True), 1_686_571_140),
        ("PXL_20230612_115900156.NIGHT.jpg", ("pxl_", ".night", "jpg", True), 1_686_571_140.156),
    ],
)
def test_names_that_number_a_sequence(
    name: str, sequence: tuple[str, str, str, bool], value: float
) -> None:
    place = name_place(name)
    assert place is not None
    assert (place.prefix, place.rest, place.family, place.clock) == sequence
    assert place.value == pytest.approx(value)


@pytest.mark.parametrize(
    "name",
    [
        "IMG-20230614-WA0007.jpg",
        "VID-20230614-WA0002.mp4",
        "WhatsApp Image 2023-06-14 at 11.59.00 (1).jpeg",
        "photo_2023-06-14_11-59-00.jpg",
        "received_1234567890123456.jpeg",
        "1686571140123.jpg",
        "FB_IMG_1686571140123.jpg",
        "beach.jpg",
        ".jpg",
    ],
)
def test_names_that_number_nothing(name: str) -> None:
    assert name_place(name) is None


def test_whatsapp_counters_never_link() -> None:
    # WAnnnn counts what one phone received that day, from every chat: neighbours in that count
    # are as often from strangers as from one sender, so they are no sequence.
    specs = [at(f"wa{i}", f"IMG-20230614-WA{i:04}.jpg", "WhatsApp Images") for i in range(1, 6)]
    assert propose(specs) == []


def test_the_gap_edge() -> None:
    gap = SequenceLinker.max_gap
    assert pairs([at("a", "DSC_0010.JPG"), at("b", f"DSC_{10 + gap:04}.JPG")])
    assert not pairs([at("a", "DSC_0010.JPG"), at("b", f"DSC_{10 + gap + 1:04}.JPG")])


def test_each_file_links_to_its_nearest_neighbour_only() -> None:
    specs = [at(f"d{i}", f"DSC_{i:04}.JPG") for i in (1, 2, 3, 4)]
    assert pairs(specs) == {frozenset(p) for p in (("d1", "d2"), ("d2", "d3"), ("d3", "d4"))}


def test_different_folders_sources_prefixes_or_formats_do_not_link() -> None:
    assert not pairs([at("a", "DSC_0001.JPG", "DCIM/100CANON"), at("b", "DSC_0002.JPG", "DCIM")])
    assert not pairs([at("a", "DSC_0001.JPG", source=1), at("b", "DSC_0002.JPG", source=2)])
    assert not pairs([at("a", "DSC_0001.JPG"), at("b", "IMG_0002.JPG")])
    assert not pairs([at("a", "DSC_0001.JPG"), at("b", "DSC_0002.NEF")])
    assert pairs([at("a", "DSC_0001.JPG"), at("b", "dsc_0002.jpeg")])


def test_any_placement_counts() -> None:
    a = at("a", "DSC_0001.JPG", "backup")
    a.placements.append((1, CANON, "DSC_0001.JPG"))
    link = propose([a, at("b", "DSC_0002.JPG")])
    assert [ln.evidence for ln in link] == [f"DSC_0001.JPG and DSC_0002.JPG in {CANON}"]


def test_burst_window_edge_and_evidence() -> None:
    window = SequenceLinker.burst_seconds
    near = propose([at("a", "x.jpg", taken_at=T0), at("b", "y.jpg", taken_at=T0 + window)])
    assert [ln.evidence for ln in near] == [f"taken 10 s apart in {CANON} (burst)"]
    far = [at("a", "x.jpg", taken_at=T0), at("b", "y.jpg", taken_at=T0 + window + 0.5)]
    assert not pairs(far)
    elsewhere = [at("a", "x.jpg", taken_at=T0), at("b", "y.jpg", "other", taken_at=T0 + 1)]
    assert not pairs(elsewhere)


def test_a_burst_chains_its_shots() -> None:
    specs = [at(f"b{i:02}", f"x{i}.jpg", taken_at=T0 + 8 * i) for i in range(12)]
    assert partition(propose(specs), LinkStrength.WEAK) == {frozenset(s.sha256 for s in specs)}


def test_both_reasons_make_one_link_that_names_both() -> None:
    specs = [
        at("a", "DSC_0041.JPG", taken_at=T0),
        at("b", "DSC_0042.JPG", taken_at=T0 + 4),
    ]
    links = propose(specs)
    assert len(links) == 1
    assert links[0].strength is LinkStrength.WEAK
    assert links[0].evidence == f"DSC_0041.JPG and DSC_0042.JPG in {CANON}, taken 4 s apart (burst)"


def test_names_with_a_time_link_within_seconds() -> None:
    assert pairs([at("a", "IMG_20230612_115900.jpg"), at("b", "IMG_20230612_115909.jpg")])
    assert not pairs([at("a", "IMG_20230612_115900.jpg"), at("b", "IMG_20230612_120000.jpg")])


def test_a_large_folder_gets_a_chain_not_all_pairs() -> None:
    n = 10_000
    specs = [
        at(f"m{i:05}", f"DSC_{(i * 7919) % n:05}.JPG", taken_at=T0 + (i * 7919 % n))
        for i in range(n)
    ]
    links = propose(specs)
    assert len(links) < 3 * n
    assert partition(links, LinkStrength.WEAK) == {frozenset(s.sha256 for s in specs)}


def test_a_new_file_links_into_an_old_sequence() -> None:
    old = [dataclasses.replace(at(f"d{i}", f"DSC_{i:04}.JPG"), new=False) for i in (1, 2, 4, 5)]
    links = propose([*old, at("d3", "DSC_0003.JPG")])
    assert linked(links) == {frozenset(("d2", "d3")), frozenset(("d3", "d4"))}
    assert propose(old) == []
