"""Container facts of a video: size, codec, rate, and the creation time and place it records.

Phones write where and when a clip was shot into container tags: ``creation_time`` (MP4/MOV),
and an ISO 6709 location in ``com.apple.quicktime.location.ISO6709`` (iPhone), ``©xyz``
(Android, which FFmpeg exposes as ``location``) or ``location-eng``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime

import av
import av.container
import av.video.stream

from vidtrace.domain.media import GeoPoint, VideoInfo

LOCATION_KEYS = (
    "com.apple.quicktime.location.ISO6709",
    "location",
    "location-eng",
    "©xyz",
    "\xa9xyz",
)
CREATION_KEYS = ("creation_time", "com.apple.quicktime.creationdate", "date")

# QuickTime stores "no date" as 0 seconds since 1904; FFmpeg prints that as 1904 or 1970.
_UNSET_YEARS = frozenset({1904, 1970})
_ISO6709 = re.compile(r"^\s*([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?")


def video_info(
    container: av.container.InputContainer, stream: av.video.stream.VideoStream
) -> VideoInfo:
    tags = {**_tags(stream.metadata), **_tags(container.metadata)}
    location_text = next((tags[k] for k in LOCATION_KEYS if tags.get(k)), None)
    created = next((c for k in CREATION_KEYS if (c := parse_creation_time(tags.get(k)))), None)
    codec = stream.codec_context
    return VideoInfo(
        duration=_duration(container, stream),
        codec=codec.name or None,
        width=codec.width or None,
        height=codec.height or None,
        frame_rate=_frame_rate(stream),
        created_at=created,
        location=parse_iso6709(location_text) if location_text else None,
        location_text=location_text,
    )


def parse_creation_time(text: str | None) -> str | None:
    """``creation_time`` as ISO 8601 to the second, with its offset (UTC when none is given)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        return None
    if moment.year in _UNSET_YEARS and moment.month == 1 and moment.day == 1:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def parse_iso6709(text: str) -> GeoPoint | None:
    """An ISO 6709 point (``+48.8577+002.2950+035.000/``), in any of its degree forms.

    The number of integer digits says the form: latitude DD, DDMM or DDMMSS; longitude DDD, DDDMM
    or DDDMMSS, each with optional decimals.
    """
    match = _ISO6709.match(text)
    if not match:
        return None
    lat = _degrees(match.group(1), 2)
    lon = _degrees(match.group(2), 3)
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None
    alt = float(match.group(3)) if match.group(3) else None
    if alt is not None and not math.isfinite(alt):
        alt = None
    return GeoPoint(lat=lat, lon=lon, alt=alt)


def _degrees(token: str, degree_digits: int) -> float | None:
    sign = -1.0 if token[0] == "-" else 1.0
    whole, _, fraction = token[1:].partition(".")
    tail = float(f"0.{fraction}") if fraction else 0.0
    if len(whole) <= degree_digits:
        value = int(whole) + tail
    elif len(whole) == degree_digits + 2:
        value = int(whole[:degree_digits]) + (int(whole[degree_digits:]) + tail) / 60
    elif len(whole) == degree_digits + 4:
        minutes = int(whole[degree_digits : degree_digits + 2])
        seconds = int(whole[degree_digits + 2 :]) + tail
        value = int(whole[:degree_digits]) + minutes / 60 + seconds / 3600
    else:
        return None
    return sign * value


def _tags(metadata: Mapping[str, str]) -> dict[str, str]:
    return {str(k): str(v) for k, v in metadata.items() if v is not None}


def _duration(
    container: av.container.InputContainer, stream: av.video.stream.VideoStream
) -> float | None:
    if container.duration and container.duration > 0:
        return float(container.duration) / av.time_base
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return None


def _frame_rate(stream: av.video.stream.VideoStream) -> float | None:
    for rate in (stream.average_rate, stream.guessed_rate, stream.base_rate):
        if rate and rate > 0:
            value = float(rate)
            if math.isfinite(value):
                return value
    return None
