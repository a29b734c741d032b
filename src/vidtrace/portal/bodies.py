"""Request bodies read under a size cap, before anything parses them: a client cannot make
the portal hold more than the cap in memory."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

from vidtrace.portal.refusals import Refused

FORM_TYPE = "application/x-www-form-urlencoded"
MOST_FORM_FIELDS = 30


async def read_body(request: Request, most_bytes: int) -> bytes:
    """The whole body; 413 as soon as it is known to pass ``most_bytes``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > most_bytes:
        raise Refused(413)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > most_bytes:
            raise Refused(413)
        chunks.append(chunk)
    return b"".join(chunks)


def parse_form(request: Request, body: bytes) -> dict[str, str]:
    """An url-encoded form's fields (the first value of each); 415 for another encoding,
    400 for one that is not UTF-8 or carries NUL characters."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != FORM_TYPE:
        raise Refused(415)
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=False,
            errors="strict",
            max_num_fields=MOST_FORM_FIELDS,
        )
    except (UnicodeDecodeError, ValueError) as error:
        raise Refused(400) from error
    fields: dict[str, str] = {}
    for name, value in pairs:
        if "\x00" in value:
            raise Refused(400)
        fields.setdefault(name, value)
    return fields
