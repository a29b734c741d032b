"""VICS import benchmark: a generated 1 M-entry VICS 2.0 file imported in bounded memory.

Runs ``vidtrace hashset import`` in a child process (so its peak RSS is its own) and, side by
side in the same run, the naive baseline: ``json.load`` of the same file, the full parse that
real large reports were reported to choke on.

    .venv/bin/python -m bench.hashset_import                 # 1,000,000 entries
    .venv/bin/python -m bench.hashset_import --entries 200000

The file (benign random hashes) is cached in bench/out/.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from vidtrace.hashsets.base import BankEntry
from vidtrace.hashsets.vics import VicsCase
from vidtrace.hashsets.vics_writer import write_vics_cases

OUT = Path(__file__).resolve().parent / "out"
NAIVE = "import json, sys; data = json.load(open(sys.argv[1], 'rb')); print(len(data['value']))"


def entries(count: int) -> Iterator[BankEntry]:
    rng = random.Random(2026)
    for record in range(1, count + 1):
        has_pdq = record % 2 == 0
        yield BankEntry(
            record=record,
            md5=f"{rng.getrandbits(128):032x}",
            sha1=f"{rng.getrandbits(160):040x}",
            pdq=f"{rng.getrandbits(256):064x}" if has_pdq else None,
            category=str(rng.choice([1, 2, 5])) if record % 3 else None,
            series=f"Series {record % 997}" if record % 5 == 0 else None,
            victim_identified=record % 7 == 0,
            media_size=rng.randrange(10_000, 5_000_000),
            mime_type="image/jpeg",
            file_paths=(f"Pictures/{record // 1000:04d}/IMG_{record:07d}.JPG",),
        )


def vics_file(count: int) -> Path:
    path = OUT / f"vics-{count}.json"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        case = VicsCase(case_number="BENCH-1", contact_organization="Benchmark")
        with open(partial, "wb") as out:
            write_vics_cases(out, case, entries(count), profile="US")
        partial.rename(path)
    return path


def child(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, stdout) of ``command``, measured for that child alone."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"{command[:4]} failed:\n{err.read()[-2000:]}")
        return seconds, usage.ru_maxrss / 1024, out.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    path = vics_file(args.entries)
    size_mb = path.stat().st_size / 1e6
    print(f"VICS 2.0 #Cases file: {args.entries:,} entries, {size_mb:,.0f} MB ({path})")

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ}
        env.pop("VIDTRACE_DATABASE_URL", None)
        command = [
            sys.executable, "-m", "vidtrace", "--workspace", tmp, "hashset", "import",
            str(path), "--name", "bench", "--json",
        ]  # fmt: skip
        seconds, rss, out = child(command, env)
        print(
            f"vidtrace hashset import (SQLite, PDQ index): {seconds:.1f} s,"
            f" {args.entries / seconds:,.0f} entries/s, peak RSS {rss:.0f} MB (target <= 500)"
        )
        summary = out[out.index("{") :]
        print("  " + " ".join(line.strip() for line in summary.splitlines()[:12]))
    seconds_naive, rss_naive, _ = child([sys.executable, "-c", NAIVE, str(path)])
    print(
        f"baseline json.load of the whole file: {seconds_naive:.1f} s, peak RSS {rss_naive:.0f} MB"
    )
    print(f"peak RSS ratio import / naive parse: {rss / rss_naive:.2f}")


if __name__ == "__main__":
    main()
