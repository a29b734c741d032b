"""The video linker: shares of sampled frames found in the other video, in both directions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.kit.linker_kit import (
    LinkerContract,
    MediaSpec,
    build_corpus,
    flipped,
    partition,
    random_hash,
)
from vidtrace.domain.series import Link, LinkStrength
from vidtrace.series.linkers import pdq_candidates
from vidtrace.series.linkers.video_in_video import VideoLinker

Frames = list[tuple[int, float, str, int]]


def random_frames(rng: np.random.Generator, count: int, start: int = 0) -> Frames:
    """``count`` unrelated frames sampled once a second, numbered from ``start``."""
    return [(start + i, float(start + i), random_hash(rng), 100) for i in range(count)]


def copied(frames: Frames, rng: np.random.Generator, bits: int = 4) -> Frames:
    """The same frames re-encoded: each hash ``bits`` away, renumbered from 0."""
    return [(i, float(i), flipped(h, bits, rng), q) for i, (_, _, h, q) in enumerate(frames)]


def video(name: str, frames: Frames, **fields: object) -> MediaSpec:
    return MediaSpec(name, is_video=True, frames=frames, **fields)  # type: ignore[arg-type]


def links_of(specs: list[MediaSpec]) -> dict[tuple[str, str], Link]:
    links = list(VideoLinker().propose(build_corpus(specs)))
    found = {(ln.a, ln.b): ln for ln in links}
    assert len(found) == len(links)
    return found


class TestVideoLinker(LinkerContract):
    linker = VideoLinker()
    linked_pairs = (("long", "clip"), ("long", "copy"), ("clip", "copy"), ("half", "half-copy"))
    unlinked_pairs = (("long", "other"), ("long", "still"), ("long", "half"))

    @pytest.fixture
    def sample_media(self) -> list[MediaSpec]:
        rng = np.random.default_rng(21)
        long = random_frames(rng, 40)
        half = random_frames(rng, 20)
        return [
            video("long", long),
            video("other", random_frames(rng, 30)),
            MediaSpec("still", pdq=long[3][2]),  # an image: the video-frame linker's business
            video("half", half),
            video("clip", copied(long[10:20], rng)),
            video("copy", copied(long, rng, bits=12)),
            video("half-copy", copied(half[:12], rng) + random_frames(rng, 8, start=12)),
        ]


def test_a_clip_links_to_the_longer_video_with_both_shares() -> None:
    rng = np.random.default_rng(1)
    long = random_frames(rng, 40)
    found = links_of([video("long", long), video("clip", copied(long[10:20], rng))])
    clip_in_long, long_in_clip = found["clip", "long"], found["long", "clip"]
    assert clip_in_long.score == 1.0 and long_in_clip.score == 0.25
    assert clip_in_long.strength is long_in_clip.strength is LinkStrength.STRONG
    assert clip_in_long.kind == "video"
    assert clip_in_long.evidence == (
        "100% of this video's 10 frames are in the other (10 of 10); 25% the other way (10 of 40)"
    )
    assert long_in_clip.evidence == (
        "25% of this video's 40 frames are in the other (10 of 40); 100% the other way (10 of 10)"
    )


@pytest.mark.parametrize(
    ("shared", "strength"),
    [(16, LinkStrength.STRONG), (15, LinkStrength.WEAK), (10, LinkStrength.WEAK), (9, None)],
)
def test_strength_follows_the_larger_share(shared: int, strength: LinkStrength | None) -> None:
    """Of 20 frames: 16 (80 %) strong, 10 (50 %) to 15 weak, fewer no link."""
    rng = np.random.default_rng(shared)
    a = random_frames(rng, 20)
    b = copied(a[:shared], rng) + random_frames(rng, 40 - shared, start=shared)
    found = links_of([video("a", a), video("b", b)])
    if strength is None:
        assert found == {}
        return
    assert {ln.strength for ln in found.values()} == {strength}
    assert found["a", "b"].score == shared / 20 and found["b", "a"].score == shared / 40


@pytest.mark.parametrize(("bits", "linked"), [(31, True), (32, False)])
def test_frames_match_within_31_bits(bits: int, linked: bool) -> None:
    rng = np.random.default_rng(bits)
    a = random_frames(rng, 10)
    found = links_of([video("a", a), video("b", copied(a, rng, bits))])
    assert bool(found) is linked


def test_low_quality_frames_are_left_out_of_the_shares() -> None:
    rng = np.random.default_rng(2)
    a = random_frames(rng, 10)
    blurry = [(f, s, h, 20) for f, s, h, _ in random_frames(rng, 10, start=10)]
    dark_match = [(f, s, h, 49) for f, s, h, _ in copied(a, rng)]
    found = links_of([video("a", a + blurry), video("b", dark_match + copied(a[:6], rng))])
    assert found["a", "b"].evidence.startswith("60% of this video's 10 frames")
    assert found["b", "a"].evidence.startswith("100% of this video's 6 frames")


def test_a_still_scene_counts_every_frame_it_covers() -> None:
    rng = np.random.default_rng(3)
    scene = random_hash(rng)
    still = [(i, float(i), scene, 100) for i in range(30)]
    a = still + random_frames(rng, 10, start=30)
    found = links_of([video("a", a), video("b", copied(still, rng, bits=0))])
    assert found["a", "b"].score == 30 / 40 and found["b", "a"].score == 1.0


def test_frames_within_one_video_do_not_link_it_to_itself() -> None:
    rng = np.random.default_rng(4)
    a = random_frames(rng, 10)
    assert links_of([video("a", a + copied(a, rng)), video("b", random_frames(rng, 5))]) == {}


def test_new_videos_link_to_old_ones_and_to_each_other() -> None:
    rng = np.random.default_rng(5)
    long = random_frames(rng, 40)
    specs = [
        video("old-long", long, new=False),
        video("old-copy", copied(long, rng), new=False),
        video("new-clip", copied(long[:10], rng)),
        video("new-other", random_frames(rng, 10)),
        video("new-clip-copy", copied(long[:10], rng)),
    ]
    found = links_of(specs)
    pairs = {frozenset(p) for p in found}
    clip, clip_copy = "new-clip", "new-clip-copy"
    assert pairs == {
        frozenset(p)
        for p in [
            (clip, "old-long"),
            (clip, "old-copy"),
            (clip_copy, "old-long"),
            (clip_copy, "old-copy"),
            (clip, clip_copy),
        ]
    }
    assert found["new-clip", "old-long"].score == 1.0
    assert found["old-long", "new-clip"].score == 0.25


@pytest.mark.parametrize("join_share", [0.0, 2.0])
def test_self_join_and_search_agree(join_share: float, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(6)
    specs = []
    for group in range(12):
        frames = random_frames(rng, 30)
        specs.append(video(f"v{group}", frames, new=group % 3 == 0))
        specs.append(video(f"v{group}-clip", copied(frames[5 : 5 + group * 2], rng)))
    expected = {(ln.a, ln.b, ln.evidence) for ln in VideoLinker().propose(build_corpus(specs))}
    monkeypatch.setattr(pdq_candidates, "JOIN_SHARE", join_share)
    found = {(ln.a, ln.b, ln.evidence) for ln in VideoLinker().propose(build_corpus(specs))}
    assert found == expected and len(found) > 20


def vpdq_reference(folder: Path) -> list[MediaSpec]:
    """The vPDQ reference videos as their per-frame hashes (every frame, as vPDQ hashed them):
    lines of ``frame,quality,pdq,seconds``."""
    specs = []
    for path in sorted(folder.glob("*.txt")):
        rows = [line.split(",") for line in path.read_text().splitlines() if line.strip()]
        frames = [(int(f), float(s), pdq, int(q)) for f, q, pdq, s in rows]
        specs.append(video(path.stem, frames))
    return specs


def test_vpdq_reference_videos(shared_data: Path) -> None:
    specs = vpdq_reference(shared_data / "vpdq/expected")
    links = list(VideoLinker().propose(build_corpus(specs)))
    groups = partition(links, LinkStrength.STRONG)
    assert groups == {
        frozenset({"pattern-hd-no-bar", "pattern-longer-no-bar"}),
        frozenset({"pattern-sd-grey-bar", "pattern-sd-with-small-logo-bar"}),
    }
    assert not partition(links, LinkStrength.WEAK)
    # The SD copies are letterboxed: the bars move every frame's PDQ 60 bits or more from the
    # HD frames, and the large logo bar as far from the other SD copies, so frame matching at
    # 31 bits cannot join them; doorknob and the padded test video are other content.
    long = {(ln.a, ln.b): ln for ln in links}["pattern-hd-no-bar", "pattern-longer-no-bar"]
    assert long.score == 1.0 and long.strength is LinkStrength.STRONG
