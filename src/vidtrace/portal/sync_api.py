"""The sync API the workbench calls (docs/decisions/008): put and withdraw objects, hand over
tips after a cursor, set the outcome figures. Every call carries ``Authorization: Bearer``;
without a configured token every route answers 404, as if there were none."""

from __future__ import annotations

import base64
import binascii
import hmac
import re
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vidtrace.portal.bodies import read_body
from vidtrace.portal.categories import CATEGORIES
from vidtrace.portal.objects import ObjectUpload
from vidtrace.portal.refusals import Problem, Refused
from vidtrace.portal.services import services
from vidtrace.portal.settings import PortalLimits, token_digest

PUBLIC_ID = re.compile(r"[0-9a-f]{32}")
MOST_TIPS = 1_000
MOST_FIGURE = 1_000_000_000
Model = TypeVar("Model", bound=BaseModel)


def authorised(request: Request) -> None:
    expected = services(request).settings.token_sha256
    if expected is None:
        raise Refused(404, Problem("there is nothing at this address"))
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthorised()
    if not hmac.compare_digest(token_digest(token), expected):
        raise _unauthorised()


def _unauthorised() -> Refused:
    refusal = Refused(401, Problem("a valid bearer token is required"))
    refusal.headers["WWW-Authenticate"] = "Bearer"
    return refusal


router = APIRouter(prefix="/sync", dependencies=[Depends(authorised)])


class ObjectBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")
    title: str
    description: str = ""
    questions: list[str] = Field(default_factory=list)
    category: str
    image: str  # base64 of the sanitised WebP
    published_at: datetime


class FiguresBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")
    countries_narrowed: Annotated[int, Field(ge=0, le=MOST_FIGURE)]
    children_identified: Annotated[int, Field(ge=0, le=MOST_FIGURE)]
    offenders_prosecuted: Annotated[int, Field(ge=0, le=MOST_FIGURE)]


def _invalid(message: str) -> Refused:
    return Refused(422, Problem(message))


def _parsed(model: type[Model], raw: bytes) -> Model:
    try:
        return model.model_validate_json(raw)
    except ValidationError as error:
        where = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in error.errors()
        )
        raise _invalid(where) from error


def is_webp(data: bytes) -> bool:
    """RIFF container, WEBP form: the first 12 bytes say so."""
    return len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def checked_public_id(public_id: str) -> str:
    if not PUBLIC_ID.fullmatch(public_id):
        raise _invalid("public_id: 32 lowercase hexadecimal characters expected")
    return public_id


def checked_upload(public_id: str, body: ObjectBody, limits: PortalLimits) -> ObjectUpload:
    """The object if every field is within the limits; 422 naming the first that is not."""
    if not body.title.strip() or len(body.title) > limits.title_chars:
        raise _invalid(f"title: 1 to {limits.title_chars} characters expected")
    if len(body.description) > limits.description_chars:
        raise _invalid(f"description: at most {limits.description_chars} characters")
    if len(body.questions) > limits.questions:
        raise _invalid(f"questions: at most {limits.questions}")
    if any(not q.strip() or len(q) > limits.question_chars for q in body.questions):
        raise _invalid(f"questions: each 1 to {limits.question_chars} characters")
    if body.category not in CATEGORIES:
        raise _invalid(f"category: one of {', '.join(CATEGORIES)}")
    if len(body.image) > (limits.image_bytes + 2) // 3 * 4:
        raise Refused(413, Problem(f"image: at most {limits.image_bytes} bytes"))
    try:
        image = base64.b64decode(body.image, validate=True)
    except binascii.Error as error:
        raise _invalid("image: base64 expected") from error
    if not is_webp(image):
        raise _invalid("image: a WebP file expected (RIFF....WEBP)")
    return ObjectUpload(
        public_id=public_id,
        title=body.title.strip(),
        description=body.description.strip(),
        questions=tuple(q.strip() for q in body.questions),
        category=body.category,
        image_webp=image,
        published_at=body.published_at,
    )


@router.put("/objects/{public_id}")
async def put_object(public_id: str, request: Request) -> dict[str, str]:
    """Publish an object, or replace it (idempotent)."""
    portal = services(request)
    checked_public_id(public_id)
    raw = await read_body(request, portal.settings.limits.sync_body_bytes)
    upload = checked_upload(public_id, _parsed(ObjectBody, raw), portal.settings.limits)
    await run_in_threadpool(portal.objects.put, upload)
    return {"public_id": public_id, "status": "published"}


@router.delete("/objects/{public_id}", status_code=204)
def withdraw_object(public_id: str, request: Request) -> Response:
    """Withdraw an object: its image is deleted, its tips stay (idempotent)."""
    services(request).objects.withdraw(checked_public_id(public_id))
    return Response(status_code=204)


@router.get("/tips")
def tips_after(
    request: Request,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MOST_TIPS)] = MOST_TIPS,
) -> dict[str, Any]:
    """Tips numbered above ``after`` in ``seq`` order; ``last`` is the cursor to ask next."""
    found = services(request).tips.after(after, limit)
    return {
        "tips": [
            {
                "seq": tip.seq,
                "object": tip.object,
                "text": tip.text,
                "country": tip.country,
                "place": tip.place,
                "email": tip.email,
                "language": tip.language,
                "received_at": tip.received_at.isoformat(),
                "spam_signs": list(tip.spam_signs),
            }
            for tip in found
        ],
        "last": found[-1].seq if found else after,
    }


@router.put("/statistics")
async def put_statistics(request: Request) -> dict[str, int]:
    """Set the outcome figures shown on the statistics page."""
    portal = services(request)
    raw = await read_body(request, portal.settings.limits.form_body_bytes)
    body = _parsed(FiguresBody, raw)
    await run_in_threadpool(
        portal.figures.set,
        body.countries_narrowed,
        body.children_identified,
        body.offenders_prosecuted,
    )
    return body.model_dump()
