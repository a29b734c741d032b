"""The scene of one series with its clues hung in it, and its three camera originals: a base
shot, another shot and a portrait shot (a generated room), or the bundled photo, a second photo
or a crop of it, and a portrait crop."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from vidtrace.demo.scene_clues import HungSign, Scale, Spot, hang, plant_barcode, plant_sign
from vidtrace.demo.scenes import (
    Shot,
    enlarge,
    load_bundled_photo,
    make_room_style,
    render_room,
    shot_box,
    shot_scale,
    take_shot,
)
from vidtrace.demo.series_plan import SeriesPlan
from vidtrace.demo.sign_board import Board

BASE_SHOT = Shot(cy=0.54, width=0.9)  # a generated room's first camera original
Fractions = tuple[float, float, float, float]  # x, y, width, height as fractions of a picture


@dataclass(frozen=True)
class SeriesScene:
    """A series' scene with its sign and barcode hung, and its three camera originals."""

    world: Image.Image
    base: Image.Image
    other: Image.Image
    portrait: Image.Image
    sign: Board | None = None
    sign_box: Fractions | None = None  # where the sign is on the base original


def render_series_scene(
    plan: SeriesPlan, rng: np.random.Generator, clue_rng: np.random.Generator
) -> SeriesScene:
    """Render ``plan``'s scene, hang its clues, and take its three original shots. ``rng``
    draws the scene and shots, ``clue_rng`` the sign's look, so that adding a sign leaves the
    rest of the scene as it was."""
    source = plan.scene
    if source.photo is None:
        assert source.wallpaper is not None and source.cover is not None
        world = render_room(make_room_style(rng, source.wallpaper, source.cover), rng)
        spot = Spot(float(clue_rng.uniform(0.36, 0.64)), float(clue_rng.uniform(0.13, 0.17)))
        scale = Scale(*shot_scale(world.size, BASE_SHOT))
        world, hung = _plant(plan, world, spot, scale, clue_rng)
        other = Shot(
            cx=float(rng.uniform(0.38, 0.62)),
            cy=0.56,
            width=0.55,
            yaw=float(rng.choice([-0.06, 0.06])),
        )
        portrait = Shot(
            cx=float(rng.uniform(0.3, 0.7)), cy=0.5, width=0.45, aspect=3 / 4, out_width=900
        )
        return SeriesScene(
            world,
            take_shot(world, BASE_SHOT),
            take_shot(world, other),
            take_shot(world, portrait),
            hung.board if hung else None,
            shot_box(world.size, BASE_SHOT, hung.rect) if hung else None,
        )
    spot = source.sign_spot or Spot(0.5, 0.05)
    world, hung = _plant(
        plan, enlarge(load_bundled_photo(source.photo), source.enlarge), spot, Scale(), clue_rng
    )
    width, height = world.size
    if source.other_photo is not None:
        other_image = enlarge(load_bundled_photo(source.other_photo), source.enlarge)
        if hung is not None:
            at = _shifted(spot, source.other_shift)
            other_image = hang(other_image, hung.board.image, at)[0]
        if plan.barcode is not None and source.barcode_spot is not None:
            at = _shifted(source.barcode_spot, source.other_shift)
            other_image = plant_barcode(other_image, plan.barcode, at, Scale())
    else:
        other_shot = Shot(
            cx=float(rng.uniform(0.4, 0.6)),
            cy=0.5,
            width=0.7,
            aspect=width / height,
            yaw=0.04,
            out_width=width,
        )
        other_image = take_shot(world, other_shot)
    portrait = Shot(
        cx=float(rng.uniform(0.35, 0.65)),
        cy=0.5,
        width=0.45,
        aspect=3 / 4,
        out_width=round(width * 0.45),
    )
    box = None
    if hung is not None:
        left, top, right, bottom = hung.rect
        box = (left / width, top / height, (right - left) / width, (bottom - top) / height)
    sign = hung.board if hung else None
    return SeriesScene(world, world, other_image, take_shot(world, portrait), sign, box)


def _plant(
    plan: SeriesPlan, world: Image.Image, spot: Spot, scale: Scale, rng: np.random.Generator
) -> tuple[Image.Image, HungSign | None]:
    hung = None
    if plan.sign is not None:
        world, hung = plant_sign(world, plan.sign, spot, scale, rng)
    if plan.barcode is not None:
        at = plan.scene.barcode_spot or Spot(0.8, 0.6)
        world = plant_barcode(world, plan.barcode, at, scale)
    return world, hung


def _shifted(spot: Spot, shift: float) -> Spot:
    return Spot(spot.cx + shift, spot.top)
