"""Builders for small, synthetic ICSE CSV files (made-up hashes, series and image ids).

Usage::

    rows = [icse_row(seed=1, Baseline="Yes"), icse_row(seed=2, **{"Series name": "Beach"})]
    write_icse_csv(tmp_path / "icse.csv", rows, delimiter=",")
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

# Written out here rather than imported, so the tests also pin the names the reader expects.
ICSE_COLUMNS = (
    "MD5",
    "SHA1",
    "PhotoDNA",
    "Image ID",
    "Is distributed",
    "Victim identified",
    "Offender identified",
    "Series name",
    "Number of submissions",
    "File Available",
    "Media Type",
    "Baseline",
)


def icse_row(seed: int = 0, **fields: str) -> dict[str, str]:
    """A plausible ICSE row keyed by column name, random hashes from ``seed``; ``fields`` win.

    Column names with spaces go through ``**{"Series name": "..."}``.
    """
    rng = random.Random(seed)
    row = {
        "MD5": f"{rng.getrandbits(128):032X}",
        "SHA1": f"{rng.getrandbits(160):040X}",
        "PhotoDNA": "",
        "Image ID": str(rng.randrange(1, 10**7)),
        "Is distributed": "Yes",
        "Victim identified": "No",
        "Offender identified": "No",
        "Series name": f"Series {seed}",
        "Number of submissions": str(rng.randrange(1, 50)),
        "File Available": "Yes",
        "Media Type": "Image",
        "Baseline": "No",
    }
    row.update(fields)
    return row


def write_icse_csv(
    path: Path,
    rows: Iterable[Mapping[str, str] | Sequence[str]],
    delimiter: str = ";",
    *,
    columns: Sequence[str] = ICSE_COLUMNS,
    bom: bool = False,
    line_end: str = "\r\n",
) -> Path:
    """Write an ICSE CSV at ``path``: a header of ``columns``, then one line per row.

    A mapping row is keyed by the names in ``ICSE_COLUMNS``; it is written in ``columns``
    order, each header name matched to its ``ICSE_COLUMNS`` name ignoring case and spaces
    around it, absent values empty. Pass other ``columns`` (reordered, in another case, some
    left out) to build odd headers. A plain sequence row is written as given (for malformed
    lines: too few fields). ``bom`` starts the file with a UTF-8 byte-order mark.
    """
    with open(path, "w", encoding="utf-8", newline="") as out:
        if bom:
            out.write("\ufeff")
        writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end)
        writer.writerow(columns)
        canonical = {c.strip().lower(): c for c in ICSE_COLUMNS}
        for row in rows:
            if isinstance(row, Mapping):
                writer.writerow(
                    row.get(canonical.get(name.strip().lower(), name), "") for name in columns
                )
            else:
                writer.writerow(row)
    return path
