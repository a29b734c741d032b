"""GPS: the position the camera wrote names the country outright.

Reverse geocoding is offline: reverse_geocoder ships GeoNames' places of 1,000 people or more and
answers with the nearest one. That is the country of the nearest town, so a fix a few kilometres
from a border can name the neighbour; the detail gives the town and its distance for the analyst
to judge.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import reverse_geocoder

from vidtrace.clues.extractors.base import ClueExtractor, ClueSubject, extractors
from vidtrace.clues.kinds import ClueError, country_code, country_name
from vidtrace.domain.media import GeoPoint

EARTH_RADIUS_KM = 6371.0
REMOTE_KM = 200  # further than this from any town: at sea, in the air or in wilderness


@cache
def _geocoder() -> Any:
    # Loading the places table takes about a second: once per process, and only when a media
    # item has a position. mode=1 stays in this process (mode 2 starts worker processes).
    return reverse_geocoder.RGeocoder(mode=1, verbose=False)


def bogus_reason(point: GeoPoint) -> str | None:
    """Why ``point`` cannot be a real fix, or None when it can."""
    lat, lon = point.lat, point.lon
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return f"position {lat},{lon} is not a number"
    if abs(lat) > 90 or abs(lon) > 180:
        return f"position {lat},{lon} is out of range"
    if lat == 0 and lon == 0:
        return "position 0,0 ('null island') is what receivers without a fix write"
    return None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def degrees_text(lat: float, lon: float) -> str:
    """The position in words, like "52.37403 N, 4.88969 E"."""
    return f"{abs(lat):.5f} {'S' if lat < 0 else 'N'}, {abs(lon):.5f} {'W' if lon < 0 else 'E'}"


class GpsExtractor(ClueExtractor):
    name = "gps"
    version = 1
    kind = "gps"
    confidence = 0.95  # a written fix is rarely wrong; a wrong country comes from border distance
    remote_confidence = 0.5  # the nearest town's country is a guess for a fix far from any

    def able_to_run(self, subject: ClueSubject) -> bool:
        return subject.camera.gps is not None or subject.location is not None

    def run(self, subject: ClueSubject) -> None:
        seen: set[str] = set()
        for point in (subject.camera.gps, subject.location):
            if point is None:
                continue
            reason = bogus_reason(point)
            if reason:
                subject.skip(self.name, reason)
                continue
            value = f"{point.lat:.5f},{point.lon:.5f}"
            if value not in seen:
                seen.add(value)
                self._locate(subject, point, value)

    def _locate(self, subject: ClueSubject, point: GeoPoint, value: str) -> None:
        place = _geocoder().query([(point.lat, point.lon)])[0]
        try:
            country = country_code(place["cc"])
        except ClueError:
            subject.skip(self.name, f"{value}: nearest place has no ISO country ({place['cc']})")
            return
        admin = place["admin1"] if place["admin1"] != place["name"] else ""
        town = ", ".join(part for part in (place["name"], admin) if part)
        km = distance_km(point.lat, point.lon, float(place["lat"]), float(place["lon"]))
        far = f" ({km:.0f} km away)" if km >= 1 else ""
        detail = f"{degrees_text(point.lat, point.lon)}: near {town}{far}, {country_name(country)}"
        confidence = self.confidence
        if km > REMOTE_KM:
            detail += "; far from any town (at sea or in wilderness?): the country is a guess"
            confidence = self.remote_confidence
        self.clue(subject, value, {country: 1.0}, confidence, detail)


extractors.register(GpsExtractor)
