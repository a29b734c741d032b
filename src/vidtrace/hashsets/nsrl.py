"""NIST NSRL RDS: the known-good reference set (operating-system and application files to hide).

One format name, ``nsrl``, for both layouts NIST has published:

* RDS v3 (2022 on) is a SQLite database. Its ``FILE`` view (a table in some releases) lists
  sha256, sha1, md5, crc32, file_name, file_size and package_id; ``VERSION`` names the release.
* RDS v2 (up to 2.78) is ``NSRLFile.txt``, a quoted CSV with upper-case hashes.

Both stream: a v3 release holds hundreds of millions of rows, so rows are fetched in batches
from a read-only connection and turned into entries with as little work per row as possible.
"""

from __future__ import annotations

import csv
import re
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from vidtrace.hashsets.base import (
    BankEntry,
    BankHeader,
    BankReader,
    HashSetFormat,
    HashSetFormatError,
    RejectedRecord,
    hashset_formats,
    normalise_hex,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
V2_COLUMNS = (
    "SHA-1",
    "MD5",
    "CRC32",
    "FileName",
    "FileSize",
    "ProductCode",
    "OpSystemCode",
    "SpecialCode",
)
V3_HASH_COLUMNS = ("sha256", "sha1", "md5")
V3_OTHER_COLUMNS = ("crc32", "file_name", "file_size", "package_id")
FETCH_ROWS = 10_000

_V2_LOWER = [name.lower() for name in V2_COLUMNS]
_BOM = b"\xef\xbb\xbf"
# sha256 + sha1 + md5 concatenated, checked in one regex call (lengths are checked apart).
_HEX_RUN = re.compile(r"[0-9a-fA-F]*")


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _connect(path: Path) -> sqlite3.Connection:
    """A read-only connection; the reader may be iterated on another thread than it was opened."""
    uri = path.resolve().as_uri() + "?mode=ro"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


def _named_object(conn: sqlite3.Connection, name: str) -> str | None:
    """The stored spelling of table or view ``name`` (matched case-insensitively), or None."""
    row = conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND lower(name) = ?",
        (name.lower(),),
    ).fetchone()
    return None if row is None else str(row[0])


class RdsV3Reader(BankReader):
    """Rows of an RDS v3 SQLite release's ``FILE`` view, in the database's order."""

    def __init__(self, path: Path) -> None:
        try:
            self._conn = _connect(path)
        except sqlite3.Error as error:
            raise HashSetFormatError(0, f"{path.name}: cannot open: {error}") from error
        try:
            self._select = self._check_file(path)
            self.header = self._read_header()
        except sqlite3.DatabaseError as error:
            self._conn.close()
            raise HashSetFormatError(0, f"{path.name}: not a readable RDS v3: {error}") from error
        except BaseException:
            self._conn.close()
            raise

    def _check_file(self, path: Path) -> str:
        """The SELECT over FILE, after checking that FILE exists with the hash columns."""
        file_name = _named_object(self._conn, "FILE")
        if file_name is None:
            raise HashSetFormatError(
                0, f"{path.name}: SQLite database without a FILE table or view; not an RDS v3"
            )
        info = self._conn.execute(f"PRAGMA table_info({_quote(file_name)})").fetchall()
        stored = {str(row[1]).lower(): str(row[1]) for row in info}
        missing = [column for column in V3_HASH_COLUMNS if column not in stored]
        if missing:
            raise HashSetFormatError(
                0,
                f"{path.name}: the FILE table/view lacks column(s) "
                f"{', '.join(missing)} (found: {', '.join(stored) or 'none'})",
            )
        wanted = V3_HASH_COLUMNS + V3_OTHER_COLUMNS
        selected = [_quote(stored[column]) if column in stored else "NULL" for column in wanted]
        return f"SELECT {', '.join(selected)} FROM {_quote(file_name)}"

    def _read_header(self) -> BankHeader:
        version_table = _named_object(self._conn, "VERSION")
        fields: dict[str, Any] = {}
        if version_table is not None:
            cursor = self._conn.execute(f"SELECT * FROM {_quote(version_table)} LIMIT 1")
            row = cursor.fetchone()
            if row is not None:
                names = [str(column[0]).lower() for column in cursor.description]
                fields = {name: value for name, value in zip(names, row, strict=True)}
        release = fields.pop("version", None)
        description = fields.pop("description", None)
        # Only plain values, so the header can be stored as JSON.
        kept = {k: v for k, v in fields.items() if isinstance(v, str | int | float) and v != ""}
        extra = {"layout": "v3"} | kept
        return BankHeader(
            format="nsrl",
            version=f"RDS v3 {release}" if release else "RDS v3",
            source=str(description) if description else None,
            extra=extra,
        )

    def __iter__(self) -> Iterator[BankEntry | RejectedRecord]:
        cursor = self._conn.cursor()
        number = 0
        try:
            cursor.execute(self._select)
            while rows := cursor.fetchmany(FETCH_ROWS):
                for row in rows:
                    number += 1
                    yield _v3_entry(number, row)
        except sqlite3.DatabaseError as error:
            raise HashSetFormatError(number + 1, f"database error: {error}") from error
        finally:
            cursor.close()

    def close(self) -> None:
        self._conn.close()


def _v3_entry(number: int, row: Sequence[Any]) -> BankEntry | RejectedRecord:
    sha256, sha1, md5, crc32, file_name, file_size, package_id = row
    # Fast path: three well-formed hex strings, checked with one regex call.
    if (
        type(sha256) is str
        and type(sha1) is str
        and type(md5) is str
        and len(sha256) == 64
        and len(sha1) == 40
        and len(md5) == 32
        and _HEX_RUN.fullmatch(sha256 + sha1 + md5)
    ):
        sha256, sha1, md5 = sha256.lower(), sha1.lower(), md5.lower()
    else:
        try:
            sha256 = normalise_hex(sha256, "sha256")
            sha1 = normalise_hex(sha1, "sha1")
            md5 = normalise_hex(md5, "md5")
        except ValueError as error:
            return RejectedRecord(number, str(error))
        if sha256 is None and sha1 is None and md5 is None:
            return RejectedRecord(number, "no hash")
    if file_size is not None and type(file_size) is not int:
        try:
            file_size = int(file_size)
        except (TypeError, ValueError):
            return RejectedRecord(number, f"invalid file_size {file_size!r}")
    extra: dict[str, Any] = {}
    if crc32 is not None:
        extra["crc32"] = crc32.lower() if type(crc32) is str else crc32
    if package_id is not None:
        extra["package_id"] = package_id
    return BankEntry(
        record=number,
        md5=md5,
        sha1=sha1,
        sha256=sha256,
        media_size=file_size,
        file_paths=(file_name if type(file_name) is str else str(file_name),) if file_name else (),
        extra=extra,
    )


class RdsV2Reader(BankReader):
    """Rows of an RDS v2 ``NSRLFile.txt``, read line by line. Iterate it once."""

    def __init__(self, path: Path) -> None:
        # File names in old releases are not always UTF-8; they are informational only, so an
        # odd byte becomes U+FFFD rather than stopping a known-good import. Closed by close().
        self._handle: TextIO = open(  # noqa: SIM115
            path, encoding="utf-8-sig", errors="replace", newline=""
        )
        try:
            self._rows = csv.reader(self._handle)
            try:
                found = next(self._rows, [])
            except csv.Error as error:
                raise HashSetFormatError(1, f"{path.name}: unreadable header: {error}") from error
            if [name.strip().lower() for name in found] != _V2_LOWER:
                raise HashSetFormatError(
                    1,
                    f"{path.name}: not an NSRL RDS v2 NSRLFile.txt header; expected columns "
                    f"{', '.join(V2_COLUMNS)}; found {', '.join(found) or 'nothing'}",
                )
        except BaseException:
            self._handle.close()
            raise
        self.header = BankHeader(format="nsrl", version="RDS v2", extra={"layout": "v2"})

    def __iter__(self) -> Iterator[BankEntry | RejectedRecord]:
        number = 0
        try:
            for fields in self._rows:
                if not fields:  # a blank line, e.g. at the end of the file
                    continue
                number += 1
                yield _v2_entry(number, fields)
        except csv.Error as error:
            raise HashSetFormatError(number + 1, f"unreadable CSV: {error}") from error

    def close(self) -> None:
        self._handle.close()


def _v2_entry(number: int, fields: list[str]) -> BankEntry | RejectedRecord:
    if len(fields) != len(V2_COLUMNS):
        return RejectedRecord(number, f"expected {len(V2_COLUMNS)} fields, found {len(fields)}")
    sha1_text, md5_text, crc32, file_name, size_text, product, os_code, special = fields
    try:
        sha1 = normalise_hex(sha1_text, "sha1")
        md5 = normalise_hex(md5_text, "md5")
    except ValueError as error:
        return RejectedRecord(number, str(error))
    if sha1 is None and md5 is None:
        return RejectedRecord(number, "no SHA-1 or MD5")
    size_text = size_text.strip()
    try:
        file_size = int(size_text) if size_text else None
    except ValueError:
        return RejectedRecord(number, f"invalid FileSize {size_text[:40]!r}")
    extra: dict[str, Any] = {}
    if crc32.strip():
        extra["crc32"] = crc32.strip().lower()
    product = product.strip()
    if product:
        extra["product_code"] = int(product) if product.isdecimal() else product
    if os_code.strip():
        extra["os_code"] = os_code.strip()
    if special.strip():
        extra["special_code"] = special.strip()
    return BankEntry(
        record=number,
        md5=md5,
        sha1=sha1,
        media_size=file_size,
        file_paths=(file_name,) if file_name else (),
        extra=extra,
    )


def _is_rds_v2_header(head: bytes) -> bool:
    line = head.removeprefix(_BOM).split(b"\n", 1)[0].rstrip(b"\r")
    try:
        fields = next(csv.reader([line.decode("utf-8", "replace")]), [])
    except csv.Error:
        return False
    return [name.strip().lower() for name in fields] == _V2_LOWER


def _has_file_object(path: Path) -> bool:
    try:
        conn = _connect(path)
        try:
            return _named_object(conn, "FILE") is not None
        finally:
            conn.close()
    except sqlite3.Error:
        return False


class NsrlFormat(HashSetFormat):
    """NSRL RDS v3 (SQLite) or v2 (NSRLFile.txt), told apart by the file's first bytes."""

    name = "nsrl"
    description = "NIST NSRL RDS known-good files: v3 SQLite database or v2 NSRLFile.txt"
    default_bank_type = "known-good"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        if head.startswith(SQLITE_MAGIC):
            return _has_file_object(path)
        return _is_rds_v2_header(head)

    @classmethod
    def open(cls, path: Path) -> BankReader:
        with open(path, "rb") as handle:
            magic = handle.read(len(SQLITE_MAGIC))
        if magic == SQLITE_MAGIC:
            return RdsV3Reader(path)
        return RdsV2Reader(path)


hashset_formats.register(NsrlFormat)
