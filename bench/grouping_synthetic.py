"""A synthetic workspace for the grouping benchmark: media rows with signals, no pixels.

Signals follow what seized collections look like: 20 % of the images sit in near-duplicate
clusters of 10 (members 0-12 bits from their centre; one in twenty a rotated copy, planted as
another member's dihedral variant), cameras with serial numbers shooting bursts into DCIM-style
folders with sequential names, phones without serials, and 1 % videos (20 sampled frames each,
some cut as clips from others). Rows are inserted in bulk, the way ingest would leave them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import Engine, insert

from vidtrace.store.models import Agency, Case, Media, Occurrence, Source, VideoFrame

PAGE = 20_000
EPOCH = datetime(2023, 1, 1, tzinfo=UTC)


def _hex(rows: np.ndarray) -> list[str]:
    return [bytes(r).hex() for r in rows]


def _flip(rng: np.random.Generator, base: np.ndarray, bits: np.ndarray) -> np.ndarray:
    """Copies of ``base`` (n, 32 bytes) with ``bits[i]`` random bits flipped in row i."""
    out = base.copy()
    for i, count in enumerate(bits):
        for bit in rng.choice(256, size=int(count), replace=False):
            out[i, bit // 8] ^= 1 << (bit % 8)
    return out


def build_workspace(engine: Engine, media: int, seed: int = 11) -> dict[str, int]:
    """Insert ``media`` synthetic media into an empty workspace database; what was planted."""
    rng = np.random.default_rng(seed)
    videos = media // 100
    images = media - videos
    identity = rng.integers(0, 256, (images, 32), dtype=np.uint8)
    clustered = int(images * 0.2) // 10 * 10
    centres = identity[:clustered:10].copy()
    members = np.repeat(centres, 10, axis=0)
    identity[:clustered] = _flip(rng, members, rng.integers(0, 13, clustered))
    dihedral = rng.integers(0, 256, (images, 8, 32), dtype=np.uint8)
    dihedral[:, 0] = identity
    rotated = np.arange(0, clustered, 20)  # every 20th member: the rotated copy of its neighbour
    dihedral[rotated + 1, 2] = _flip(rng, identity[rotated], rng.integers(0, 6, len(rotated)))
    serials = rng.integers(0, 5000, images)
    has_serial = rng.random(images) < 0.6
    # copies keep their original's camera, or lose the EXIF on the way (half of them)
    serials[:clustered] = np.repeat(serials[:clustered:10], 10)
    has_serial[:clustered] = np.repeat(has_serial[:clustered:10], 10) & (
        rng.random(clustered) < 0.5
    )
    taken = EPOCH + np.cumsum(rng.exponential(40.0, images)).astype("timedelta64[s]").astype(object)
    with engine.begin() as conn:
        conn.execute(insert(Agency).values(id=1, name="Agency XX", country="XX"))
        conn.execute(insert(Case).values(id=1, name="Synthetic", agency_id=1))
        conn.execute(
            insert(Source),
            [
                {"id": s + 1, "case_id": 1, "root_path": f"/e/{s}", "kind": "folder"}
                for s in range(100)
            ],
        )
        keys = [f"{i:064x}" for i in range(media)]
        for start in range(0, media, PAGE):
            rows, places = [], []
            for i in range(start, min(start + PAGE, media)):
                is_video = i >= images
                serial = None if is_video or not has_serial[i] else f"SN{serials[i]:06d}"
                camera = int(serials[i % images]) % 40
                when = EPOCH + timedelta(seconds=int(i * 37)) if is_video else taken[i]
                rows.append(
                    {
                        "sha256": keys[i],
                        "md5": keys[i][:32],
                        "sha1": keys[i][:40],
                        "size": 1000,
                        "kind": "video" if is_video else "image",
                        "pdq": None if is_video else identity[i].tobytes().hex(),
                        "pdq_quality": None if is_video else 100,
                        "pdq_dihedral": None if is_video else ",".join(_hex(dihedral[i])),
                        "camera_make": f"Make{camera % 7}",
                        "camera_model": f"Model {camera}",
                        "camera_serial": serial,
                        "software": f"1.{camera % 3}",
                        "taken_at": when.strftime("%Y-%m-%dT%H:%M:%S"),
                    }
                )
                source = i % 100
                places.append(
                    {
                        "media_sha256": keys[i],
                        "case_id": 1,
                        "source_id": source + 1,
                        "path": f"DCIM/{100 + (i // 100_000)}CAM/DSC_{i // 100 % 10000:04d}.JPG",
                        "chain": [],
                        "member_path": "",
                    }
                )
            conn.execute(insert(Media), rows)
            conn.execute(insert(Occurrence), places)
        frames = []
        base = rng.integers(0, 256, (videos, 20, 32), dtype=np.uint8)
        clips = np.arange(1, videos, 10)  # every tenth video is a clip of the one before it
        base[clips, :10] = base[clips - 1, 5:15]
        clip_set = set(clips.tolist())
        for v in range(videos):
            for f in range(10 if v in clip_set else 20):
                frames.append(
                    {
                        "media_sha256": keys[images + v],
                        "frame": f,
                        "seconds": float(f),
                        "pdq": base[v, f].tobytes().hex(),
                        "quality": 100,
                    }
                )
            if len(frames) >= PAGE:
                conn.execute(insert(VideoFrame), frames)
                frames = []
        if frames:
            conn.execute(insert(VideoFrame), frames)
    return {
        "media": media,
        "images": images,
        "videos": videos,
        "clustered_images": clustered,
        "rotated_copies": len(rotated),
        "clips": len(clips),
    }
