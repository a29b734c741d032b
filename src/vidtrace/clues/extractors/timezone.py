"""Time zone: the UTC offset a camera wrote (EXIF OffsetTimeOriginal) keeps the countries whose
clocks showed that offset on the capture date.

Which zone belongs to which country is CLDR's (babel's ``zone_territories``); what offset a zone
had on a date is the IANA tz database's (zoneinfo), daylight saving time included, so +01:00 in
June is the United Kingdom and Portugal but in January Germany and the Netherlands.

The countries are weighted equally: the offset says "one of these" and nothing about which, and
weighting by a country's number of zones would penalise large countries that happen to have many
(Brazil, Russia, the United States) without making their population any smaller.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.core import get_global

from vidtrace.clues.extractors.base import ClueExtractor, ClueSubject, extractors
from vidtrace.clues.kinds import ClueError, country_code

_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
NOT_COUNTRIES = frozenset({"AQ"})  # Antarctic stations keep the clock of whoever supplies them


def parse_offset(text: str) -> timedelta | None:
    """An offset like "+05:30" (or "+0530") as a timedelta; None for anything else or beyond
    ±14:00."""
    match = _OFFSET.match(text.strip())
    if not match:
        return None
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3))
    if minutes >= 60 or hours * 60 + minutes > 14 * 60:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return -delta if sign == "-" else delta


@cache
def _zones() -> tuple[tuple[ZoneInfo, str], ...]:
    pairs = []
    for zone, territory in get_global("zone_territories").items():
        try:
            pairs.append((ZoneInfo(zone), country_code(territory)))
        except (ZoneInfoNotFoundError, ClueError, ValueError):
            continue  # Etc/* zones (territory 001/ZZ) and zones this tz database lacks
    return tuple((info, code) for info, code in pairs if code not in NOT_COUNTRIES)


def countries_on(offset: timedelta, moments: tuple[datetime, ...]) -> list[str]:
    """The countries with a zone whose local clock was ``offset`` from UTC at one of ``moments``
    (local wall-clock times, without tzinfo), sorted."""
    found = {
        code
        for info, code in _zones()
        for moment in moments
        if moment.replace(tzinfo=info).utcoffset() == offset
    }
    return sorted(found)


class TimeZoneExtractor(ClueExtractor):
    name = "timezone"
    version = 1
    kind = "timezone"

    def able_to_run(self, subject: ClueSubject) -> bool:
        return bool(subject.camera.offset)

    def run(self, subject: ClueSubject) -> None:
        written = subject.camera.offset or ""
        offset = parse_offset(written)
        if offset is None:
            subject.skip(self.name, f"UTC offset {written!r} is not ±HH:MM within ±14:00")
            return
        text = written.strip()
        if len(text) == 5:  # "+0530" written without the colon
            text = f"{text[:3]}:{text[3:]}"
        taken = _taken_at(subject.camera.taken_at)
        if taken is not None:
            value = f"{text} on {taken.date().isoformat()}"
            moments: tuple[datetime, ...] = (taken,)
            when, confidence = f"on {taken.date().isoformat()}", 0.8
        else:
            # No date: any offset the zone keeps in the year, winter or summer time.
            year = datetime.now().year
            value = text
            moments = (datetime(year, 1, 15, 12), datetime(year, 7, 15, 12))
            when, confidence = f"at some time of {year} (no capture date)", 0.6
        countries = countries_on(offset, moments)
        if not countries:
            subject.skip(self.name, f"no country keeps UTC{text} {when}")
            return
        many = f"{len(countries)} countries keep" if len(countries) > 1 else "1 country keeps"
        detail = f"camera clock at UTC{text} {when}: {many} that offset"
        self.clue(subject, value, dict.fromkeys(countries, 1.0), confidence, detail)


def _taken_at(text: str | None) -> datetime | None:
    """The capture time as the camera's wall clock showed it."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        return None


extractors.register(TimeZoneExtractor)
