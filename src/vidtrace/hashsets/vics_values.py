"""Values as VICS exporters write them, read leniently and written strictly.

Exporters disagree on JSON types: booleans arrive as ``"true"``/``"True"``/``"1"``, numbers as
strings, dates as ISO 8601 (with or without offset) or .NET ``/Date(ms)/``. The readers here
accept those spellings and raise ValueError, whose text is the rejection reason, for anything
else. The file-path helpers are shared by the reader (``MediaFiles`` rows to one path) and the
writer (one path back to a row), so a path survives a round trip exactly.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})
_DOTNET_DATE = re.compile(r"/Date\((-?\d+)([+-]\d{4})?\)/")
# Python 3.11's fromisoformat takes at most 6 fraction digits; .NET writes 7.
_LONG_FRACTION = re.compile(r"(\.\d{6})\d+")
_SEPARATORS = "/\\"


def is_blank(value: Any) -> bool:
    """None or an all-whitespace string: the field says nothing."""
    return value is None or (isinstance(value, str) and not value.strip())


def read_bool(value: Any, field: str) -> bool | None:
    """A JSON boolean, or one written as a string or 0/1; None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise ValueError(f"{field} is not a boolean: {_shown(value)}")


def read_int(value: Any, field: str) -> int | None:
    """A whole number, possibly written as a string ("123", "123.0"); None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{field} is not a whole number: {_shown(value)}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            number = float("nan")
        if number.is_integer():
            return int(number)
    raise ValueError(f"{field} is not a whole number: {_shown(value)}")


def read_text(value: Any, field: str) -> str | None:
    """Text; numbers are taken as their decimal text. None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    raise ValueError(f"{field} is not text: {_shown(value)}")


def read_date(value: Any, field: str) -> datetime | None:
    """An ISO 8601 date-time (offset optional, "Z" allowed) or a .NET ``/Date(ms[+hhmm])/``.

    A .NET date is an instant in milliseconds since the epoch (UTC); its optional offset is the
    zone it was written in, kept as the result's zone. None when blank.
    """
    if is_blank(value):
        return None
    if not isinstance(value, str):
        raise ValueError(f"{field} is not a date: {_shown(value)}")
    text = value.strip()
    dotnet = _DOTNET_DATE.fullmatch(text)
    if dotnet:
        instant = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=int(dotnet[1]))
        if dotnet[2]:
            sign = -1 if dotnet[2][0] == "-" else 1
            minutes = int(dotnet[2][1:3]) * 60 + int(dotnet[2][3:5])
            return instant.astimezone(timezone(sign * timedelta(minutes=minutes)))
        return instant
    try:
        return datetime.fromisoformat(_LONG_FRACTION.sub(r"\1", text))
    except ValueError:
        raise ValueError(f"{field} is not a date: {_shown(value)}") from None


def iso_date(value: Any, field: str) -> str | None:
    """``read_date`` as ISO 8601 text (the form kept in ``extra``)."""
    parsed = read_date(value, field)
    return None if parsed is None else parsed.isoformat()


def write_date(value: datetime | str | None) -> str | None:
    """An Edm.DateTimeOffset value: ISO 8601 with an offset (a naive time is taken as UTC).

    Text that is not a date gives None, so an export never carries a malformed date.
    """
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = read_date(value, "date")
        except ValueError:
            return None
        if value is None:
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def join_file_path(folder: str | None, name: str | None) -> str | None:
    """A ``MediaFiles`` row's FilePath and FileName as one path.

    The folder's own separator ("\\" or "/") joins them; a FilePath that already ends with the
    file name (some exporters write the full path there) is taken as it is.
    """
    folder = folder or ""
    name = name or ""
    if not folder:
        return name or None
    if not name:
        return folder
    if folder[-1] in _SEPARATORS:
        return folder + name
    last = max(folder.rfind(sep) for sep in _SEPARATORS)
    if folder[last + 1 :] == name:
        return folder
    separator = folder[last] if last >= 0 else "/"
    return f"{folder}{separator}{name}"


def split_file_path(path: str) -> tuple[str | None, str]:
    """A path as (FilePath, FileName), such that ``join_file_path`` gives ``path`` back."""
    last = max(path.rfind(sep) for sep in _SEPARATORS)
    if last < 0:
        return None, path
    folder, name = path[:last], path[last + 1 :]
    if not folder or join_file_path(folder, name) != path:
        folder = path[: last + 1]  # keep the separator: "/a.jpg", mixed separators, ...
    return folder, name


def lookup(row: dict[str, Any], name: str) -> Any:
    """``row[name]``, the key matched case-insensitively if not exact; None when absent."""
    if name in row:
        return row[name]
    folded = name.lower()
    return next((value for key, value in row.items() if key.lower() == folded), None)


def hash_name_key(name: Any) -> str:
    """An AlternativeHashes HashName compared loosely: "PDQ Hash", "pdqhash" -> "PDQHASH"."""
    if not isinstance(name, str):
        return ""
    return re.sub(r"[\s_\-]", "", name).upper()


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
