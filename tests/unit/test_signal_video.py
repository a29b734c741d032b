"""Video: one decode pass gives container facts, vPDQ-compatible frame hashes and stills."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from tests.kit.signal_kit import SignalContract
from vidtrace.config import Limits
from vidtrace.domain.media import GeoPoint
from vidtrace.domain.skip import SkipCode
from vidtrace.signals.base import DecodeError, VideoResult
from vidtrace.signals.pdq import hamming
from vidtrace.signals.video import probe_and_hash_video
from vidtrace.signals.video_tags import parse_creation_time, parse_iso6709
from vidtrace.signals.vpdq import VideoInfoSignal, VpdqSignal, match_percentages

LIMITS = Limits()


def write_video(
    path: Path, frames: int = 40, rate: int = 10, metadata: dict[str, str] | None = None
) -> Path:
    """A small H.264 clip: a bright bar sweeping across a brightening background."""
    with av.open(str(path), "w", format="mov" if path.suffix == ".mov" else "mp4") as container:
        container.metadata.update(metadata or {})
        stream = container.add_stream("libx264", rate=rate)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        for index in range(frames):
            pixels = np.full((240, 320, 3), (index * 5) % 200, np.uint8)
            pixels[:, (index * 7) % 300 : (index * 7) % 300 + 20] = 255
            pixels[100:140, 100:140] = (200, 30, 30)
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_video(
        tmp_path_factory.mktemp("video") / "clip.mp4",
        metadata={
            "creation_time": "2021-06-01T12:34:56.000000Z",
            "location": "+48.8577+002.2950+035.000/",
        },
    )


@pytest.fixture(scope="module")
def clip_result(clip: Path) -> VideoResult:
    return probe_and_hash_video(clip, 2.0, LIMITS)


class TestVpdqSignal(SignalContract):
    signal = VpdqSignal()

    @pytest.fixture
    def sample_input(self, clip_result: VideoResult) -> VideoResult:
        return clip_result


class TestVideoInfoSignal(SignalContract):
    signal = VideoInfoSignal()

    @pytest.fixture
    def sample_input(self, clip_result: VideoResult) -> VideoResult:
        return clip_result


def test_probe_of_generated_clip(clip_result: VideoResult) -> None:
    info = clip_result.info
    assert info.codec == "h264" and (info.width, info.height) == (320, 240)
    assert info.frame_rate == pytest.approx(10.0)
    assert info.duration == pytest.approx(4.0, abs=0.2)
    assert info.created_at == "2021-06-01T12:34:56+00:00"
    assert info.location == GeoPoint(48.8577, 2.295, 35.0)
    assert info.location_text and info.location_text.startswith("+48.8577")
    assert clip_result.complete


def test_frames_sampled_by_index_stride(clip_result: VideoResult) -> None:
    # 10 frames/s sampled at 2/s: every 5th frame, stamped index / rate.
    assert [f.frame for f in clip_result.frames] == list(range(0, 40, 5))
    assert [f.seconds for f in clip_result.frames] == [i / 10 for i in range(0, 40, 5)]
    assert all(len(f.pdq) == 64 and 0 <= f.quality <= 100 for f in clip_result.frames)


def test_stills_are_few_spread_and_small(clip: Path) -> None:
    result = probe_and_hash_video(clip, 10.0, LIMITS, keyframe_max=4)
    seconds = [s for s, _ in result.keyframes]
    assert 2 <= len(seconds) <= 4 and seconds == sorted(seconds)
    assert seconds[-1] - seconds[0] >= 1.5
    assert all(max(image.size) <= 512 and image.mode == "RGB" for _, image in result.keyframes)
    assert probe_and_hash_video(clip, 1.0, LIMITS, keyframe_max=0).keyframes == []


def test_sampled_frames_are_capped(clip: Path) -> None:
    result = probe_and_hash_video(clip, 10.0, Limits(max_video_frames=3))
    assert len(result.frames) == 3 and not result.complete


def test_frame_size_limit(clip: Path) -> None:
    with pytest.raises(DecodeError) as caught:
        probe_and_hash_video(clip, 1.0, Limits(max_image_pixels=320 * 240 - 1))
    assert caught.value.reason.code is SkipCode.DECOMPRESSION_BOMB


def test_cover_art_stream_is_not_the_video(shared_data: Path) -> None:
    path = shared_data / "video/perception/extra_channel_attached_pic_audio.mp4"
    result = probe_and_hash_video(path, 1.0, LIMITS)
    assert (result.info.width, result.info.height) == (640, 360)
    assert len(result.frames) == 10


def reference_frames(path: Path) -> dict[float, tuple[int, str]]:
    rows = [line.split(",") for line in path.read_text().splitlines() if line.strip()]
    return {float(seconds): (int(frame), pdq) for frame, _quality, pdq, seconds in rows}


def test_vpdq_reference_frames(shared_data: Path) -> None:
    videos = sorted((shared_data / "vpdq/videos").glob("*.mp4"))
    assert len(videos) == 7
    for video in videos:
        reference = reference_frames(shared_data / "vpdq/expected" / f"{video.stem}.txt")
        result = probe_and_hash_video(video, 5.0, LIMITS)
        assert len(result.frames) >= 20
        close = 0
        for frame in result.frames:
            nearest = min(reference, key=lambda seconds: abs(seconds - frame.seconds))
            ref_index, ref_pdq = reference[nearest]
            assert ref_index == frame.frame, video.name
            close += hamming(frame.pdq, ref_pdq) <= 31
        assert close >= 0.9 * len(result.frames), (video.name, close, len(result.frames))


def test_near_duplicate_videos_match(shared_data: Path) -> None:
    folder = shared_data / "vpdq/videos"
    # The pattern moves fast: a 1 frame/s sample finds its frames in every-frame hashes of the
    # longer cut (sampled at other instants, 1/s samples of the two would not line up).
    hd = probe_and_hash_video(folder / "pattern-hd-no-bar.mp4", 1.0, LIMITS).frames
    longer = probe_and_hash_video(folder / "pattern-longer-no-bar.mp4", 30.0, LIMITS).frames
    other = probe_and_hash_video(folder / "doorknob-hd-no-bar.mp4", 30.0, LIMITS).frames
    assert match_percentages(hd, longer)[0] >= 90
    assert max(match_percentages(hd, other)) <= 10


def test_probe_real_videos(shared_data: Path) -> None:
    paths = [
        p
        for p in sorted((shared_data / "video/perception").iterdir())
        if p.suffix in {".m4v", ".mov", ".mp4"}
    ]
    assert len(paths) == 6
    for path in paths:
        result = probe_and_hash_video(path, 1.0, LIMITS, keyframe_max=3)
        info = result.info
        assert info.codec == "h264" and info.duration and 3 < info.duration < 11, path.name
        assert info.width and info.height and 320 <= info.width <= 960, path.name
        assert info.frame_rate and 23 < info.frame_rate < 25, path.name
        assert result.frames and result.keyframes and result.complete, path.name
    v1 = probe_and_hash_video(paths[[p.name for p in paths].index("v1.m4v")], 1.0, LIMITS)
    assert v1.info.created_at == "2019-11-12T22:45:13+00:00"


@pytest.mark.parametrize("cut", ["half", "garbage", "header-only", "empty"])
def test_damaged_video_raises_or_returns_partial(
    shared_data: Path, tmp_path: Path, cut: str
) -> None:
    data = (shared_data / "vpdq/videos/pattern-sd-grey-bar.mp4").read_bytes()
    damaged = {
        "half": data[: len(data) // 2],
        "garbage": np.random.default_rng(3).bytes(100_000),
        "header-only": data[:2_000],
        "empty": b"",
    }[cut]
    path = tmp_path / "damaged.mp4"
    path.write_bytes(damaged)
    try:
        result = probe_and_hash_video(path, 1.0, LIMITS)
    except DecodeError as exc:
        assert exc.reason.code is SkipCode.CORRUPT_VIDEO
        return
    assert result.frames and not result.complete


def test_damage_in_the_middle_keeps_both_ends(shared_data: Path, tmp_path: Path) -> None:
    data = bytearray((shared_data / "vpdq/videos/pattern-sd-grey-bar.mp4").read_bytes())
    third = len(data) // 3
    data[third : third + 40_000] = np.random.default_rng(5).bytes(40_000)
    path = tmp_path / "holed.mp4"
    path.write_bytes(bytes(data))
    result = probe_and_hash_video(path, 1.0, LIMITS)
    assert result.frames and result.frames[-1].seconds >= 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+48.8577+002.2950+035.000/", GeoPoint(48.8577, 2.295, 35.0)),
        ("-33.8688+151.2093/", GeoPoint(-33.8688, 151.2093)),
        ("+4851.462+00217.700/", GeoPoint(48 + 51.462 / 60, 2 + 17.7 / 60)),
        ("+485127.7-0021742.0/", GeoPoint(48 + 51 / 60 + 27.7 / 3600, -(2 + 17 / 60 + 42 / 3600))),
        ("+91.0000+000.0000/", None),
        ("nowhere", None),
    ],
)
def test_parse_iso6709(text: str, expected: GeoPoint | None) -> None:
    point = parse_iso6709(text)
    if expected is None:
        assert point is None
        return
    assert point is not None
    assert point.lat == pytest.approx(expected.lat) and point.lon == pytest.approx(expected.lon)
    assert point.alt == expected.alt


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-11-12T22:45:13.000000Z", "2019-11-12T22:45:13+00:00"),
        ("2020-01-02 03:04:05", "2020-01-02T03:04:05+00:00"),
        ("2021-06-01T12:00:00+0200", "2021-06-01T12:00:00+02:00"),
        ("1904-01-01T00:00:00.000000Z", None),
        ("1970-01-01T00:00:00.000000Z", None),
        ("yesterday", None),
        (None, None),
    ],
)
def test_parse_creation_time(text: str | None, expected: str | None) -> None:
    assert parse_creation_time(text) == expected


def test_playlists_cannot_pull_in_other_files(shared_data: Path, tmp_path: Path) -> None:
    # An HLS playlist in the evidence would make FFmpeg read whatever file it names.
    target = shared_data / "vpdq/videos/pattern-sd-grey-bar.mp4"
    playlist = tmp_path / "list.m3u8"
    playlist.write_text(f"#EXTM3U\n#EXTINF:10.0,\n{target}\n#EXT-X-ENDLIST\n")
    with pytest.raises(DecodeError) as caught:
        probe_and_hash_video(playlist, 1.0, LIMITS)
    assert caught.value.reason.code is SkipCode.CORRUPT_VIDEO


@pytest.mark.parametrize(
    ("fmt", "suffix", "codec"),
    [("matroska", ".mkv", "libx264"), ("avi", ".avi", "mpeg4"), ("mpegts", ".ts", "libx264")],
)
def test_other_containers(tmp_path: Path, fmt: str, suffix: str, codec: str) -> None:
    path = tmp_path / f"clip{suffix}"
    with av.open(str(path), "w", format=fmt) as container:
        stream = container.add_stream(codec, rate=10)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        for index in range(20):
            pixels = np.full((120, 160, 3), index * 10, np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    result = probe_and_hash_video(path, 1.0, LIMITS)
    assert len(result.frames) == 2 and (result.info.width, result.info.height) == (160, 120)
