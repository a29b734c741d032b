"""Base scenes: seeded generated rooms, photos that ship inside scikit-image, and camera shots.

A scene is a large "world" image; every photo of it is a :class:`Shot` (a view of the world with
zoom, pan and a little perspective), so one room yields several different-looking shots that a
scene linker should still tie together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import skimage.data
from PIL import Image, ImageDraw, ImageFilter

from vidtrace.demo.patterns import Pattern, Rgb, paint

WORLD_SIZE = (2000, 1500)
SKY_TOP, SKY_BOTTOM = (90, 150, 225), (200, 225, 245)
# Only files bundled in skimage/data are read; scikit-image's fetchers (which may download) are
# never called.
BUNDLED_PHOTOS = Path(skimage.data.__file__).parent


@dataclass(frozen=True)
class RoomStyle:
    """Everything that makes one generated room look unlike the others."""

    wall: Rgb
    wall_ink: Rgb
    wallpaper: Pattern
    wallpaper_period: float
    floor: Rgb
    floor_pattern: Pattern
    cover: Rgb
    cover_ink: Rgb
    cover_pattern: Pattern
    curtain: Rgb
    furniture: Rgb
    poster_colours: tuple[Rgb, Rgb, Rgb]
    horizon: float  # floor line as a fraction of the height
    window_left: bool
    light_from_left: bool


@dataclass(frozen=True)
class Shot:
    """A view of a world: centre and width as fractions of the world, ``yaw`` squeezes one side."""

    cx: float = 0.5
    cy: float = 0.5
    width: float = 0.92
    aspect: float = 4 / 3
    yaw: float = 0.0
    out_width: int = 1200


def _colour(rng: np.random.Generator, lo: int = 30, hi: int = 230) -> Rgb:
    r, g, b = rng.integers(lo, hi, size=3)
    return int(r), int(g), int(b)


def _shade(colour: Rgb, factor: float) -> Rgb:
    r, g, b = (min(255, max(0, round(c * factor))) for c in colour)
    return r, g, b


def make_room_style(rng: np.random.Generator, wallpaper: Pattern, cover: Pattern) -> RoomStyle:
    """A seeded room; the caller picks the two patterns so that rooms in one demo all differ."""
    dark_walls = bool(rng.random() < 0.4)
    wall = _colour(rng, 20, 90) if dark_walls else _colour(rng, 150, 240)
    return RoomStyle(
        wall=wall,
        wall_ink=_shade(wall, 1.5 if dark_walls else 0.7),
        wallpaper=wallpaper,
        wallpaper_period=float(rng.uniform(40, 110)),
        floor=_colour(rng, 140, 230) if dark_walls else _colour(rng, 40, 120),
        floor_pattern=Pattern.PLANKS if rng.random() < 0.6 else Pattern.CHECKS,
        cover=_colour(rng),
        cover_ink=_colour(rng),
        cover_pattern=cover,
        curtain=_colour(rng),
        furniture=_colour(rng, 40, 200),
        poster_colours=(_colour(rng), _colour(rng), _colour(rng)),
        horizon=float(rng.uniform(0.54, 0.66)),
        window_left=bool(rng.random() < 0.5),
        light_from_left=bool(rng.random() < 0.5),
    )


def render_room(style: RoomStyle, rng: np.random.Generator) -> Image.Image:
    """The whole room as one ``WORLD_SIZE`` image: wallpaper, floor, window, bed, furniture."""
    w, h = WORLD_SIZE
    floor_y = int(h * style.horizon)
    world = paint(
        (w, floor_y), style.wallpaper, style.wall, style.wall_ink, style.wallpaper_period, rng
    )
    floor = paint(
        (w, h - floor_y), style.floor_pattern, style.floor, _shade(style.floor, 0.75), 55.0, rng
    )
    world.paste(floor, (0, floor_y))
    draw = ImageDraw.Draw(world)
    draw.rectangle((0, floor_y - 18, w, floor_y), fill=_shade(style.furniture, 1.2))

    # Window with sky, a hill and curtains.
    win_x = int(w * (rng.uniform(0.04, 0.16) if style.window_left else rng.uniform(0.6, 0.72)))
    win_w, win_top = int(w * rng.uniform(0.14, 0.24)), int(h * rng.uniform(0.06, 0.2))
    win = (win_x, win_top, win_x + win_w, int(floor_y * rng.uniform(0.62, 0.8)))
    view = Image.new("RGB", (win[2] - win[0], win[3] - win[1]))
    view_draw = ImageDraw.Draw(view)
    for row in range(view.height):
        t = row / view.height
        sky = tuple(round(a + (b - a) * t) for a, b in zip(SKY_TOP, SKY_BOTTOM, strict=True))
        view_draw.line((0, row, view.width, row), fill=sky)
    hill_y = int(view.height * rng.uniform(0.55, 0.8))
    view_draw.ellipse((-80, hill_y, view.width + 60, hill_y + 400), fill=(70, 120, 60))
    world.paste(view, win[:2])
    draw.rectangle(win, outline=(245, 245, 240), width=22)
    draw.line(
        ((win[0] + win[2]) // 2, win[1], (win[0] + win[2]) // 2, win[3]),
        fill=(245, 245, 240),
        width=14,
    )
    for side in (win[0] - 90, win[2] - 20):
        curtain = paint(
            (110, win[3] - win[1] + 120),
            Pattern.STRIPES,
            style.curtain,
            _shade(style.curtain, 0.8),
            28.0,
            rng,
        )
        world.paste(curtain, (side, win[1] - 40))

    # A patterned rug in front, then the bed on the side away from the window.
    rug_x = int(w * (0.12 if style.window_left else 0.5))
    rug = paint((700, 220), style.wallpaper, style.cover_ink, style.curtain, 40.0, rng)
    rug_mask = Image.new("L", rug.size)
    ImageDraw.Draw(rug_mask).ellipse((0, 0, *rug.size), fill=255)
    world.paste(rug, (rug_x, h - 260), rug_mask)
    bed_w, bed_h = int(w * rng.uniform(0.3, 0.44)), int(h * rng.uniform(0.2, 0.28))
    bed_x = int(w * (rng.uniform(0.5, 0.56) if style.window_left else rng.uniform(0.03, 0.12)))
    bed_y = floor_y - int(bed_h * 0.35)
    draw.rectangle(
        (bed_x - 10, bed_y - 190, bed_x + bed_w + 10, bed_y + 40), fill=_shade(style.furniture, 0.8)
    )
    cover = paint((bed_w, bed_h), style.cover_pattern, style.cover, style.cover_ink, 46.0, rng)
    world.paste(cover, (bed_x, bed_y))
    for px in (bed_x + 40, bed_x + bed_w // 2 + 20):
        draw.rounded_rectangle(
            (px, bed_y - 70, px + bed_w // 2 - 70, bed_y + 30),
            30,
            fill=(235, 232, 225),
            outline=(200, 196, 190),
            width=4,
        )

    # Poster with abstract shapes, a shelf with books, a dresser and a wall clock.
    post_x = int(w * (rng.uniform(0.34, 0.44) if style.window_left else rng.uniform(0.3, 0.38)))
    post_y, post_w = int(h * rng.uniform(0.06, 0.2)), int(rng.integers(200, 340))
    poster = (post_x, post_y, post_x + post_w, post_y + int(post_w * 1.4))
    draw.rectangle(poster, fill=style.poster_colours[0], outline=(20, 20, 20), width=8)
    for i in range(6):
        colour = style.poster_colours[1 + i % 2]
        cx, cy = (
            int(rng.integers(poster[0] + 40, poster[2] - 40)),
            int(rng.integers(poster[1] + 40, poster[3] - 40)),
        )
        r = int(rng.integers(18, 60))
        if i % 3 == 0:
            draw.polygon(((cx, cy - r), (cx - r, cy + r), (cx + r, cy + r)), fill=colour)
        else:
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
    shelf_x = int(w * (rng.uniform(0.62, 0.76) if style.window_left else rng.uniform(0.04, 0.16)))
    shelf_y = int(h * rng.uniform(0.22, 0.34))
    draw.rectangle((shelf_x, shelf_y, shelf_x + 420, shelf_y + 16), fill=style.furniture)
    book_x = shelf_x + 10
    while book_x < shelf_x + 400:
        bw, bh = int(rng.integers(14, 34)), int(rng.integers(70, 130))
        draw.rectangle(
            (book_x, shelf_y - bh, book_x + bw, shelf_y), fill=_colour(rng), outline=(30, 30, 30)
        )
        book_x += bw + 3
    dresser_x = int(w * (0.32 if style.window_left else 0.52))
    dresser = (dresser_x, floor_y - 300, dresser_x + 330, floor_y + 60)
    draw.rectangle(dresser, fill=style.furniture, outline=_shade(style.furniture, 0.6), width=6)
    for k in range(3):
        top = dresser[1] + 20 + k * 112
        draw.rectangle(
            (dresser[0] + 18, top, dresser[2] - 18, top + 96),
            outline=_shade(style.furniture, 0.6),
            width=4,
        )
        draw.ellipse((dresser[0] + 150, top + 40, dresser[0] + 180, top + 60), fill=(210, 190, 90))
    clock = (post_x + 380, int(h * 0.16), post_x + 520, int(h * 0.16) + 140)
    draw.ellipse(clock, fill=(250, 250, 245), outline=(25, 25, 25), width=8)
    ccx, ccy = (clock[0] + clock[2]) // 2, (clock[1] + clock[3]) // 2
    draw.line((ccx, ccy, ccx + 40, ccy - 30), fill=(20, 20, 20), width=6)
    draw.line((ccx, ccy, ccx - 8, ccy + 52), fill=(20, 20, 20), width=4)
    return _light(world, style.light_from_left)


def _light(world: Image.Image, from_left: bool) -> Image.Image:
    """A soft horizontal light fall-off and a little blur, so the room reads as a photograph."""
    w = world.width
    ramp = np.linspace(1.12, 0.72, w) if from_left else np.linspace(0.72, 1.12, w)
    pixels = np.asarray(world, dtype=np.float64) * ramp[None, :, None]
    lit = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
    return lit.filter(ImageFilter.GaussianBlur(1.2))


def load_bundled_photo(file_name: str) -> Image.Image:
    """A photo from scikit-image's bundled data folder, as RGB (no download is ever attempted)."""
    with Image.open(BUNDLED_PHOTOS / file_name) as photo:
        return photo.convert("RGB")


def shot_scale(world_size: tuple[int, int], shot: Shot) -> tuple[float, float]:
    """Pixels of the photo per pixel of the world, across and down, as :func:`take_shot` takes
    it (ignoring yaw): a view taller than the world is cut to the world's height and stretched."""
    ww, wh = world_size
    vw = shot.width * ww
    vh = vw / shot.aspect
    y0 = shot.cy * wh - vh / 2
    seen = min(float(wh), y0 + vh) - max(0.0, y0)
    return shot.out_width / vw, round(shot.out_width / shot.aspect) / seen


def shot_box(
    world_size: tuple[int, int], shot: Shot, rect: tuple[int, int, int, int]
) -> tuple[float, float, float, float]:
    """Where the world's ``rect`` (left, top, right, bottom pixels) appears in ``shot``: x, y,
    width and height as fractions of the photo (ignoring yaw)."""
    ww, wh = world_size
    vw = shot.width * ww
    vh = vw / shot.aspect
    x0, y0 = shot.cx * ww - vw / 2, shot.cy * wh - vh / 2
    top = max(0.0, y0)
    seen = min(float(wh), y0 + vh) - top
    left, upper, right, lower = rect
    return (left - x0) / vw, (upper - top) / seen, (right - left) / vw, (lower - upper) / seen


def enlarge(image: Image.Image, factor: int) -> Image.Image:
    """``image`` ``factor`` times larger (Lanczos), e.g. a small bundled photo as a camera would
    have written it."""
    if factor == 1:
        return image
    size = (image.width * factor, image.height * factor)
    return image.resize(size, Image.Resampling.LANCZOS)


def take_shot(world: Image.Image, shot: Shot) -> Image.Image:
    """Photograph ``world`` through ``shot``: crop, zoom and a slight perspective, then resize."""
    ww, wh = world.size
    vw = shot.width * ww
    vh = vw / shot.aspect
    x0, y0 = shot.cx * ww - vw / 2, shot.cy * wh - vh / 2
    x1, y1 = x0 + vw, y0 + vh
    squeeze = shot.yaw * vh
    # QUAD maps these source corners (upper-left, lower-left, lower-right, upper-right) to the
    # output rectangle; pulling one side's corners together makes that side look further away.
    left = squeeze if shot.yaw > 0 else 0.0
    right = -squeeze if shot.yaw < 0 else 0.0
    top_left, bottom_left = max(0.0, y0 - left), min(wh, y1 + left)
    top_right, bottom_right = max(0.0, y0 - right), min(wh, y1 + right)
    quad = (x0, top_left, x0, bottom_left, x1, bottom_right, x1, top_right)
    out_h = round(shot.out_width / shot.aspect)
    return world.transform(
        (shot.out_width, out_h),
        Image.Transform.QUAD,
        quad,
        Image.Resampling.BICUBIC,
        fillcolor=(0, 0, 0),
    )
