"""The video-frame linker: a still image that is a sampled frame of a video."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest

from tests.kit.linker_kit import LinkerContract, MediaSpec, build_corpus, flipped, random_hash
from vidtrace.domain.series import Link, LinkStrength
from vidtrace.series.linkers import pdq_candidates
from vidtrace.series.linkers.video_frame import VideoFrameLinker
from vidtrace.signals.pdq import DIHEDRAL_NAMES

Frames = list[tuple[int, float, str, int]]
ROTATE90 = DIHEDRAL_NAMES.index("rotate90")
FLIPY = DIHEDRAL_NAMES.index("flipy")


def random_frames(rng: np.random.Generator, count: int, every: float = 0.5) -> Frames:
    """``count`` unrelated frames: frame ``15 * i`` at ``every * i`` seconds (30 frames/s)."""
    return [(15 * i, every * i, random_hash(rng), 100) for i in range(count)]


def video(name: str, frames: Frames, **fields: object) -> MediaSpec:
    return MediaSpec(name, is_video=True, frames=frames, **fields)  # type: ignore[arg-type]


def still(name: str, pdq: str, variant: int = 0, **fields: object) -> MediaSpec:
    """An image whose dihedral ``variant`` is ``pdq``; its other variants are unrelated."""
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    dihedral = [random_hash(rng) for _ in DIHEDRAL_NAMES]
    dihedral[variant] = pdq
    return MediaSpec(name, pdq=dihedral[0], dihedral=tuple(dihedral), **fields)  # type: ignore[arg-type]


def links_of(specs: list[MediaSpec]) -> dict[frozenset[str], Link]:
    links = list(VideoFrameLinker().propose(build_corpus(specs)))
    found = {frozenset((ln.a, ln.b)): ln for ln in links}
    assert len(found) == len(links), "one link per (image, video)"
    return found


class TestVideoFrameLinker(LinkerContract):
    linker = VideoFrameLinker()
    linked_pairs = (("screenshot", "film"), ("turned", "film"), ("screenshot", "film-copy"))
    unlinked_pairs = (
        ("stranger", "film"),
        ("blurry", "film"),
        ("screenshot", "other"),
        ("screenshot", "turned"),
        ("dark-frame", "other"),
    )

    @pytest.fixture
    def sample_media(self) -> list[MediaSpec]:
        rng = np.random.default_rng(31)
        film = random_frames(rng, 20)
        other = random_frames(rng, 10)
        copy = [(f, s, flipped(h, 3, rng), q) for f, s, h, q in film]
        dark = [(f, s, h, 30) for f, s, h, _ in other]
        return [
            video("film", film),
            MediaSpec("stranger", pdq=random_hash(rng)),
            still("screenshot", flipped(film[4][2], 6, rng)),
            video("other", other[:5] + dark[5:]),
            still("blurry", film[7][2], quality=30),
            still("turned", flipped(film[12][2], 2, rng), variant=ROTATE90),
            video("film-copy", copy),
            still("dark-frame", flipped(other[8][2], 1, rng)),
        ]


def test_the_closest_frame_is_named() -> None:
    rng = np.random.default_rng(1)
    frames = random_frames(rng, 100)
    frames[84] = (42 * 30, 42.0, flipped(frames[10][2], 20, rng), 100)  # frame 10 seen again
    (link,) = links_of([video("v", frames), still("s", flipped(frames[84][2], 6, rng))]).values()
    assert link.evidence == "matches frame 1260 (42.0 s) of the video, PDQ distance 6"
    assert (link.a, link.b, link.kind) == ("s", "v", "video-frame")
    assert link.score == pytest.approx(1 - 6 / 64)
    assert link.strength is LinkStrength.STRONG


def test_a_turned_still_names_the_turn() -> None:
    rng = np.random.default_rng(2)
    frames = random_frames(rng, 10)
    (link,) = links_of([video("v", frames), still("s", frames[3][2], variant=FLIPY)]).values()
    assert link.evidence == (
        "matches frame 45 (1.5 s) of the video, PDQ distance 0 after flipy of the image"
    )


@pytest.mark.parametrize("others", [0, 30])  # images fewer than the frames, or more
@pytest.mark.parametrize(
    ("variant", "bits", "linked"),
    [(0, 31, True), (0, 32, False), (ROTATE90, 21, True), (ROTATE90, 22, False)],
)
def test_hashes_match_to_31_bits_variants_to_21(
    variant: int, bits: int, linked: bool, others: int
) -> None:
    rng = np.random.default_rng(bits)
    frames = random_frames(rng, 10)
    specs = [video("v", frames), still("s", flipped(frames[5][2], bits, rng), variant=variant)]
    specs += [MediaSpec(f"other-{i}", pdq=random_hash(rng)) for i in range(others)]
    assert bool(links_of(specs)) is linked


@pytest.mark.parametrize(("image_quality", "frame_quality"), [(49, 100), (100, 49), (50, 50)])
def test_both_need_quality_50(image_quality: int, frame_quality: int) -> None:
    rng = np.random.default_rng(3)
    frames = [(f, s, h, frame_quality) for f, s, h, _ in random_frames(rng, 5)]
    found = links_of([video("v", frames), still("s", frames[2][2], quality=image_quality)])
    assert bool(found) is (min(image_quality, frame_quality) >= 50)


def test_new_images_and_new_videos_link_to_old_ones() -> None:
    rng = np.random.default_rng(4)
    old_film, new_film = random_frames(rng, 20), random_frames(rng, 20)
    specs = [
        video("old-film", old_film, new=False),
        still("old-still-of-old", old_film[1][2], new=False),
        still("old-still-of-new", new_film[2][2], new=False),
        video("new-film", new_film),
        still("new-still-of-old", old_film[3][2], variant=ROTATE90),
        still("new-still-of-new", new_film[4][2]),
    ]
    assert set(links_of(specs)) == {
        frozenset(p)
        for p in [
            ("old-still-of-new", "new-film"),
            ("new-still-of-old", "old-film"),
            ("new-still-of-new", "new-film"),
        ]
    }


def test_many_images_are_searched_by_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(5)
    frames = random_frames(rng, 50)
    specs = [video("v", frames)] + [
        still(f"s{i:03}", flipped(frames[i % 50][2], 5, rng) if i % 7 == 0 else random_hash(rng))
        for i in range(200)
    ]
    expected = {(ln.a, ln.b, ln.evidence) for ln in VideoFrameLinker().propose(build_corpus(specs))}
    assert len(expected) == len(range(0, 200, 7))
    corpus = build_corpus(specs)
    corpus.workers = 2
    monkeypatch.setattr(pdq_candidates, "PARALLEL_QUERIES", 1)
    monkeypatch.setattr(pdq_candidates, "TASK_QUERIES", 32)
    assert {(ln.a, ln.b, ln.evidence) for ln in VideoFrameLinker().propose(corpus)} == expected


def test_vpdq_reference_frames_as_stills(shared_data: Path) -> None:
    """A frame of the pattern video saved as a still links to the pattern videos it is in."""
    specs = []
    for path in sorted((shared_data / "vpdq/expected").glob("*.txt")):
        rows = [line.split(",") for line in path.read_text().splitlines() if line.strip()]
        frames = [(int(f), float(s), pdq, int(q)) for f, q, pdq, s in rows]
        specs.append(video(path.stem, frames))
    hd_frames = next(s for s in specs if s.sha256 == "pattern-hd-no-bar").frames
    specs.append(still("still", hd_frames[100][2]))
    found = links_of(specs)
    assert set(found) == {
        frozenset(("still", "pattern-hd-no-bar")),
        frozenset(("still", "pattern-longer-no-bar")),
    }
    assert found[frozenset(("still", "pattern-hd-no-bar"))].evidence == (
        "matches frame 100 (3.3 s) of the video, PDQ distance 0"
    )
