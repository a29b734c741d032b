"""The banks' policies, applied to candidate matches.

- A perceptual candidate counts only within its bank's PDQ threshold.
- An "ignore" bank is a negative list (known false positives: logos, blank frames, memes):
  a media item that matches it keeps its exact matches elsewhere but loses its perceptual ones.
- Per (media, entry, kind) the closest candidate is kept: the variant or frame nearest the entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from vidtrace.domain.known import Bank, BankType, Candidate, EntryVerdict
from vidtrace.signals.pdq import DIHEDRAL_NAMES


def apply_policies(
    candidates: Iterable[Candidate],
    verdicts: Mapping[int, EntryVerdict],
    banks: Mapping[int, Bank],
) -> list[Candidate]:
    best: dict[tuple[str, int, str], Candidate] = {}
    for candidate in candidates:
        verdict = verdicts.get(candidate.entry_id)
        if verdict is None or verdict.bank_id not in banks:  # entry removed since indexing
            continue
        if not candidate.kind.exact and candidate.distance > banks[verdict.bank_id].pdq_threshold:
            continue
        key = (candidate.media_sha256, candidate.entry_id, candidate.kind.value)
        kept = best.get(key)
        if kept is None or _closer(candidate, kept):
            best[key] = candidate
    ignored = {
        c.media_sha256
        for c in best.values()
        if banks[verdicts[c.entry_id].bank_id].bank_type is BankType.IGNORE
    }
    return [
        c
        for c in best.values()
        if c.kind.exact
        or c.media_sha256 not in ignored
        or banks[verdicts[c.entry_id].bank_id].bank_type is BankType.IGNORE
    ]


def _closer(a: Candidate, b: Candidate) -> bool:
    return _rank(a) < _rank(b)


def _rank(c: Candidate) -> tuple[int, int, int]:
    # Nearest first; on a tie the unrotated image, then the earliest frame.
    variant = DIHEDRAL_NAMES.index(c.dihedral) if c.dihedral in DIHEDRAL_NAMES else 0
    return (c.distance, variant, c.frame or 0)
