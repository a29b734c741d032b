"""The same-scene linker: other shots and crops link; different scenes, even alike, do not."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from tests.kit.linker_kit import LinkerContract, MediaSpec, build_corpus, linked
from vidtrace.demo.patterns import Pattern
from vidtrace.demo.scenes import (
    Shot,
    load_bundled_photo,
    make_room_style,
    render_room,
    take_shot,
)
from vidtrace.domain.series import Link, LinkStrength
from vidtrace.series.linkers import same_scene
from vidtrace.series.linkers.same_scene import SameSceneLinker

Grey = npt.NDArray[np.uint8]


def thumbnail(image: Image.Image) -> Grey:
    """What ingest stores: upright, longest side 256 px; grey, as linkers read it."""
    small = image.convert("L")
    small.thumbnail((256, 256), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return np.asarray(small, dtype=np.uint8)


def photo(name: str) -> Image.Image:
    return load_bundled_photo(name)


def crop(image: Image.Image, left: float, top: float, right: float, bottom: float) -> Image.Image:
    w, h = image.size
    return image.crop((round(w * left), round(h * top), round(w * right), round(h * bottom)))


def another_shot(image: Image.Image) -> Image.Image:
    """The photo's scene seen again: zoomed in, moved to the side, a little perspective."""
    w, h = image.size
    return take_shot(image, Shot(cx=0.56, cy=0.5, width=0.7, aspect=w / h, yaw=0.04, out_width=w))


def links_between(links: list[Link], a: str, b: str) -> list[Link]:
    return [ln for ln in links if {ln.a, ln.b} == {a, b}]


class TestSameSceneLinker(LinkerContract):
    linker = SameSceneLinker()
    linked_pairs = (("astronaut", "astronaut-crop"), ("coffee", "coffee-other-shot"))
    unlinked_pairs = (
        ("astronaut", "coffee"),
        ("astronaut-crop", "coffee-other-shot"),
        ("camera", "chelsea"),
        ("astronaut", "chelsea"),
        ("coffee", "camera"),
    )

    @pytest.fixture
    def sample_media(self, photos: dict[str, Grey]) -> list[MediaSpec]:
        return [MediaSpec(sha256=name, grey=grey) for name, grey in photos.items()]


@pytest.fixture(scope="module")
def photos() -> dict[str, Grey]:
    astronaut, coffee = photo("astronaut.png"), photo("coffee.png")
    return {
        "astronaut": thumbnail(astronaut),
        "coffee": thumbnail(coffee),
        "camera": thumbnail(photo("camera.png")),
        "astronaut-crop": thumbnail(crop(astronaut, 0.12, 0.05, 0.82, 0.75)),
        "coffee-other-shot": thumbnail(another_shot(coffee)),
        "chelsea": thumbnail(photo("chelsea.png")),
    }


@pytest.fixture(scope="module")
def swapped_rooms() -> dict[str, Grey]:
    """Two rooms from the same two patterns, swapped: flowers on the wall and diamonds on the
    bed in one, the other way round in the other; same furniture. Two shots of each."""
    shots: dict[str, Grey] = {}
    for name, wallpaper, cover, seed in (
        ("flowers-room", Pattern.FLOWERS, Pattern.DIAMONDS, 11),
        ("diamonds-room", Pattern.DIAMONDS, Pattern.FLOWERS, 12),
    ):
        rng = np.random.default_rng(seed)
        world = render_room(make_room_style(rng, wallpaper, cover), rng)
        shots[f"{name}/wide"] = thumbnail(take_shot(world, Shot(cy=0.54, width=0.9)))
        other = Shot(cx=0.45, cy=0.56, width=0.55, yaw=0.06)
        shots[f"{name}/closer"] = thumbnail(take_shot(world, other))
    return shots


def propose(specs: list[MediaSpec], work_dir: Path | None = None, top_k: int = 10) -> list[Link]:
    return list(SameSceneLinker(top_k=top_k).propose(build_corpus(specs, work_dir)))


def test_a_crop_links_strongly_with_readable_evidence(photos: dict[str, Grey]) -> None:
    specs = [MediaSpec("astronaut", grey=photos["astronaut"])]
    specs.append(MediaSpec("astronaut-crop", grey=photos["astronaut-crop"]))
    (link,) = propose(specs)
    assert link.strength is LinkStrength.STRONG
    assert "matching local features (SIFT, RANSAC homography)" in link.evidence
    assert "% of one picture" in link.evidence
    assert 0.5 < link.score <= 1.0


def test_unrelated_photos_do_not_link() -> None:
    names = ["camera.png", "coins.png", "chelsea.png", "coffee.png", "rocket.jpg", "horse.png"]
    names += ["astronaut.png", "page.png", "motorcycle_left.png", "brick.png"]
    specs = [MediaSpec(n, grey=thumbnail(photo(n))) for n in names]
    assert propose(specs) == []


def test_rooms_built_from_the_same_patterns_do_not_link(swapped_rooms: dict[str, Grey]) -> None:
    links = propose([MediaSpec(name, grey=grey) for name, grey in swapped_rooms.items()])
    for room in ("flowers-room", "diamonds-room"):
        assert links_between(links, f"{room}/wide", f"{room}/closer"), f"{room}: shots unlinked"
    crossing = [ln for ln in links if ln.a.split("/")[0] != ln.b.split("/")[0]]
    assert crossing == []


def test_pictures_without_thumbnails_are_left_out(photos: dict[str, Grey]) -> None:
    specs = [
        MediaSpec("astronaut", grey=photos["astronaut"]),
        MediaSpec("no-thumbnail"),
        MediaSpec("too-small", grey=photos["astronaut"][:20, :20]),
    ]
    assert propose(specs) == []


def test_a_video_links_through_its_first_keyframe(photos: dict[str, Grey]) -> None:
    specs = [
        MediaSpec("astronaut", grey=photos["astronaut"]),
        MediaSpec("astronaut-clip", grey=photos["astronaut-crop"], is_video=True),
    ]
    assert linked(propose(specs)) == {frozenset(("astronaut", "astronaut-clip"))}


def test_verification_work_is_bounded_by_the_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(5)
    blobs = [rng.integers(0, 256, size=(12, 12)).astype(np.uint8) for _ in range(200)]
    specs = [
        MediaSpec(f"noise-{i:03d}", grey=np.kron(b, np.ones((6, 6), np.uint8)))
        for i, b in enumerate(blobs)
    ]
    verified: list[int] = []
    real_verify = same_scene.verify

    def counting_verify(*args: object, **kwargs: object) -> same_scene.SceneMatch | None:
        verified.append(1)
        return real_verify(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(same_scene, "verify", counting_verify)
    propose(specs, top_k=5)
    assert 0 < len(verified) <= 200 * 5  # never all 19,900 pairs


def test_old_media_are_read_from_the_cache(
    photos: dict[str, Grey], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = [MediaSpec(n, grey=photos[n]) for n in ("astronaut", "coffee", "camera")]
    assert propose(first, tmp_path) == []
    assert len(list((tmp_path / "same-scene").rglob("*.npz"))) == 3

    described: list[int] = []
    real_describe = same_scene.describe

    def counting_describe(grey: Grey) -> same_scene.SceneFeatures:
        described.append(grey.size)
        return real_describe(grey)

    monkeypatch.setattr(same_scene, "describe", counting_describe)
    later = [dataclasses.replace(s, new=False) for s in first]
    later.append(MediaSpec("astronaut-crop", grey=photos["astronaut-crop"]))
    links = propose(later, tmp_path)
    assert described == [photos["astronaut-crop"].size]  # only the new picture was described
    assert [(ln.a, ln.b) for ln in links] == [("astronaut", "astronaut-crop")]
