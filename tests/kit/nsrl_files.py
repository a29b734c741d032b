"""Builders for small, synthetic NSRL RDS files: a v3 SQLite release and a v2 NSRLFile.txt.

The rows are made up (random hashes, names like "kernel32.dll"); the layouts follow NIST's::

    rows = nsrl_rows(3)
    build_rds_v3(tmp_path / "RDS_2024.03.1_modern_minimal.db", rows)
    write_nsrl_v2(tmp_path / "NSRLFile.txt", rows)
"""

from __future__ import annotations

import csv
import random
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

V2_HEADER = (
    "SHA-1",
    "MD5",
    "CRC32",
    "FileName",
    "FileSize",
    "ProductCode",
    "OpSystemCode",
    "SpecialCode",
)
V3_FILE_COLUMNS = (
    "sha256",
    "sha1",
    "md5",
    "crc32",
    "file_name",
    "file_size",
    "package_id",
)
FILE_NAMES = ("kernel32.dll", "notepad.exe", "libc.so.6", "readme.txt", "setup.inf", "cmd.exe")


@dataclass(frozen=True)
class NsrlRow:
    """One file of the reference set. Hashes as written (real releases use upper-case hex)."""

    sha256: str
    sha1: str
    md5: str
    crc32: str = "0A1B2C3D"
    file_name: str = "kernel32.dll"
    file_size: int = 1024
    package_id: int = 1
    os_code: str = "358"  # v2 only (OpSystemCode)
    special_code: str = ""  # v2 only (SpecialCode)


def nsrl_rows(count: int, seed: int = 0) -> Iterator[NsrlRow]:
    """``count`` rows with random upper-case hashes, deterministic for a given ``seed``."""
    rng = random.Random(seed)
    for index in range(count):
        yield NsrlRow(
            sha256=f"{rng.getrandbits(256):064X}",
            sha1=f"{rng.getrandbits(160):040X}",
            md5=f"{rng.getrandbits(128):032X}",
            crc32=f"{rng.getrandbits(32):08X}",
            file_name=FILE_NAMES[index % len(FILE_NAMES)],
            file_size=rng.randrange(1, 10_000_000),
            package_id=1 + index % 3,
        )


def build_rds_v3(
    path: Path,
    rows: Iterable[NsrlRow],
    *,
    version: str | None = "2024.03.1",
    file_as_view: bool = True,
    with_file: bool = True,
    upper_case_columns: bool = False,
    omit_columns: Collection[str] = (),
) -> Path:
    """Create an RDS v3-style SQLite database at ``path`` holding ``rows``; return ``path``.

    As in NIST's modern/minimal releases, the rows live in a METADATA table and ``FILE`` is a
    view over it (``file_as_view=False`` makes FILE the table itself). ``version`` fills the
    VERSION table (None: no VERSION table). ``with_file=False`` leaves FILE out entirely;
    ``omit_columns`` leaves those FILE columns out; ``upper_case_columns`` names them SHA256,
    SHA1, ... PKG, OS and MFG hold a few made-up packages.
    """
    columns = [c for c in V3_FILE_COLUMNS if c not in omit_columns]
    named = [c.upper() if upper_case_columns else c for c in columns]
    conn = sqlite3.connect(path)
    try:
        table = "FILE" if with_file and not file_as_view else "METADATA"
        conn.execute(f"CREATE TABLE {table} ({', '.join(named)})")
        if with_file and file_as_view:
            conn.execute(f"CREATE VIEW FILE AS SELECT {', '.join(named)} FROM METADATA")
        conn.executemany(
            f"INSERT INTO {table} VALUES ({', '.join('?' for _ in named)})",
            ([getattr(row, c) for c in columns] for row in rows),
        )
        conn.execute("CREATE TABLE MFG (manufacturer_id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute(
            "CREATE TABLE OS (operating_system_id INTEGER PRIMARY KEY, name TEXT, version TEXT,"
            " manufacturer_id INTEGER)"
        )
        conn.execute(
            "CREATE TABLE PKG (package_id INTEGER PRIMARY KEY, name TEXT, version TEXT,"
            " operating_system_id INTEGER, manufacturer_id INTEGER, language TEXT,"
            " application_type TEXT)"
        )
        conn.execute("INSERT INTO MFG VALUES (1, 'Example Software Ltd')")
        conn.execute("INSERT INTO OS VALUES (1, 'ExampleOS', '11', 1)")
        conn.executemany(
            "INSERT INTO PKG VALUES (?, ?, '1.0', 1, 1, 'English', 'Operating System')",
            [(1, "ExampleOS Base"), (2, "Example Office"), (3, "Example Tools")],
        )
        if version is not None:
            conn.execute(
                "CREATE TABLE VERSION (version TEXT, build_set TEXT, build_date TIMESTAMP,"
                " release_date TIMESTAMP, description TEXT)"
            )
            conn.execute(
                "INSERT INTO VERSION VALUES (?, 'Modern', '2024-02-20 10:00:00',"
                " '2024-03-01 00:00:00', 'NSRL Modern RDS (minimal)')",
                (version,),
            )
        conn.commit()
    finally:
        conn.close()
    return path


def write_nsrl_v2(
    path: Path,
    rows: Iterable[NsrlRow | Sequence[str]],
    *,
    header: Sequence[str] = V2_HEADER,
    bom: bool = False,
) -> Path:
    """Write an RDS v2 ``NSRLFile.txt`` at ``path``: ``header``, then one line per row.

    An ``NsrlRow`` becomes the eight quoted fields NIST writes; a plain sequence of strings is
    written as given (for malformed lines: too few fields, bad hex). Lines end in CRLF.
    """
    with open(path, "w", encoding="utf-8", newline="") as out:
        if bom:
            out.write("\ufeff")
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            if isinstance(row, NsrlRow):
                writer.writerow(
                    (
                        row.sha1,
                        row.md5,
                        row.crc32,
                        row.file_name,
                        str(row.file_size),
                        str(row.package_id),
                        row.os_code,
                        row.special_code,
                    )
                )
            else:
                writer.writerow(row)
    return path
