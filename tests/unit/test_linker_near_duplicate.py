"""The near-duplicate linker: PDQ distance, dihedral variants, quality, incremental runs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.kit.linker_kit import LinkerContract, MediaSpec, build_corpus, flipped, random_hash
from tests.kit.signal_kit import photo, save
from vidtrace.config import Limits
from vidtrace.domain.series import Link, LinkStrength
from vidtrace.series.linkers import pdq_candidates
from vidtrace.series.linkers.near_duplicate import NearDuplicateLinker
from vidtrace.signals.image_decode import decode_reduced
from vidtrace.signals.pdq import DIHEDRAL_NAMES, PdqSignal, hamming

ROTATE90 = DIHEDRAL_NAMES.index("rotate90")
ROTATE180 = DIHEDRAL_NAMES.index("rotate180")
ROTATE270 = DIHEDRAL_NAMES.index("rotate270")
FLIPY = DIHEDRAL_NAMES.index("flipy")


def turned_pair(
    rng: np.random.Generator, variant: int, bits: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Dihedral hashes of an image and of a copy turned by ``variant``: the image's variant is
    ``bits`` from the copy, and the copy turned back is ``bits`` from the image."""
    image = [random_hash(rng) for _ in DIHEDRAL_NAMES]
    copy = [random_hash(rng) for _ in DIHEDRAL_NAMES]
    copy[0] = flipped(image[variant], bits, rng)
    copy[pdq_candidates.INVERSE[variant]] = flipped(image[0], bits, rng)
    return tuple(image), tuple(copy)


def image(name: str, dihedral: tuple[str, ...], **fields: object) -> MediaSpec:
    return MediaSpec(name, pdq=dihedral[0], dihedral=dihedral, **fields)  # type: ignore[arg-type]


def links_of(specs: list[MediaSpec], linker: NearDuplicateLinker | None = None) -> list[Link]:
    return list((linker or NearDuplicateLinker()).propose(build_corpus(specs)))


def by_pair(links: list[Link]) -> dict[frozenset[str], Link]:
    return {frozenset((ln.a, ln.b)): ln for ln in links}


class TestNearDuplicateLinker(LinkerContract):
    linker = NearDuplicateLinker()
    linked_pairs = (("a", "a-copy"), ("a", "a-turned"), ("a-copy", "a-turned"), ("b", "b-copy"))
    unlinked_pairs = (("a", "b"), ("a", "a-blurry"), ("a", "a-video"), ("b", "stranger"))

    @pytest.fixture
    def sample_media(self) -> list[MediaSpec]:
        rng = np.random.default_rng(11)
        a, turned = turned_pair(rng, ROTATE90, 4)
        a_copy = tuple(flipped(h, 8, rng) for h in a)
        b = random_hash(rng)
        return [
            image("a", a),
            MediaSpec("b", pdq=b),
            MediaSpec("stranger", pdq=random_hash(rng)),
            image("a-blurry", a, quality=40),
            image("a-copy", a_copy),
            image("a-turned", turned),
            MediaSpec("b-copy", pdq=flipped(b, 20, rng)),
            image("a-video", a, is_video=True),
        ]


def test_evidence_and_score_read_as_the_distance() -> None:
    rng = np.random.default_rng(1)
    a = random_hash(rng)
    (link,) = links_of([MediaSpec("y", pdq=flipped(a, 12, rng)), MediaSpec("x", pdq=a)])
    assert (link.a, link.b, link.kind) == ("x", "y", "near-duplicate")
    assert link.evidence == "PDQ distance 12"
    assert link.score == pytest.approx(1 - 12 / 64)
    assert link.strength is LinkStrength.STRONG


@pytest.mark.parametrize(("bits", "linked"), [(31, True), (32, False)])
def test_threshold_is_31_bits(bits: int, linked: bool) -> None:
    rng = np.random.default_rng(bits)
    a = random_hash(rng)
    links = links_of([MediaSpec("x", pdq=a), MediaSpec("y", pdq=flipped(a, bits, rng))])
    assert bool(links) is linked


@pytest.mark.parametrize(("bits", "linked"), [(20, True), (21, False)])
def test_max_distance_is_a_setting(bits: int, linked: bool) -> None:
    rng = np.random.default_rng(bits)
    a = random_hash(rng)
    specs = [MediaSpec("x", pdq=a), MediaSpec("y", pdq=flipped(a, bits, rng))]
    assert bool(links_of(specs, NearDuplicateLinker(max_distance=20))) is linked


@pytest.mark.parametrize("quality", [49, 50])
def test_both_hashes_need_quality_50(quality: int) -> None:
    rng = np.random.default_rng(2)
    a = random_hash(rng)
    specs = [MediaSpec("x", pdq=a), MediaSpec("y", pdq=flipped(a, 3, rng), quality=quality)]
    assert bool(links_of(specs)) is (quality >= NearDuplicateLinker.min_quality)


@pytest.mark.parametrize("variant", range(1, len(DIHEDRAL_NAMES)))
def test_every_turn_and_flip_links_and_is_named(variant: int) -> None:
    rng = np.random.default_rng(variant)
    original, copy = turned_pair(rng, variant, 6)
    (link,) = links_of([image("b-copy", copy), image("a-original", original)])
    assert (link.a, link.b) == ("a-original", "b-copy")
    assert link.evidence == f"PDQ distance 6 after {DIHEDRAL_NAMES[variant]}"
    # Named from the other side, the turn is undone the other way.
    (link,) = links_of([image("a-copy", copy), image("b-original", original)])
    inverse = pdq_candidates.INVERSE[variant]
    assert link.evidence == f"PDQ distance 6 after {DIHEDRAL_NAMES[inverse]}"


@pytest.mark.parametrize(
    ("variant", "radius"), [(ROTATE90, 31), (ROTATE270, 31), (ROTATE180, 21), (FLIPY, 21)]
)
@pytest.mark.parametrize("new", ["both", "original", "copy"])
def test_variants_are_searched_to_their_radius(variant: int, radius: int, new: str) -> None:
    """Quarter turns to 31 bits, the half turn and the flips to 21 (see the module)."""
    for bits, linked in ((radius, True), (radius + 1, False)):
        rng = np.random.default_rng(bits)
        original, copy = turned_pair(rng, variant, bits)
        specs = [
            image("original", original, new=new != "copy"),
            image("copy", copy, new=new != "original"),
        ]
        assert bool(links_of(specs)) is linked, (bits, new)


def test_one_link_per_pair_the_closest_match() -> None:
    rng = np.random.default_rng(3)
    original, copy = turned_pair(rng, FLIPY, 5)
    copy = (flipped(original[0], 20, rng), *copy[1:])  # also close as it is
    links = links_of([image("a", original), image("b", copy)])
    assert [ln.evidence for ln in links] == ["PDQ distance 5 after flipy"]


def test_a_symmetric_picture_does_not_link_to_itself() -> None:
    rng = np.random.default_rng(4)
    symmetric = random_hash(rng)
    assert links_of([MediaSpec("x", pdq=symmetric), MediaSpec("y", pdq=random_hash(rng))]) == []


def test_new_images_link_to_old_ones_and_to_each_other() -> None:
    rng = np.random.default_rng(5)
    a, turned = turned_pair(rng, ROTATE270, 7)
    specs = [
        image("old-a", a, new=False),
        image("old-a-copy", tuple(flipped(h, 3, rng) for h in a), new=False),
        image("new-turned", turned),
        image("new-copy", tuple(flipped(h, 4, rng) for h in a)),
    ]
    found = by_pair(links_of(specs))
    assert set(found) == {
        frozenset(p)
        for p in [
            ("old-a", "new-turned"),
            ("old-a-copy", "new-turned"),
            ("old-a", "new-copy"),
            ("old-a-copy", "new-copy"),
            ("new-turned", "new-copy"),
        ]
    }
    assert found[frozenset(("old-a", "new-turned"))].evidence == "PDQ distance 7 after rotate90"


def test_nothing_new_nothing_proposed() -> None:
    rng = np.random.default_rng(6)
    a = random_hash(rng)
    specs = [MediaSpec("x", pdq=a, new=False), MediaSpec("y", pdq=a, new=False)]
    assert links_of(specs) == []


def consistent_corpus(count: int, seed: int) -> list[MediaSpec]:
    """Clusters of near copies, some turned. Variant v of every image is the image XOR a fixed
    mask (rotate270 sharing rotate90's), so a turned match reads the same from either side, as
    it nearly does in real hashes. A quarter of the images are new."""
    rng = np.random.default_rng(seed)
    masks = [0] + [int(random_hash(rng), 16) for _ in range(7)]
    masks[ROTATE270] = masks[ROTATE90]
    specs = []
    centre = ""
    for i in range(count):
        if i % 3 == 0:
            centre = random_hash(rng)
        base = f"{int(centre, 16) ^ (masks[i % 8] if i % 5 == 0 else 0):064x}"
        pdq = flipped(base, int(rng.integers(0, 25)), rng)
        dihedral = tuple(f"{int(pdq, 16) ^ m:064x}" for m in masks)
        specs.append(image(f"{rng.integers(1 << 62):016x}", dihedral, new=i % 4 == 0))
    return specs


def evidence_set(links: list[Link]) -> set[tuple[str, str, str]]:
    return {(ln.a, ln.b, ln.evidence) for ln in links}


def test_a_later_run_finds_what_one_run_finds_about_the_new_images() -> None:
    """All new: every image searched, rotate90 standing for rotate270 too, a self-join. Some
    new: the new images searched with every variant. The same links involve the new ones."""
    specs = consistent_corpus(240, seed=7)
    everything = evidence_set(links_of([dataclasses.replace(s, new=True) for s in specs]))
    assert sum("after" in e for _, _, e in everything) > 20 and len(everything) > 100
    new = {s.sha256 for s in specs if s.new}
    assert evidence_set(links_of(specs)) == {e for e in everything if {e[0], e[1]} & new}


@pytest.mark.parametrize("new_share", [0.25, 1.0])
def test_self_join_search_and_workers_agree(
    new_share: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = consistent_corpus(240, seed=8)
    if new_share == 1.0:
        specs = [dataclasses.replace(s, new=True) for s in specs]
    expected = evidence_set(links_of(specs))
    corpus = build_corpus(specs)
    corpus.workers = 2
    monkeypatch.setattr(pdq_candidates, "PARALLEL_QUERIES", 1)  # spawn workers even so
    monkeypatch.setattr(pdq_candidates, "TASK_QUERIES", 64)
    for share in (0.0, 2.0):  # always a self-join, never
        monkeypatch.setattr(pdq_candidates, "JOIN_SHARE", share)
        assert evidence_set(list(NearDuplicateLinker().propose(corpus))) == expected, share


def signal_hashes(path: Path) -> tuple[str, ...]:
    return PdqSignal().compute(decode_reduced(path, "x", Limits())).dihedral


def test_real_turned_and_flipped_copies_link_to_the_original(shared_data: Path) -> None:
    folder = shared_data / "pdq/reg-test-input/dih"
    paths = sorted(folder.glob("bridge-*.jpg"))  # original first, then DIHEDRAL_NAMES order
    specs = [image(p.stem, signal_hashes(p)) for p in paths]
    found = by_pair(links_of(specs))
    for position, path in enumerate(paths[1:], start=1):
        link = found[frozenset((paths[0].stem, path.stem))]
        assert link.a == paths[0].stem
        assert link.evidence.endswith(f" after {DIHEDRAL_NAMES[position]}"), path.name


def test_real_mirrored_and_resized_photos(shared_data: Path) -> None:
    folder = shared_data / "neardup/imagededup/mixed_images"
    names = ["ukbench00120", "ukbench00120_hflip", "ukbench00120_resize", "ukbench09268"]
    specs = [image(n, signal_hashes(folder / f"{n}.jpg")) for n in names]
    found = by_pair(links_of(specs))
    assert found[frozenset(("ukbench00120", "ukbench00120_hflip"))].evidence.endswith("flipy")
    assert "after" not in found[frozenset(("ukbench00120", "ukbench00120_resize"))].evidence
    assert not any("ukbench09268" in pair for pair in found)


@pytest.mark.parametrize("transpose", list(Image.Transpose))
def test_generated_turned_copies_link(tmp_path: Path, transpose: Image.Transpose) -> None:
    picture = photo(900, 600, seed=3)
    original = signal_hashes(save(picture, tmp_path / "a.png"))
    copy = signal_hashes(save(picture.transpose(transpose), tmp_path / "b.png"))
    (link,) = links_of([image("a", original), image("b", copy)])
    assert (link.a, link.b) == ("a", "b")
    name = link.evidence.rsplit(" ", 1)[-1]
    variant = DIHEDRAL_NAMES.index(name) if "after" in link.evidence else 0
    assert hamming(original[variant], copy[0]) <= 16
