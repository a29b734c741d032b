"""The portal application: its own database and keys in its data folder, the public pages,
the tip form and the sync API, behind strict security headers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError

from vidtrace.portal.abuse import AddressHasher, SlidingWindowLimiter
from vidtrace.portal.errors import install_error_handlers
from vidtrace.portal.figures import FigureStore
from vidtrace.portal.keys import load_or_create_key, private_folder
from vidtrace.portal.objects import ObjectStore
from vidtrace.portal.pages import Pages
from vidtrace.portal.public_routes import router as public_routes
from vidtrace.portal.security import FormTokens, SecurityHeaders
from vidtrace.portal.services import PortalServices
from vidtrace.portal.settings import PortalSettings
from vidtrace.portal.store import PortalDatabase
from vidtrace.portal.sync_api import router as sync_routes
from vidtrace.portal.tip_routes import router as tip_routes
from vidtrace.portal.tips import FORGET_EVERY_S, TipStore

STATIC = Path(__file__).with_name("static")
ADDRESS_SALT_FILE = "address.salt"
FORM_KEY_FILE = "form.key"
log = logging.getLogger(__name__)


async def forget_old_addresses(tips: TipStore) -> None:
    try:
        await run_in_threadpool(tips.forget_old_addresses)
    except SQLAlchemyError:
        log.exception("clearing expired address hashes failed; trying again later")


async def keep_forgetting(tips: TipStore) -> None:
    while True:
        await asyncio.sleep(FORGET_EVERY_S)
        await forget_old_addresses(tips)


def create_portal_app(settings: PortalSettings) -> FastAPI:
    """The portal over ``settings.data_dir`` (created if missing): the database, the address
    salt and the form key all live there, nowhere else."""
    data = private_folder(settings.data_dir)
    database = PortalDatabase(data)
    form_tokens = FormTokens(load_or_create_key(data / FORM_KEY_FILE))
    limits = settings.limits
    portal = PortalServices(
        settings=settings,
        database=database,
        objects=ObjectStore(database),
        tips=TipStore(database, limits.address_hash_hours),
        figures=FigureStore(database),
        limiter=SlidingWindowLimiter(limits.client_tips_per_minute, limits.tips_per_minute),
        hash_address=AddressHasher(load_or_create_key(data / ADDRESS_SALT_FILE)),
        form_tokens=form_tokens,
        pages=Pages(form_tokens, settings.secure_cookies),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Expired address hashes are cleared at start, then every FORGET_EVERY_S.
        await forget_old_addresses(portal.tips)
        forgetting = asyncio.create_task(keep_forgetting(portal.tips))
        try:
            yield
        finally:
            forgetting.cancel()
            database.close()

    app = FastAPI(
        title="vidtrace portal",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # a public site: the sync contract is documented in ADR 008
        lifespan=lifespan,
    )
    app.state.portal = portal
    install_error_handlers(app)
    app.add_middleware(SecurityHeaders)
    app.include_router(public_routes)
    app.include_router(tip_routes)
    app.include_router(sync_routes)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
