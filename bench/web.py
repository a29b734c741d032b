"""Benchmark of the workbench's heavy reads on SQLite and PostgreSQL (issue 6).

Generates rows only (no pixels): 1 M media, 50 k series (five of 5,000 members, the rest small,
sizes skewed), 200 k clues, occurrences in 50 cases over 10 agencies (one in ten media found in a
second case), 5 % known material and 1 % known-good. Then times, p50/p95 over repeated calls:

- the triage queue (TriageQueries.queue, first page of 50) for an admin and for an analyst,
  ranked in the database, against the baseline of ranking every series in Python
  (bench/web_baseline.py; the bench first checks that both give the same page);
- whole pages through the app (bench/web_pages.py): the triage page and the first page of a
  5,000-member series, as an admin and as an analyst; that series page also as the first view
  after a change to the series, when its country ranking is computed again;
- every kind of search (bench/web_search.py: hashes, PDQ within 31 bits, file names and paths,
  cameras, OCR text, clue values), as an admin and as an analyst;
- and once, the full refresh of the series summary (what a grouping run pays).

    .venv/bin/python -m bench.web [--media 1000000] [--calls 20] [--only sqlite|postgresql]

PostgreSQL is a fresh database on 127.0.0.1:5432 ($VIDTRACE_TEST_POSTGRES_URL), dropped
afterwards; skipped with a message when it cannot be reached.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, insert, select
from tests.kit.databases import fresh_postgres_database, postgres_available, sqlite_url

from bench import web_search
from bench.timing import timed
from bench.web_baseline import PythonRankedTriage
from bench.web_pages import page_timings
from vidtrace.domain.viewer import Role, Viewer
from vidtrace.store.database import make_engine, upgrade_schema
from vidtrace.store.models import (
    Agency,
    Case,
    ClueRow,
    Media,
    MediaText,
    Occurrence,
    Series,
    SeriesMember,
    Source,
    utcnow,
)
from vidtrace.store.series_summary import refresh_series_summary
from vidtrace.store.triage_queries import TriageQueries

CHUNK = 20_000
AGENCIES = 10
CASES = 50
BIG = 5_000
CLUE_KINDS = ("gps", "language", "phone", "domain", "barcode", "timezone")
ADMIN = Viewer(user_id=1, name="admin", role=Role.ADMIN, agency_id=None)
ANALYST = Viewer(user_id=2, name="alice", role=Role.ANALYST, agency_id=1)


def _sha(n: int) -> str:
    return f"{n:064x}"


def _series_sizes(rng: np.random.Generator, series: int, members: int) -> list[int]:
    """Five of BIG members, the rest 2 + a geometric draw, scaled to about ``members``."""
    big = min(5, series)
    small = series - big
    mean = max((members - big * BIG) / max(small, 1) - 2, 1.0)
    sizes = [BIG] * big + list(2 + rng.geometric(1 / mean, size=small))
    return [int(s) for s in sizes]


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    page: list[dict[str, Any]] = []
    for row in rows:
        page.append(row)
        if len(page) == CHUNK:
            yield page
            page = []
    if page:
        yield page


def _insert(engine: Engine, table: Any, rows: Iterator[dict[str, Any]]) -> None:
    for page in _chunks(rows):
        with engine.begin() as conn:
            conn.execute(insert(table), page)


def generate(engine: Engine, media: int, seed: int = 6) -> dict[str, int]:
    """Fill an empty, migrated database; what was generated."""
    rng = np.random.default_rng(seed)
    series_count = max(media // 20, 6)
    sizes = _series_sizes(rng, series_count, int(media * 0.6))
    with engine.begin() as conn:
        conn.execute(
            insert(Agency), [{"id": a, "name": f"Agency {a}"} for a in range(1, AGENCIES + 1)]
        )
        conn.execute(
            insert(Case),
            [
                {"id": c, "name": f"case-{c}", "agency_id": 1 + c % AGENCIES}
                for c in range(1, CASES + 1)
            ],
        )
        conn.execute(
            insert(Source),
            [
                {"id": c, "case_id": c, "root_path": f"/ev/{c}", "kind": "folder"}
                for c in range(1, CASES + 1)
            ],
        )
    flags = rng.random(media)
    pdqs = web_search.pdq_hashes(media, seed)  # its own generator: the draws above stay
    _insert(
        engine,
        Media.__table__,
        (
            {
                "sha256": _sha(n),
                "md5": f"{(n * 2654435761) % (1 << 128):032x}",
                "sha1": f"{n:040x}",
                "size": 1000 + n,
                "kind": "image",
                "pdq": pdqs[n],
                "pdq_quality": 100,
                **web_search.camera(n),
                "precategorised": bool(flags[n] < 0.05),
                "known_good": bool(0.05 <= flags[n] < 0.06),
            }
            for n in range(media)
        ),
    )
    # Media come in runs from one case (a folder of a seizure); one in ten is found again
    # in another case.
    home = (np.arange(media) // 997) % CASES + 1
    again = rng.random(media) < 0.1
    other = rng.integers(1, CASES + 1, size=media)

    def occurrences() -> Iterator[dict[str, Any]]:
        for n in range(media):
            cases = [int(home[n])] + ([int(other[n])] if again[n] and other[n] != home[n] else [])
            for c in cases:
                yield {
                    "media_sha256": _sha(n),
                    "case_id": c,
                    "source_id": c,
                    "path": web_search.path(n),
                    "member_path": web_search.file_name(n),
                    "chain": [],
                }

    _insert(engine, Occurrence.__table__, occurrences())
    starts = np.concatenate([[0], np.cumsum(sizes)])
    starts = starts[starts <= media]
    live = len(starts) - 1
    _insert(
        engine,
        Series.__table__,
        (
            {
                "id": s + 1,
                "size": int(starts[s + 1] - starts[s]),
                "representative": _sha(int(starts[s])),
                "links_by_kind": {},
            }
            for s in range(live)
        ),
    )
    _insert(
        engine,
        SeriesMember.__table__,
        (
            {"media_sha256": _sha(n), "series_id": s + 1}
            for s in range(live)
            for n in range(int(starts[s]), int(starts[s + 1]))
        ),
    )
    members = int(starts[live])
    clue_media = rng.integers(0, members, size=media // 5)
    kinds = rng.integers(0, len(CLUE_KINDS), size=len(clue_media))
    rejected = rng.random(len(clue_media)) < 0.1
    _insert(
        engine,
        ClueRow.__table__,
        (
            {
                "media_sha256": _sha(int(n)),
                "kind": CLUE_KINDS[k],
                "value": web_search.clue_value(CLUE_KINDS[k], int(n)),
                "countries": {"NL": 1.0},
                "confidence": 0.5,
                "status": "rejected" if r else "proposed",
            }
            for n, k, r in zip(clue_media, kinds, rejected, strict=True)
        ),
    )
    _insert(engine, MediaText.__table__, web_search.texts(media))
    return {"media": media, "series": live, "members": members, "clues": len(clue_media)}


def measure(engine: Engine, url: str, media: int, calls: int) -> dict[str, Any]:
    started = time.perf_counter()
    made = generate(engine, media)
    figures: dict[str, Any] = {**made, "generate_s": round(time.perf_counter() - started, 1)}
    started = time.perf_counter()
    with engine.begin() as conn:
        refresh_series_summary(conn, None)
    figures["summary_refresh_all_s"] = round(time.perf_counter() - started, 1)
    # Planner statistics, and on PostgreSQL the visibility map that index-only scans read, as a
    # live database has them (autovacuum; SQLite's PRAGMA optimize): without statistics a freshly
    # bulk-loaded PostgreSQL picks nested loops.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if conn.dialect.name == "postgresql" else "ANALYZE")
    with engine.begin() as conn:
        refresh_series_summary(conn, [1])
        started = time.perf_counter()
        refresh_series_summary(conn, [1])  # a 5,000-member series, as an edit would
    figures["summary_refresh_big_series_ms"] = round((time.perf_counter() - started) * 1000, 1)
    moment = utcnow()  # one clock for both, so their pages can be compared
    now = TriageQueries(engine, now=lambda: moment)
    old = PythonRankedTriage(engine, now=lambda: moment)
    for who, viewer in (("admin", ADMIN), ("analyst", ANALYST)):
        assert now.queue(viewer) == old.queue(viewer), f"SQL and Python rankings differ for {who}"
        figures[f"triage_{who}"] = timed(partial(now.queue, viewer), calls)
        figures[f"triage_{who}_ranked_in_python"] = timed(partial(old.queue, viewer), calls)
    with tempfile.TemporaryDirectory() as workspace:
        figures.update(page_timings(engine, url, Path(workspace), calls))
    with engine.connect() as conn:
        key = _sha(media // 2)
        figures["search_sha256_prefix"] = timed(
            lambda: conn.execute(
                select(Media.sha256).where(Media.sha256.like(key[:12] + "%")).limit(50)
            ).all(),
            calls,
        )
        md5 = conn.scalar(select(Media.md5).where(Media.sha256 == key)) or ""
        figures["search_md5_prefix"] = timed(
            lambda: conn.execute(
                select(Media.sha256).where(Media.md5.like(md5[:12] + "%")).limit(50)
            ).all(),
            calls,
        )
    viewers = {"admin": ADMIN, "analyst": ANALYST}
    figures.update(web_search.measure_search(engine, media, viewers, ANALYST, calls))
    return figures


def report(name: str, figures: dict[str, Any]) -> None:
    print(f"\n== {name}")
    for key, value in figures.items():
        if isinstance(value, tuple):
            print(f"  {key:36} p50 {value[0]:8.1f} ms   p95 {value[1]:8.1f} ms")
        else:
            print(f"  {key:36} {value}")
    for who in ("admin", "analyst"):
        new, old = figures[f"triage_{who}"][1], figures[f"triage_{who}_ranked_in_python"][1]
        print(f"  triage {who}: p95 {old:.0f} ms -> {new:.0f} ms ({old / new:.1f}x faster)")


@contextmanager
def databases(only: str | None) -> Iterator[Iterator[tuple[str, str]]]:
    with tempfile.TemporaryDirectory() as folder:

        def urls() -> Iterator[tuple[str, str]]:
            if only in (None, "sqlite"):
                yield "sqlite", sqlite_url(Path(folder))
            if only in (None, "postgresql"):
                ok, reason = postgres_available()
                if not ok:
                    print(f"\n== postgresql skipped: {reason}")
                    return
                with fresh_postgres_database() as url:
                    yield "postgresql", url

        yield urls()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--media", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    with databases(args.only) as urls:
        for name, url in urls:
            engine = make_engine(url)
            upgrade_schema(engine)
            report(name, measure(engine, url, args.media, args.calls))
            engine.dispose()


if __name__ == "__main__":
    main()
