"""How a picture is shown to Tesseract: a crop of one line as it is, a sign in a photo as a
sheet of its text lines, a page whole; and how a box Tesseract reports on that maps back onto
the picture.

Tesseract's page layout analysis finds no text in a sign standing in a photo, so such pictures
are first read as a :class:`LineSheet`: the text lines ``text_likely`` finds, cut out, scaled to
one height, dark on light and stacked in reading order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

import numpy as np
from PIL import Image, ImageOps

from vidtrace.clues.reading.text_likely import TextLineCandidate, text_lines, working_grey
from vidtrace.domain.clue import Box

MAX_PIXELS = 4_000_000  # larger pictures are shrunk: Tesseract's time grows with the pixels
PAD = 12  # Tesseract misreads glyphs that touch the picture's edge (tight line crops)
MIN_LINE_HEIGHT = 32  # smaller line crops are enlarged to this height
OSD_LINE_HEIGHT = 60
OSD_TILES = 8  # OSD refuses one line ("Too few characters"); the same line 8 times it reads
OSD_TILED_HEIGHT = 640
SHEET_LINE_HEIGHT = 40  # a line's marks on the sheet, in pixels: Tesseract reads 30 to 50 best
SHEET_SIDE = 2.5  # line heights cut out beside a line (its first and last letters may be
SHEET_ABOVE = 0.4  # missing from the chain) and above and below it (accents, descenders)
SHEET_MARGIN = 16  # white pixels around and between the cut-outs


@dataclass(frozen=True)
class SheetRow:
    """Where one cut-out stands on a :class:`LineSheet` and where it came from."""

    top: int  # on the sheet
    bottom: int
    scale: float  # sheet pixels per picture pixel
    x: float  # the cut-out's corner on the picture
    y: float


@dataclass(frozen=True)
class LineSheet:
    """A picture's text lines cut out, scaled to one height, dark on light and stacked in
    reading order: a small picture Tesseract reads like a page. Its page layout analysis finds
    no text in a sign standing in a photo; on the sheet it reads it."""

    picture: Image.Image  # grey
    rows: tuple[SheetRow, ...]
    width: int  # the picture's size
    height: int

    def box(self, left: int, top: int, width: int, height: int) -> Box:
        """A box on the sheet, as fractions of the picture."""
        middle = top + height / 2
        row = min(self.rows, key=lambda r: max(r.top - middle, middle - r.bottom, 0.0))
        x0 = row.x + (left - SHEET_MARGIN) / row.scale
        y0 = row.y + (top - row.top) / row.scale
        x1, y1 = x0 + width / row.scale, y0 + height / row.scale
        x0, x1 = (min(max(v / self.width, 0.0), 1.0) for v in (x0, x1))
        y0, y1 = (min(max(v / self.height, 0.0), 1.0) for v in (y0, y1))
        return Box(x0, y0, x1 - x0, y1 - y0)


def line_sheet(image: Image.Image, max_rows: int = 8) -> LineSheet | None:
    """The text lines of ``image`` on a :class:`LineSheet`; None when none are found or they
    fall apart into more than ``max_rows`` separate places (a page: read it whole)."""
    regions = _regions(text_lines(image))
    if not regions or len(regions) > max_rows:
        return None
    grey = working_grey(image)
    crops, rows, top = [], [], SHEET_MARGIN
    for x0, y0, x1, y1, line_height, light in regions:
        x0, y0 = max(0.0, x0), max(0.0, y0)
        scale = min(max(SHEET_LINE_HEIGHT / line_height, 0.25), 4.0)
        crop = Image.fromarray(grey[int(y0) : int(y1), int(x0) : int(x1)])
        crop = crop.resize((max(1, round(crop.width * scale)), max(1, round(crop.height * scale))))
        crops.append(ImageOps.invert(crop) if light > 0 else crop)
        rows.append(SheetRow(top, top + crop.height, scale, x0, y0))
        top += crop.height + SHEET_MARGIN
    sheet = Image.new("L", (max(c.width for c in crops) + 2 * SHEET_MARGIN, top), 255)
    for crop, row in zip(crops, rows, strict=True):
        sheet.paste(crop, (SHEET_MARGIN, row.top))
    return LineSheet(sheet, tuple(rows), image.width, image.height)


def _regions(lines: list[TextLineCandidate]) -> list[list[float]]:
    """The places to cut out, in reading order: [x0, y0, x1, y1, line height, light-on-dark
    votes]. Each line takes in its surroundings; lines whose surroundings touch are one place,
    so a sign's lines stay one block."""
    regions = []
    for line in lines:
        side, above = SHEET_SIDE * line.height, SHEET_ABOVE * line.height
        x1, y1 = line.x + line.width + side, line.y + line.height + above
        vote = 0.5 if line.light_on_dark else -0.5
        regions.append([line.x - side, line.y - above, x1, y1, line.height, vote])
    index = 0
    while index < len(regions):
        a = regions[index]
        touching = [b for b in regions if b is not a and a[0] < b[2] and b[0] < a[2]]
        touching = [b for b in touching if a[1] < b[3] and b[1] < a[3]]
        for b in touching:
            a[:4] = min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])
            a[4:] = min(a[4], b[4]), a[5] + b[5]
            regions.remove(b)
        index = 0 if touching else index + 1  # a grown place may touch one passed over
    return sorted(regions, key=lambda region: (region[1], region[0]))


@dataclass(frozen=True)
class Page:
    """A picture as Tesseract gets it, and how boxes on it map back onto the image."""

    picture: Image.Image  # grey
    layout: int  # Tesseract's page segmentation mode: 7 one line, 6 a block, 3 a page
    place: Callable[[int, int, int, int], Box]  # left, top, width, height -> fractions
    size: tuple[int, int] = (0, 0)  # a whole picture's size before padding, for turning it

    def turned(self, turn: int) -> Page:
        """The page turned ``turn`` degrees clockwise (OSD's "Rotate"), when it is a page."""
        if turn % 360 == 0 or self.layout != 3:
            return self
        turned = self.picture.rotate(-turn, expand=True, fillcolor=self.picture.getpixel((0, 0)))
        return replace(self, picture=turned, place=partial(padded_box, *self.size, turn % 360))

    def for_script_detection(self) -> Image.Image:
        """OSD wants many characters ("Too few characters" on one line): a short picture is
        repeated, a line crop enlarged first."""
        picture = self.picture
        if self.layout == 7:
            line = picture.crop((PAD, PAD, picture.width - PAD, picture.height - PAD))
            scale = OSD_LINE_HEIGHT / line.height
            line = line.resize((round(line.width * scale), OSD_LINE_HEIGHT))
            picture = ImageOps.expand(line, PAD, fill=int(np.asarray(picture)[0, 0]))
        tiles = min(OSD_TILES, OSD_TILED_HEIGHT // picture.height)
        if tiles < 2:
            return picture
        tiled = Image.new("L", (picture.width, picture.height * tiles), picture.getpixel((0, 0)))
        for index in range(tiles):
            tiled.paste(picture, (0, index * picture.height))
        return tiled


def padded_box(width: int, height: int, turn: int, *box: int) -> Box:
    """A box on a padded (and turned) whole picture, as fractions of the picture as given."""
    x0, y0, x1, y1 = box[0] - PAD, box[1] - PAD, box[0] + box[2] - PAD, box[1] + box[3] - PAD
    if turn == 90:
        x0, y0, x1, y1 = y0, height - x1, y1, height - x0
    elif turn == 180:
        x0, y0, x1, y1 = width - x1, height - y1, width - x0, height - y0
    elif turn == 270:
        x0, y0, x1, y1 = width - y1, x0, width - y0, x1
    left, right = (min(max(v / width, 0.0), 1.0) for v in (x0, x1))
    top, bottom = (min(max(v / height, 0.0), 1.0) for v in (y0, y1))
    return Box(left, top, right - left, bottom - top)


def layouts(image: Image.Image) -> list[Page]:
    """The ways to show ``image`` to Tesseract, best first: a crop of one line as it is; other
    pictures as a sheet of their text lines (``text_likely.line_sheet``), then whole."""
    grey = working_grey(image, MAX_PIXELS)
    height, width = grey.shape
    if min(height, width) < 6 or int(grey.max()) - int(grey.min()) < 16:
        return []  # nothing to read: a sliver or one flat tone
    single_line = height <= 160 and width >= 3 * height
    picture = Image.fromarray(grey, "L")
    if single_line and height < MIN_LINE_HEIGHT:
        width, height = round(width * MIN_LINE_HEIGHT / height), MIN_LINE_HEIGHT
        picture = picture.resize((width, height), Image.Resampling.BICUBIC)
    # Pad with the picture's own border tone, so light text on dark keeps its background.
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    padded = Image.new("L", (width + 2 * PAD, height + 2 * PAD), int(np.median(border)))
    padded.paste(picture, (PAD, PAD))
    whole = Page(padded, 7 if single_line else 3, partial(padded_box, width, height, 0))
    if single_line:
        return [whole]
    sheet = line_sheet(image)
    lines = [Page(sheet.picture, 6, sheet.box)] if sheet else []
    return [*lines, replace(whole, size=(width, height))]
