"""Perceptual matches: PDQ within a radius, for images (all 8 rotations and flips) and for
sampled video frames. Hashes of quality below MIN_PDQ_QUALITY are not searched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from vidtrace.domain.known import MIN_PDQ_QUALITY, Candidate, MatchKind
from vidtrace.matching.bank_index import BankPdqIndex
from vidtrace.signals.pdq import DIHEDRAL_NAMES
from vidtrace.store.models import Media, VideoFrame


@dataclass(frozen=True)
class _Query:
    media_sha256: str
    pdq: str
    kind: MatchKind
    dihedral: str | None = None
    frame: int | None = None


def _queries(conn: Connection, media_sha256s: Sequence[str]) -> list[_Query]:
    queries = []
    images = conn.execute(
        select(Media.sha256, Media.pdq, Media.pdq_dihedral).where(
            Media.sha256.in_(media_sha256s),
            Media.pdq.is_not(None),
            Media.pdq_quality >= MIN_PDQ_QUALITY,
        )
    )
    for sha256, pdq, dihedral in images:
        variants = dihedral.split(",") if dihedral else [str(pdq)]
        for name, variant in zip(DIHEDRAL_NAMES, variants, strict=False):
            queries.append(_Query(sha256, variant, MatchKind.PDQ, dihedral=name))
    frames = conn.execute(
        select(VideoFrame.media_sha256, VideoFrame.frame, VideoFrame.pdq).where(
            VideoFrame.media_sha256.in_(media_sha256s), VideoFrame.quality >= MIN_PDQ_QUALITY
        )
    )
    for sha256, frame, pdq in frames:
        queries.append(_Query(sha256, pdq, MatchKind.VIDEO_PDQ, frame=frame))
    return queries


def pdq_candidates(
    conn: Connection, index: BankPdqIndex, media_sha256s: Sequence[str], radius: int
) -> list[Candidate]:
    queries = _queries(conn, media_sha256s)
    if not queries:
        return []
    hits = index.search([q.pdq for q in queries], radius)
    found = []
    for row, entry_id, distance in zip(
        hits.query.tolist(), hits.id.tolist(), hits.distance.tolist(), strict=True
    ):
        query = queries[row]
        found.append(
            Candidate(
                query.media_sha256,
                int(entry_id),
                query.kind,
                int(distance),
                query.dihedral,
                query.frame,
            )
        )
    return found
