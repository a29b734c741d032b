"""VICS (Project VIC) JSON hash sets, versions 1.1-1.3 and 2.0, read streaming.

A VICS file is an OData envelope: ``{"@odata.context": URL, "value": [...]}`` (2.0) or
``{"odata.metadata": URL, "value": [...]}`` (1.x). The URL gives the data-model version, the
jurisdiction profile (2.0: ``.../2.0.xml/<PROFILE>/$metadata``; 1.x has none: "Default") and
the form: ``#Media`` (Media records directly under ``value``) or ``#Cases`` (cases, each with
its ``Media`` array). Records stream with ijson, so memory stays bounded for multi-GB reports.

What each Media record becomes:

- MD5, SHA1, PhotoDNA and the ``AlternativeHashes`` rows named PDQ (or "PDQHash", any case),
  SHA256 / SHA-256 and PhotoDNA fill the entry's hashes; other rows stay in
  ``extra["alternative_hashes"]``. PhotoDNA is carried verbatim, never checked or computed.
- ``Category`` is mapped through the profile (``categories.py``); null, empty or the profile's
  uncategorised code means no verdict. ``IsPrecategorized`` is not trusted (exporters set it on
  entries without a Category) and only kept in ``extra``.
- ``MediaFiles`` rows give ``file_paths`` (FilePath joined with FileName); rows carrying more
  (times, flags) are kept whole in ``extra["media_files"]``. ``Exifs`` rows are kept as
  ``extra["exifs"]``. Child rows lose their ``MD5`` and ``MediaFileID`` (the export's keys).
- In a ``#Cases`` file, ``extra["case"]`` holds the case's CaseID, CaseNumber,
  ContactOrganization, ContactName, SeizureDate (ISO 8601), SourceApplicationName and
  SourceApplicationVersion; ``reader.cases`` lists every case read so far as a ``VicsCase``.
- Every other field (MediaID, DateUpdated, IsPrecategorized, RelativeFilePath, ...) is kept
  in ``extra`` under its VICS name; OData annotations (``odata.id``, ``...@odata.*``) and null
  values are dropped.

A record with no usable hash, bad hex, an invalid PDQ or a value of the wrong type (an object
where text is expected, a non-numeric Category, a boolean that is neither) becomes a
``RejectedRecord``; record numbers count Media records from 1 across all cases.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

import ijson
from ijson.common import ObjectBuilder

from vidtrace import __version__
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
from vidtrace.hashsets.categories import category_info, is_no_verdict
from vidtrace.hashsets.vics_values import (
    hash_name_key,
    is_blank,
    iso_date,
    join_file_path,
    lookup,
    read_bool,
    read_date,
    read_int,
    read_text,
)

CONTEXT_KEYS = ("@odata.context", "odata.metadata")
SUPPORTED_VERSIONS = ("1.1", "1.2", "1.3", "2.0")
FORMS = ("Media", "Cases")
CASE_FIELDS = (
    "CaseID",
    "CaseNumber",
    "ContactOrganization",
    "ContactName",
    "SeizureDate",
    "SourceApplicationName",
    "SourceApplicationVersion",
)
BOM = b"\xef\xbb\xbf"
# HashName of an AlternativeHashes row, compared loosely (hash_name_key), to the entry field.
ALTERNATIVE_HASH_KINDS = {
    "PDQ": "pdq",
    "PDQHASH": "pdq",
    "SHA256": "sha256",
    "SHA256HASH": "sha256",
    "SHA1": "sha1",
    "PHOTODNA": "photodna",
    "PHOTODNAHASH": "photodna",
}
# Media properties kept in ``extra``, read leniently (the raw value is kept if it does not fit).
MEDIA_EXTRA_TYPES: dict[str, Callable[[Any, str], Any]] = {
    "MediaID": read_int,
    "RelativeFilePath": read_text,
    "DateUpdated": iso_date,
    "IsPrecategorized": read_bool,
    "PrecategorizationSource": read_text,
    "IsSuspected": read_bool,
    "SelfGenerated": read_bool,
}
_MEDIA_FIELDS = (
    "MD5",
    "SHA1",
    "Category",
    "VictimIdentified",
    "OffenderIdentified",
    "IsDistributed",
    "Series",
    "Tags",
    "Comments",
    "MediaSize",
    "MimeType",
    "PhotoDNA",
    "AlternativeHashes",
    "Exifs",
    "MediaFiles",
)
_KNOWN = frozenset((*_MEDIA_FIELDS, *MEDIA_EXTRA_TYPES))
_CANONICAL = {name.lower(): name for name in _KNOWN}
_MEDIA_FILE_PATH_KEYS = frozenset({"filename", "filepath"})
_CONTEXT = re.compile(
    r"/DataModels/(?P<version>\d+(?:\.\d+)*)\.xml(?:/(?P<profile>[^/#$]+))?/?(?:\$metadata)?"
    r"#(?P<form>[A-Za-z]+)"
)
_OPEN = frozenset({"start_map", "start_array"})
_CLOSE = frozenset({"end_map", "end_array"})
_SCALARS = frozenset({"string", "number", "boolean", "null"})


@dataclass(frozen=True)
class VicsCase:
    """A VICS Case: who seized what, when; the header of a ``#Cases`` export."""

    case_id: str = field(default_factory=lambda: str(uuid.uuid4()))  # "" when a file has none
    case_number: str | None = None
    contact_organization: str | None = None
    contact_name: str | None = None
    seizure_date: datetime | None = None
    source_application_name: str | None = "vidtrace"
    source_application_version: str | None = __version__
    extra: dict[str, Any] = field(default_factory=dict)  # ContactPhone, ContactEmail, ...


@dataclass(frozen=True)
class VicsContext:
    """What the envelope's context URL says."""

    version: str
    profile: str
    form: str  # "Media" or "Cases"
    url: str


def parse_context(url: str) -> VicsContext:
    """The version, profile and form named by a VICS context URL; HashSetFormatError if none."""
    found = _CONTEXT.search(url)
    if not found:
        raise HashSetFormatError(0, f"not a VICS context URL: {url[:200]!r}")
    version = found["version"]
    if version not in SUPPORTED_VERSIONS:
        raise HashSetFormatError(
            0, f"unsupported VICS version {version} (supported: {', '.join(SUPPORTED_VERSIONS)})"
        )
    form = {name.lower(): name for name in FORMS}.get(found["form"].lower())
    if form is None:
        raise HashSetFormatError(0, f"unsupported VICS form #{found['form']} (#Media or #Cases)")
    return VicsContext(version=version, profile=found["profile"] or "Default", form=form, url=url)


class VicsReader(BankReader):
    """A VICS file, its envelope checked; iterate for its Media records."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.cases: list[VicsCase] = []  # complete once iteration has finished
        self._handles: list[BinaryIO] = []
        self.context = _read_envelope(path)
        self.header = BankHeader(
            format="vics",
            version=self.context.version,
            profile=self.context.profile,
            source=self.context.url,
            extra={"form": self.context.form},
        )

    def __iter__(self) -> Iterator[BankEntry | RejectedRecord]:
        handle = self._open()
        count = 0
        watcher: _CaseWatcher | None = None
        if self.context.form == "Cases":
            watcher = _CaseWatcher(self.path, self.cases)
            events = watcher.watch(ijson.parse(handle, use_float=True))
            records = ijson.items(events, "value.item.Media.item")
        else:
            records = ijson.items(handle, "value.item", use_float=True)
        try:
            for raw in records:
                count += 1
                case = watcher.current_case() if watcher else None
                yield media_entry(raw, count, self.context.profile, case)
        except ijson.JSONError as exc:
            where = f"after record {count}" if count else "before the first record"
            raise HashSetFormatError(count, f"malformed JSON {where}: {_fault(exc)}") from None
        finally:
            if watcher:
                watcher.close()
            handle.close()
            if handle in self._handles:  # close() may have come first
                self._handles.remove(handle)

    def _open(self) -> BinaryIO:
        handle = open(self.path, "rb")  # noqa: SIM115  (closed by __iter__ or close())
        _skip_bom(handle)
        self._handles.append(handle)
        return handle

    def bank_meta(self) -> dict[str, Any]:
        return {"cases": [_case_json(case) for case in self.cases]} if self.cases else {}

    def close(self) -> None:
        for handle in self._handles:
            handle.close()
        self._handles.clear()


@hashset_formats.register
class VicsFormat(HashSetFormat):
    name = "vics"
    description: ClassVar[str] = "VICS / Project VIC JSON (1.x and 2.0; #Media and #Cases)"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        text = head.removeprefix(BOM).lstrip()
        return text.startswith(b"{") and any(f'"{key}"'.encode() in text for key in CONTEXT_KEYS)

    @classmethod
    def open(cls, path: Path) -> VicsReader:
        return VicsReader(path)


def media_entry(
    raw: Any, record: int, profile: str | None, case: dict[str, Any] | None = None
) -> BankEntry | RejectedRecord:
    """One VICS Media record as a BankEntry, or the reason it cannot be one."""
    if not isinstance(raw, dict):
        return RejectedRecord(record, f"record is not an object: {str(raw)[:80]!r}")
    try:
        return _media_entry(raw, record, profile, case)
    except ValueError as exc:
        return RejectedRecord(record, str(exc))


def _media_entry(
    raw: dict[str, Any], record: int, profile: str | None, case: dict[str, Any] | None
) -> BankEntry:
    fields: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _KNOWN:
            name = key
        elif "odata." in key:
            continue
        else:
            name = _CANONICAL.get(key.lower(), key)
        if name in MEDIA_EXTRA_TYPES:
            value = _lenient(MEDIA_EXTRA_TYPES[name], value, name)
        if name in _MEDIA_FIELDS:
            fields[name] = value
        elif not _empty(value):
            extra[name] = value
    hashes = {
        "md5": normalise_hex(fields.get("MD5"), "md5"),
        "sha1": normalise_hex(fields.get("SHA1"), "sha1"),
        "photodna": read_text(fields.get("PhotoDNA"), "PhotoDNA"),
    }
    others = _alternative_hashes(fields.get("AlternativeHashes"), hashes)
    if not any(hashes.get(kind) for kind in ("md5", "sha1", "sha256", "pdq")):
        raise ValueError("no hash: MD5 missing and no SHA1, SHA256 or PDQ")
    if others:
        extra["alternative_hashes"] = others
    exifs = _rows(fields.get("Exifs"), "Exifs")
    if exifs:
        extra["exifs"] = exifs
    media_files = _rows(fields.get("MediaFiles"), "MediaFiles", drop=("MediaFileID",))
    paths = []
    for row in media_files:
        folder = read_text(lookup(row, "FilePath"), "MediaFiles FilePath")
        path = join_file_path(folder, read_text(lookup(row, "FileName"), "MediaFiles FileName"))
        if path:
            paths.append(path)
    if any(key.lower() not in _MEDIA_FILE_PATH_KEYS for row in media_files for key in row):
        extra["media_files"] = media_files
    if case is not None:
        extra["case"] = dict(case)
    category, label = _category(fields.get("Category"), profile)
    return BankEntry(
        record=record,
        md5=hashes["md5"],
        sha1=hashes["sha1"],
        sha256=hashes.get("sha256"),
        pdq=hashes.get("pdq"),
        photodna=hashes["photodna"],
        category=category,
        category_label=label,
        victim_identified=read_bool(fields.get("VictimIdentified"), "VictimIdentified"),
        offender_identified=read_bool(fields.get("OffenderIdentified"), "OffenderIdentified"),
        is_distributed=read_bool(fields.get("IsDistributed"), "IsDistributed"),
        series=read_text(fields.get("Series"), "Series"),
        tags=read_text(fields.get("Tags"), "Tags"),
        comments=read_text(fields.get("Comments"), "Comments"),
        media_size=read_int(fields.get("MediaSize"), "MediaSize"),
        mime_type=read_text(fields.get("MimeType"), "MimeType"),
        file_paths=tuple(paths),
        extra=extra,
    )


def _category(value: Any, profile: str | None) -> tuple[str | None, str | None]:
    if is_blank(value):
        return None, None
    try:
        number = read_int(value, "Category")
    except ValueError:
        raise ValueError(f"Category is not a number: {str(value)[:80]!r}") from None
    if number is None or not 0 <= number <= 255:
        raise ValueError(f"Category {number} is out of range (0-255)")
    code = str(number)
    if is_no_verdict(profile, code):
        return None, None
    return code, category_info(profile, code).label


def _alternative_hashes(value: Any, hashes: dict[str, str | None]) -> list[dict[str, Any]]:
    """Fill ``hashes`` from the rows it names; return the other rows."""
    others = []
    for row in _rows(value, "AlternativeHashes"):
        kind = ALTERNATIVE_HASH_KINDS.get(hash_name_key(lookup(row, "HashName")))
        if kind is None:
            others.append(row)
            continue
        raw_value = lookup(row, "HashValue")
        if kind == "photodna":
            found = read_text(raw_value, "PhotoDNA")
        else:
            found = normalise_hex(raw_value, kind)
        if found is None or found == hashes.get(kind):
            continue  # a blank row, or one that repeats the field
        if hashes.get(kind):
            others.append(row)  # a second, different value: kept, not chosen
        else:
            hashes[kind] = found
    return others


def _rows(value: Any, name: str, drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """A list of child rows (AlternativeHashes, Exifs, MediaFiles), without the export's keys."""
    if is_blank(value):
        return []
    if not isinstance(value, list):
        raise ValueError(f"{name} is not a list: {str(value)[:80]!r}")
    dropped = {"md5", *(key.lower() for key in drop)}
    rows = []
    for row in value:
        if not isinstance(row, dict):
            raise ValueError(f"{name} row is not an object: {str(row)[:80]!r}")
        rows.append(
            {
                key: item
                for key, item in row.items()
                if "odata." not in key and key.lower() not in dropped and item is not None
            }
        )
    return rows


def _lenient(read: Callable[[Any, str], Any], value: Any, name: str) -> Any:
    try:
        return read(value, name)
    except ValueError:
        return value


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def case_summary(fields: dict[str, Any]) -> dict[str, Any]:
    """The case fields an entry carries in ``extra["case"]`` (SeizureDate as ISO 8601)."""
    summary = {name: fields[name] for name in CASE_FIELDS if fields.get(name) is not None}
    if "SeizureDate" in summary:
        summary["SeizureDate"] = _lenient(iso_date, summary["SeizureDate"], "SeizureDate")
    return summary


def vics_case(fields: dict[str, Any]) -> VicsCase:
    """A ``VicsCase`` from a case's own fields; values that do not fit stay in ``extra``."""
    extra = {
        key: value
        for key, value in fields.items()
        if key not in CASE_FIELDS and "odata." not in key and not _empty(value)
    }
    values: dict[str, Any] = {}
    for name in CASE_FIELDS:
        reader = read_date if name == "SeizureDate" else read_text
        try:
            values[name] = reader(fields.get(name), name)
        except ValueError:
            values[name] = None
            extra[name] = fields[name]
    return VicsCase(
        case_id=values["CaseID"] or "",
        case_number=values["CaseNumber"],
        contact_organization=values["ContactOrganization"],
        contact_name=values["ContactName"],
        seizure_date=values["SeizureDate"],
        source_application_name=values["SourceApplicationName"],
        source_application_version=values["SourceApplicationVersion"],
        extra=extra,
    )


class _CaseWatcher:
    """Follows the case-level events of a ``#Cases`` stream while ijson builds its Media.

    Case fields normally precede the case's ``Media`` array; when some come after it, a second
    parser reads ahead (one extra pass at most, bounded memory) so every entry gets them.
    """

    def __init__(self, path: Path, cases: list[VicsCase]) -> None:
        self._path = path
        self._cases = cases
        self._index = 0
        self._key: str | None = None
        self._fields: dict[str, Any] = {}
        self._current: dict[str, Any] | None = None
        self._ahead: Generator[dict[str, Any], None, None] | None = None
        self._ahead_index = 0

    def watch(self, events: Iterator[tuple[str, str, Any]]) -> Iterator[tuple[str, str, Any]]:
        builder: ObjectBuilder | None = None
        depth = 0
        field_prefix: str | None = None  # where the current case field's value is
        for event in events:
            prefix, kind, value = event
            if builder is not None:
                builder.event(kind, value)
                depth += (kind in _OPEN) - (kind in _CLOSE)
                if not depth:
                    self._fields[self._key or ""] = builder.value
                    builder = None
            elif prefix == "value.item":
                if kind == "start_map":
                    self._index += 1
                    self._fields, self._current = {}, None
                elif kind == "map_key":
                    if value.upper() == "MD5":  # read as cases, its records would vanish
                        raise HashSetFormatError(
                            self._index, "a #Cases file whose 'value' holds Media records"
                        )
                    self._key = value
                    field_prefix = None if value == "Media" else f"value.item.{value}"
                elif kind == "end_map":
                    self._cases.append(vics_case(self._fields))
            elif prefix == field_prefix:
                if kind in _SCALARS:
                    self._fields[self._key or ""] = value
                elif kind in _OPEN:
                    builder, depth = ObjectBuilder(), 1
                    builder.event(kind, value)
            yield event

    def current_case(self) -> dict[str, Any]:
        """The ``extra["case"]`` of the case whose Media are being read."""
        if self._current is None:
            fields = self._fields
            if not set(CASE_FIELDS) <= fields.keys():
                fields = {**self._read_ahead(self._index), **fields}
            self._current = case_summary(fields)
        return self._current

    def _read_ahead(self, index: int) -> dict[str, Any]:
        if self._ahead is None:
            self._ahead = _case_fields(self._path)
        found: dict[str, Any] = {}
        while self._ahead_index < index:
            found = next(self._ahead, {})
            self._ahead_index += 1
        return found

    def close(self) -> None:
        if self._ahead is not None:
            self._ahead.close()


def _case_fields(path: Path) -> Generator[dict[str, Any], None, None]:
    """The scalar fields of each case of a ``#Cases`` file, in order (the read-ahead)."""
    with open(path, "rb") as handle:
        _skip_bom(handle)
        fields: dict[str, Any] = {}
        key = ""
        field_prefix: str | None = None
        try:
            for prefix, kind, value in ijson.parse(handle, use_float=True):
                if prefix == "value.item":
                    if kind == "start_map":
                        fields = {}
                    elif kind == "map_key":
                        key = value
                        field_prefix = None if value == "Media" else f"value.item.{value}"
                    elif kind == "end_map":
                        yield fields
                elif prefix == field_prefix and kind in _SCALARS:
                    fields[key] = value
        except ijson.JSONError:
            return  # the main pass reports where the file breaks


def _read_envelope(path: Path) -> VicsContext:
    """Read up to the context URL and the start of ``value``, wherever they are in the object."""
    context: str | None = None
    value_kind: str | None = None
    with open(path, "rb") as handle:
        _skip_bom(handle)
        events = ijson.parse(handle)
        try:
            first = next(events, None)
            if first is None or first[1] != "start_map":
                raise HashSetFormatError(0, "not a VICS file: the JSON is not an object")
            pending: str | None = None
            for prefix, kind, value in events:
                if pending is not None:
                    if pending in CONTEXT_KEYS and context is None:
                        if kind != "string":
                            raise HashSetFormatError(0, f"{pending} is not text")
                        context = value
                    elif pending == "value" and value_kind is None:
                        value_kind = kind
                    pending = None
                    if context is not None and value_kind is not None:
                        break
                elif prefix == "" and kind == "map_key":
                    pending = value
        except ijson.JSONError as exc:
            raise HashSetFormatError(0, f"malformed JSON: {_fault(exc)}") from None
    if context is None:
        raise HashSetFormatError(0, "not a VICS file: no @odata.context or odata.metadata key")
    if value_kind is None:
        raise HashSetFormatError(0, "no 'value' list of records")
    if value_kind != "start_array":
        raise HashSetFormatError(0, "'value' is not a list")
    return parse_context(context)


def _skip_bom(handle: BinaryIO) -> None:
    if handle.read(len(BOM)) != BOM:
        handle.seek(0)


def _fault(exc: Exception) -> str:
    message = exc.args[0] if exc.args else exc
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return str(message).strip().splitlines()[0]


def _case_json(case: VicsCase) -> dict[str, Any]:
    data = dataclasses.asdict(case)
    if case.seizure_date is not None:
        data["seizure_date"] = case.seizure_date.isoformat()
    return data
