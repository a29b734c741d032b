from __future__ import annotations

import pytest

from vidtrace.web.byte_ranges import MAX_PIECE, ByteRange, UnsatisfiableRange, requested_range


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        (None, 1000, None),
        ("bytes=0-", 1000, ByteRange(0, 999)),
        ("bytes=0-99", 1000, ByteRange(0, 99)),
        ("bytes=990-5000", 1000, ByteRange(990, 999)),
        ("bytes=-10", 1000, ByteRange(990, 999)),
        ("bytes=-5000", 1000, ByteRange(0, 999)),
        ("bytes=0-", 3 * MAX_PIECE, ByteRange(0, MAX_PIECE - 1)),
    ],
)
def test_requested_range(header: str | None, size: int, expected: ByteRange | None) -> None:
    assert requested_range(header, size) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=9-3", "bytes=-", "bytes=0-1,4-5", "x"])
def test_unsatisfiable(header: str) -> None:
    with pytest.raises(UnsatisfiableRange):
        requested_range(header, 1000)


def test_content_range() -> None:
    assert ByteRange(10, 19).content_range(100) == "bytes 10-19/100"
    assert ByteRange(10, 19).length == 10
