"""Receiving a tip. In order: the form token (CSRF), a retry of a stored tip (same key: the
same thank-you, nothing stored), the object, the rate limit, the fields; then the tip is
committed before the thank-you is sent, so an acknowledged tip is never lost."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from vidtrace.portal.abuse import client_address
from vidtrace.portal.bodies import parse_form, read_body
from vidtrace.portal.errors import error_page
from vidtrace.portal.i18n import LANGUAGES, N_
from vidtrace.portal.public_routes import object_page, published_object
from vidtrace.portal.refusals import MESSAGES, Problem, Refused
from vidtrace.portal.security import FORM_COOKIE
from vidtrace.portal.services import services
from vidtrace.portal.tip_form import CSRF_TOKEN, IDEMPOTENCY_KEY, TipForm
from vidtrace.portal.tip_form import new_idempotency_key as new_key
from vidtrace.portal.tips import TipSubmission

router = APIRouter()

EXPIRED = N_("This form has expired. Please check your tip and send it again.")
INCOMPLETE = N_("The form is incomplete. Please reload the page and send your tip again.")
TOO_LARGE = N_("What you sent is too large: a tip may have at most %(most)s characters.")


async def form_fields(request: Request) -> dict[str, str]:
    try:
        body = await read_body(request, services(request).settings.limits.form_body_bytes)
    except Refused as refusal:
        tip_chars = services(request).settings.limits.tip_chars
        refusal.problem = Problem(TOO_LARGE, {"most": tip_chars})
        raise
    return parse_form(request, body)


@router.post("/objects/{public_id}/tips", response_class=HTMLResponse)
async def send_tip(
    request: Request, public_id: str, fields: Annotated[dict[str, str], Depends(form_fields)]
) -> HTMLResponse:
    return await run_in_threadpool(receive_tip, request, public_id, fields)


def receive_tip(request: Request, public_id: str, fields: dict[str, str]) -> HTMLResponse:
    portal = services(request)
    form = TipForm.from_fields(fields)
    language = form.language if form.language in LANGUAGES else portal.pages.language(request)

    def thanks() -> HTMLResponse:
        return portal.pages.render(
            request, "thanks.html", {"public_id": public_id}, language=language, here="/"
        )

    def again(status: int, problems: dict[str, Problem]) -> HTMLResponse:
        item = published_object(request, public_id)
        shown = form if form.has_valid_key() else replace(form, idempotency_key=new_key())
        return object_page(request, item, shown, problems, status, language)

    if not portal.form_tokens.valid(request.cookies.get(FORM_COOKIE), form.csrf_token):
        return again(403, {CSRF_TOKEN: Problem(EXPIRED)})
    if not form.has_valid_key():
        return again(422, {IDEMPOTENCY_KEY: Problem(INCOMPLETE)})
    if portal.tips.has(form.idempotency_key):
        return thanks()
    published_object(request, public_id)
    client = portal.hash_address(client_address(request, portal.settings.trust_forwarded))
    verdict = portal.limiter.attempt(client)
    if not verdict.allowed:
        busy = error_page(request, 429, Problem(MESSAGES[429]), language)
        busy.headers["retry-after"] = str(verdict.retry_after_s)
        return busy
    problems = form.problems(portal.settings.limits)
    if problems:
        return again(422, problems)
    portal.tips.add(
        TipSubmission(
            idempotency_key=form.idempotency_key,
            object=public_id,
            text=form.text,
            country=form.country or None,
            place=form.place or None,
            email=form.email or None,
            language=language,
            client_hash=client,
            honeypot=bool(form.honeypot),
        )
    )
    return thanks()
