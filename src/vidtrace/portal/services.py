"""What the portal's routes work with, built once by ``create_portal_app``."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from vidtrace.portal.abuse import AddressHasher, SlidingWindowLimiter
from vidtrace.portal.figures import FigureStore
from vidtrace.portal.objects import ObjectStore
from vidtrace.portal.pages import Pages
from vidtrace.portal.security import FormTokens
from vidtrace.portal.settings import PortalSettings
from vidtrace.portal.store import PortalDatabase
from vidtrace.portal.tips import TipStore


@dataclass
class PortalServices:
    settings: PortalSettings
    database: PortalDatabase
    objects: ObjectStore
    tips: TipStore
    figures: FigureStore
    limiter: SlidingWindowLimiter
    hash_address: AddressHasher
    form_tokens: FormTokens
    pages: Pages


def services(request: Request) -> PortalServices:
    found: PortalServices = request.app.state.portal
    return found
