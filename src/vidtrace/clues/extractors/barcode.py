"""Retail barcodes (EAN-13, EAN-8, UPC-A, UPC-E) on products in the picture.

The first three digits name the GS1 office that issued the maker's company number
(``clues/reference/gs1_prefixes.csv``): where the maker registered, not where the product was
made or sold. A German brand's product can be on a shelf anywhere, so the kind is weak
(``clues.kinds``); several products from one office still say something about the shop.
Special ranges (in-store numbers, ISBN, ISSN, coupons) name no country and are skipped with why.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import zxingcpp
from PIL import Image

from vidtrace.clues.extractors.base import ClueExtractor, ClueSubject, extractors
from vidtrace.clues.reference.table_files import country_weights_text, reference_table
from vidtrace.domain.clue import Box

TABLE = "gs1_prefixes.csv"
RETAIL = zxingcpp.BarcodeFormats(
    [
        zxingcpp.BarcodeFormat.EAN13,
        zxingcpp.BarcodeFormat.EAN8,
        zxingcpp.BarcodeFormat.UPCA,
        zxingcpp.BarcodeFormat.UPCE,
    ]
)


@dataclass(frozen=True)
class Gs1Prefixes:
    """One row of GS1's prefix list: a range and the office (or special use) it belongs to."""

    first: int
    last: int
    office: str
    countries: dict[str, float]  # empty for a special use

    @property
    def range_text(self) -> str:
        """The range as GS1 writes it: "400–440", or "870" for a single prefix."""
        return f"{self.first:03d}" + (f"–{self.last:03d}" if self.last != self.first else "")


@cache
def gs1_prefixes() -> tuple[Gs1Prefixes, ...]:
    return tuple(
        Gs1Prefixes(
            int(row["first"]),
            int(row["last"]),
            row["office"],
            country_weights_text(row["countries"]),
        )
        for row in reference_table(TABLE).rows
    )


def gs1_office(prefix: int) -> Gs1Prefixes | None:
    """The row holding the three-digit ``prefix``; None when GS1 has not assigned it."""
    return next((row for row in gs1_prefixes() if row.first <= prefix <= row.last), None)


def gs1_prefix(digits: str, symbology: str) -> int | None:
    """The three-digit GS1 prefix of a barcode's digits; None for an EAN-8 restricted number."""
    if symbology == "EAN-8":
        return None if digits[0] in "02" else int(digits[:3])  # 0 and 2: in-store EAN-8s
    if symbology == "UPC-E" and len(digits) == 8:
        return int(digits[0]) * 10  # number system 0 or 1: prefixes 000-019, GS1 US
    return int(digits.zfill(13)[:3])  # UPC-A is a GTIN-13 with a leading 0


class BarcodeExtractor(ClueExtractor):
    name = "barcode"
    version = 1
    kind = "barcode"
    confidence = 0.9  # the check digit has passed; the doubt is in the kind, not the reading

    def able_to_run(self, subject: ClueSubject) -> bool:
        return bool(subject.pictures)

    def run(self, subject: ClueSubject) -> None:
        seen: set[str] = set()
        for picture in subject.pictures:
            try:
                image = picture.load()
            except Exception as error:  # a broken keyframe must not stop the other pictures
                at = "" if picture.seconds is None else f" at {picture.seconds:.1f} s"
                subject.skip(self.name, f"picture{at} could not be decoded: {error}")
                continue
            for barcode in zxingcpp.read_barcodes(image, formats=RETAIL):
                digits = barcode.text
                if digits.isdigit() and digits not in seen:
                    seen.add(digits)
                    box = _box(barcode.position, image)
                    self._propose(subject, digits, str(barcode.format), box, picture.seconds)

    def _propose(
        self, subject: ClueSubject, digits: str, symbology: str, box: Box, seconds: float | None
    ) -> None:
        read = f"{symbology} {digits}"
        prefix = gs1_prefix(digits, symbology)
        if prefix is None:
            subject.skip(self.name, f"{read}: a restricted (in-store) number names no country")
            return
        row = gs1_office(prefix)
        if row is None:
            subject.skip(self.name, f"{read}: prefix {prefix:03d} is not assigned to a GS1 office")
            return
        if not row.countries:
            subject.skip(self.name, f"{read}: prefix {row.range_text} is {row.office}, no country")
            return
        detail = (
            f"{read}: number issued through {row.office} (prefix {row.range_text}); "
            "this is not the country of origin"
        )
        self.clue(subject, digits, row.countries, self.confidence, detail, box, seconds)


def _box(position: zxingcpp.Position, image: Image.Image) -> Box:
    """The barcode's corners as fractions of the picture (a linear code may be a thin line)."""
    corners = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
    xs = [min(max(corner.x / image.width, 0.0), 1.0) for corner in corners]
    ys = [min(max(corner.y / image.height, 0.0), 1.0) for corner in corners]
    return Box(x=min(xs), y=min(ys), width=max(xs) - min(xs), height=max(ys) - min(ys))


extractors.register(BarcodeExtractor)
