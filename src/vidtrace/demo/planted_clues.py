"""What a series really carries that points at a country, written into the ground truth.

Only what was planted is listed: a camera that writes no GPS leaves no "gps" note, and a sign
that no font here could print leaves no sign, phone or domain note.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vidtrace.demo.places import Place
from vidtrace.demo.signs import ProductBarcode, Sign


@dataclass
class PlantedClues:
    place: Place
    gps: bool  # the camera originals carry GPS
    sign: Sign | None = None
    printed: tuple[str, ...] = ()  # the sign's lines as drawn (accents may be dropped)
    sign_box: tuple[float, float, float, float] | None = None  # on the base camera original
    barcode: ProductBarcode | None = None
    video_location: bool = False  # a video of the series carries an ISO 6709 location

    def notes(self) -> list[str]:
        """Short descriptions: "gps NL (Amsterdam)", "sign nl (Latin): Bakkerij Jansen", ..."""
        notes = [f"gps {self.place.country} ({self.place.city})"] if self.gps else []
        if self.video_location:
            notes.append(f"video location {self.place.country} ({self.place.city})")
        notes.append(f"utc offset {self.place.utc_offset}")
        sign = self.sign
        if sign is not None and self.printed:
            notes.append(f"sign {sign.language} ({sign.script}): {self.printed[0]}")
            if sign.phone:
                notes.append(f"phone {sign.phone} ({sign.country})")
            if sign.domain:
                notes.append(f"domain .{sign.tld} ({sign.domain})")
        if self.barcode is not None:
            digits = self.barcode.digits
            notes.append(f"barcode {digits} (GS1 {digits[:3]}: {self.barcode.country})")
        return notes

    def sign_json(self) -> dict[str, Any] | None:
        if self.sign is None or not self.printed:
            return None
        return {
            "country": self.sign.country,
            "language": self.sign.language,
            "script": self.sign.script,
            "lines": list(self.printed),
            "phone": self.sign.phone,
            "domain": self.sign.domain,
            # x, y, width, height as fractions of the upright camera original ("original" edit)
            "box": [round(v, 4) for v in self.sign_box] if self.sign_box else None,
        }

    def barcode_json(self) -> dict[str, str] | None:
        if self.barcode is None:
            return None
        return {"ean13": self.barcode.digits, "gs1_country": self.barcode.country}

    def to_json(self) -> dict[str, Any]:
        return {"clues": self.notes(), "sign": self.sign_json(), "barcode": self.barcode_json()}
