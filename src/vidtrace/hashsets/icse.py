"""ICSE CSV: the hash lists exported from Interpol's ICSE database, read streaming and written.

Every ICSE record is known abuse material, so every entry carries a verdict: category
"baseline" when the record's Baseline flag is set, else "icse". Columns may come in any order,
in any case, with ``;``, ``,`` or tab between them (told from the header line).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

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
from vidtrace.hashsets.categories import category_info

COLUMNS = (
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
DELIMITERS = (";", ",", "\t")
BASELINE = "baseline"
KNOWN = "icse"

_TRUE = frozenset({"yes", "y", "true", "1"})
_FALSE = frozenset({"no", "n", "false", "0"})
_BOM = b"\xef\xbb\xbf"


def detect_delimiter(header_line: str) -> str:
    """The delimiter of a header line: whichever of ``;``, ``,`` and tab it holds most."""
    return max(DELIMITERS, key=header_line.count)


def parse_yes_no(text: str) -> bool | None:
    """ICSE's booleans: Yes/No, true/false, 1/0, Y/N (any case); None when empty."""
    value = text.strip().lower()
    if not value:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"not a yes/no value: {text.strip()[:40]!r}")


class IcseReader(BankReader):
    """Records of an ICSE CSV, read line by line. Iterate it once.

    Lines are decoded one at a time, so a line that is not UTF-8 rejects only its own record.
    """

    def __init__(self, path: Path) -> None:
        self._handle: BinaryIO = open(path, "rb")  # noqa: SIM115  (closed by close())
        self._undecodable = False
        try:
            self._open(path)
        except BaseException:
            self._handle.close()
            raise
        self._labels = {code: category_info(KNOWN, code).label for code in (BASELINE, KNOWN)}

    def _open(self, path: Path) -> None:
        try:
            line = self._handle.readline().removeprefix(_BOM).decode("utf-8")
        except UnicodeDecodeError as error:
            message = f"{path.name}: header is not UTF-8 text: {error}"
            raise HashSetFormatError(1, message) from error
        delimiter = detect_delimiter(line)
        names = next(csv.reader([line], delimiter=delimiter), [])
        positions: dict[str, int] = {}
        for position, name in enumerate(names):
            positions.setdefault(name.strip().lower(), position)
        missing = [column for column in COLUMNS if column.lower() not in positions]
        if missing:
            raise HashSetFormatError(
                1,
                f"{path.name}: missing columns: {', '.join(missing)} (an ICSE CSV has "
                f"{', '.join(COLUMNS)})",
            )
        self._width = len(names)
        self._index = [positions[column.lower()] for column in COLUMNS]
        known = set(self._index)
        self._others = [(i, name.strip()) for i, name in enumerate(names) if i not in known]
        self._rows = csv.reader(self._lines(), delimiter=delimiter)
        self.header = BankHeader(format="icse", extra={"delimiter": delimiter})

    def _lines(self) -> Iterator[str]:
        for raw in self._handle:
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                self._undecodable = True  # the record this line belongs to is rejected
                yield raw.decode("utf-8", "replace")

    def __iter__(self) -> Iterator[BankEntry | RejectedRecord]:
        number = 0
        try:
            for fields in self._rows:
                if not fields or fields == [""]:  # a blank line, e.g. at the end of the file
                    continue
                number += 1
                if self._undecodable:
                    self._undecodable = False
                    yield RejectedRecord(number, "not UTF-8 text (save the file as UTF-8)")
                    continue
                yield self._entry(number, fields)
        except csv.Error as error:
            raise HashSetFormatError(number + 1, f"unreadable CSV: {error}") from error

    def _entry(self, number: int, fields: list[str]) -> BankEntry | RejectedRecord:
        if len(fields) != self._width:
            return RejectedRecord(number, f"expected {self._width} fields, found {len(fields)}")
        (md5, sha1, photodna, image_id, distributed, victim, offender, series, submissions,
         available, media_type, baseline) = (fields[i] for i in self._index)  # fmt: skip
        try:
            md5_hex = normalise_hex(md5, "md5")
            sha1_hex = normalise_hex(sha1, "sha1")
        except ValueError as error:
            return RejectedRecord(number, str(error))
        if md5_hex is None and sha1_hex is None:
            return RejectedRecord(number, "neither MD5 nor SHA1")
        try:
            is_distributed = _flag("Is distributed", distributed)
            victim_identified = _flag("Victim identified", victim)
            offender_identified = _flag("Offender identified", offender)
            file_available = _flag("File Available", available)
            is_baseline = _flag("Baseline", baseline)
            count = _submissions(submissions)
        except ValueError as error:
            return RejectedRecord(number, str(error))
        extra: dict[str, Any] = {}
        for key, value in (
            ("image_id", image_id.strip() or None),
            ("submissions", count),
            ("file_available", file_available),
            ("media_type", media_type.strip() or None),
            ("baseline", is_baseline),
        ):
            if value is not None:
                extra[key] = value
        others = {name: fields[i] for i, name in self._others if fields[i].strip()}
        if others:
            extra["other_columns"] = others
        code = BASELINE if is_baseline else KNOWN
        return BankEntry(
            record=number,
            md5=md5_hex,
            sha1=sha1_hex,
            photodna=photodna if photodna.strip() else None,
            category=code,
            category_label=self._labels[code],
            victim_identified=victim_identified,
            offender_identified=offender_identified,
            is_distributed=is_distributed,
            series=series.strip() or None,
            extra=extra,
        )

    def close(self) -> None:
        self._handle.close()


def _flag(column: str, text: str) -> bool | None:
    try:
        return parse_yes_no(text)
    except ValueError as error:
        raise ValueError(f"{column}: {error}") from None


def _submissions(text: str) -> int | None:
    value = text.strip()
    if not value:
        return None
    if not value.isdecimal():
        raise ValueError(f"Number of submissions: not a whole number: {value[:40]!r}")
    return int(value)


class IcseFormat(HashSetFormat):
    """Interpol ICSE hash-list CSV."""

    name = "icse"
    description = "Interpol ICSE hash-list CSV (MD5, SHA1, PhotoDNA, series, baseline)"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        line = head.removeprefix(_BOM).split(b"\n", 1)[0].decode("utf-8", "replace")
        try:
            names = next(csv.reader([line], delimiter=detect_delimiter(line)), [])
        except csv.Error:
            return False
        found = {name.strip().lower() for name in names}
        return {"md5", "image id", "baseline"} <= found

    @classmethod
    def open(cls, path: Path) -> BankReader:
        return IcseReader(path)


def _yes_no(value: object) -> str:
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return ""


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _media_type(entry: BankEntry) -> str:
    if entry.extra.get("media_type"):
        return str(entry.extra["media_type"])
    # Entries from other formats (VICS) know a MIME type instead.
    kind = (entry.mime_type or "").split("/", 1)[0].lower()
    return {"image": "Image", "video": "Video"}.get(kind, "")


def write_icse_csv(out: TextIO, entries: Iterable[BankEntry], delimiter: str = ";") -> int:
    """Write ``entries`` to ``out`` as an ICSE CSV, streaming; return the rows written.

    Open ``out`` with ``newline=""`` (rows end in CRLF, as the csv module writes them). Entries
    with neither MD5 nor SHA1 are left out (an ICSE record needs one), so the count returned can
    be lower than the number of entries given. Baseline is ``extra["baseline"]`` when set, else
    "Yes" for category "baseline". Reading the file back gives the same entries.
    """
    if delimiter not in DELIMITERS:
        raise ValueError(f"an ICSE CSV delimiter is one of {DELIMITERS!r}, not {delimiter!r}")
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(COLUMNS)
    written = 0
    for entry in entries:
        if not entry.md5 and not entry.sha1:
            continue
        extra = entry.extra
        baseline = extra.get("baseline")
        if baseline is None and entry.category == BASELINE:
            baseline = True
        writer.writerow(
            (
                _text(entry.md5),
                _text(entry.sha1),
                _text(entry.photodna),
                _text(extra.get("image_id")),
                _yes_no(entry.is_distributed),
                _yes_no(entry.victim_identified),
                _yes_no(entry.offender_identified),
                _text(entry.series),
                _text(extra.get("submissions")),
                _yes_no(extra.get("file_available")),
                _media_type(entry),
                _yes_no(baseline),
            )
        )
        written += 1
    return written


hashset_formats.register(IcseFormat)
