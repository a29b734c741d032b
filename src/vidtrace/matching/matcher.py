"""``vidtrace match``: match media against every bank, exactly and perceptually.

Media are taken in pages; each page's matches and flags are replaced in one transaction, so an
interrupted run resumes where it stopped and nothing is counted twice. A media item remembers
the bank generation it was matched against: ingest matches only media not matched against the
current banks, ``vidtrace match`` rematches everything.
"""

from __future__ import annotations

import time
from collections import Counter

from sqlalchemy import Engine

from vidtrace.domain.known import MAX_PDQ_THRESHOLD, BankType, Candidate
from vidtrace.matching.bank_index import BankPdqIndex
from vidtrace.matching.exact import exact_candidates
from vidtrace.matching.match_summary import MatchSummary
from vidtrace.matching.perceptual import pdq_candidates
from vidtrace.matching.policy import apply_policies
from vidtrace.store.banks import BankRepository
from vidtrace.store.counters import BANK_GENERATION, read_counter
from vidtrace.store.matches import MatchRepository
from vidtrace.store.series_summary import refresh_summary_of_media

MATCHER_VERSION = 1
PAGE = 1_000


class Matcher:
    def __init__(
        self, engine: Engine, banks: BankRepository, matches: MatchRepository, index: BankPdqIndex
    ) -> None:
        self.engine = engine
        self.banks = banks
        self.matches = matches
        self.index = index

    def run(self, pending_only: bool = False) -> MatchSummary:
        started = time.monotonic()
        with self.engine.connect() as conn:
            generation = read_counter(conn, BANK_GENERATION)
        banks = self.banks.banks()
        radius = min(max((b.pdq_threshold for b in banks.values()), default=0), MAX_PDQ_THRESHOLD)
        summary = MatchSummary(scope="pending" if pending_only else "all", banks=len(banks))
        kinds: Counter[str] = Counter()
        per_bank: Counter[str] = Counter()
        if banks:
            self.index.sync()
        for page in self.matches.media_pages(generation if pending_only else None, PAGE):
            with self.engine.begin() as conn:
                candidates: list[Candidate] = []
                if banks:
                    candidates = exact_candidates(conn, page)
                    candidates += pdq_candidates(conn, self.index, page, radius)
                verdicts = self.banks.verdicts(conn, (c.entry_id for c in candidates))
                kept = apply_policies(candidates, verdicts, banks)
                rows, precategorised, known_good = [], set(), set()
                for c in kept:
                    verdict = verdicts[c.entry_id]
                    bank = banks[verdict.bank_id]
                    rows.append(
                        {
                            "media_sha256": c.media_sha256,
                            "hash_set_id": bank.id,
                            "entry_id": c.entry_id,
                            "kind": c.kind.value,
                            "distance": c.distance,
                            "dihedral": c.dihedral,
                            "frame": c.frame,
                            "category": verdict.category,
                            "category_label": verdict.category_label,
                            "series": verdict.series,
                            "victim_identified": verdict.victim_identified,
                            "matcher_version": MATCHER_VERSION,
                        }
                    )
                    kinds[c.kind.value] += 1
                    per_bank[bank.name] += 1
                    if bank.bank_type is BankType.KNOWN and verdict.category is not None:
                        precategorised.add(c.media_sha256)
                    elif bank.bank_type is BankType.KNOWN_GOOD:
                        known_good.add(c.media_sha256)
                self.matches.replace_for_media(
                    conn, page, rows, precategorised, known_good, generation
                )
                refresh_summary_of_media(conn, page)
                summary.media_considered += len(page)
                summary.media_matched += len({c.media_sha256 for c in kept})
        summary.matches_by_kind = dict(kinds)
        summary.matches_by_bank = dict(per_bank)
        summary.totals = self.matches.totals()
        summary.cases = self.matches.case_counts()
        summary.seconds = time.monotonic() - started
        return summary
